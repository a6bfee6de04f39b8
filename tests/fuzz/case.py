"""The Case record every generator returns, and a helper that writes one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# "error":   must fail with a clear one-line message
# "records": a valid form must come out
# "blank":   read, but no form / blank pages
# "refused": a zip member refused for safety
# "either":  reading or a clear error are both acceptable
EXPECTS = frozenset({"error", "records", "blank", "refused", "either"})


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    family: str
    description: str
    expect: str

    def __post_init__(self) -> None:
        if self.expect not in EXPECTS:
            raise ValueError(f"{self.name}: unknown expect {self.expect!r}")

    @property
    def is_zip(self) -> bool:
        return self.path.suffix.lower() == ".zip"


class Writer:
    """Writes case files into one folder and keeps the list; names must be unique."""

    def __init__(self, out_dir: Path, family: str) -> None:
        self.dir = out_dir / family
        self.dir.mkdir(parents=True, exist_ok=True)
        self.family = family
        self.cases: list[Case] = []

    def path(self, filename: str) -> Path:
        return self.dir / filename

    def add(self, name: str, filename: str, data: bytes | None, description: str, expect: str) -> Case:
        """Record a case; write `data` to FILENAME unless None (the file is already written)."""
        path = self.dir / filename
        if data is not None:
            path.write_bytes(data)
        if not path.exists():
            raise FileNotFoundError(path)
        case = Case(name, path, self.family, description, expect)
        self.cases.append(case)
        return case
