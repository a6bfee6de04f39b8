"""Collect input files from paths: files, folders (recursively) and .zip archives."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from extract.read.document import IMAGE_SUFFIXES, PDF_SUFFIXES

SUPPORTED = PDF_SUFFIXES | IMAGE_SUFFIXES


@dataclass(frozen=True)
class InputFile:
    """One input: a path on disk, or a member of a zip archive (`archive!member`)."""

    name: str
    path: Path
    member: str | None = None

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(self.member)


@dataclass(frozen=True)
class InputProblem:
    name: str
    reason: str


def _from_zip(path: Path) -> tuple[list[InputFile], list[InputProblem]]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                m for m in archive.namelist() if not m.endswith("/") and Path(m).suffix.lower() in SUPPORTED
            )
    except (zipfile.BadZipFile, OSError) as exc:
        return [], [InputProblem(str(path), f"{path} is not a readable zip archive ({exc}).")]
    return [InputFile(f"{path}!{m}", path, m) for m in members], []


def collect_inputs(paths: list[str | Path]) -> tuple[list[InputFile], list[InputProblem]]:
    """Every supported file under the given paths, in a stable order."""
    files: list[InputFile] = []
    problems: list[InputProblem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                suffix = child.suffix.lower()
                if suffix in SUPPORTED:
                    files.append(InputFile(str(child), child))
                elif suffix == ".zip":
                    found, bad = _from_zip(child)
                    files += found
                    problems += bad
        elif path.suffix.lower() == ".zip" and path.is_file():
            found, bad = _from_zip(path)
            files += found
            problems += bad
        else:
            # Given by name: try it whatever its suffix, so the reader can say what is wrong.
            files.append(InputFile(str(path), path))
    return files, problems
