"""Collect input files from paths: files, folders (recursively) and .zip archives, nested ones too.

A zip member is named `archive.zip!member` (`outer.zip!inner.zip!a.pdf` inside a nested
one) and found again by its place in the archive, not its name: two members may share a
name, and both are read. Listing never stops at a bad archive or member; each problem is
kept with its reason.
"""

from __future__ import annotations

import hashlib
import io
import os
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from extract.ingest.archive import (
    ArchiveError,
    Budget,
    Member,
    MemberError,
    list_members,
    overlapping,
    refusal,
)
from extract.ingest.unpack import read_member
from extract.read.document import IMAGE_SUFFIXES, PDF_SUFFIXES, read_file
from extract.settings import LimitSettings

SUPPORTED = PDF_SUFFIXES | IMAGE_SUFFIXES


@dataclass(frozen=True)
class InputFile:
    """One input: a path on disk, or a member of a zip archive (`archive!member`)."""

    name: str
    path: Path
    member: str | None = None  # the member's own name, in its innermost archive
    chain: tuple[Member, ...] = ()  # where it lies: one directory entry per archive, outermost first
    notes: tuple[str, ...] = ()  # warnings it carries to its result (e.g. another member has its name)

    def read_bytes(self, limits: LimitSettings | None = None) -> bytes:
        """Its bytes (a member is found by its place: one seek, no directory parsed again)."""
        limits = limits or LimitSettings()
        if not self.chain:
            return read_file(self.path, limits)
        with self.path.open("rb") as fp:
            return read_chain(fp, self.chain, limits)[0]


@dataclass(frozen=True)
class InputProblem:
    name: str
    reason: str
    traceback: str | None = None  # set when the problem is a bug of ours, not the input's fault


def read_chain(
    fp: BinaryIO, chain: tuple[Member, ...], limits: LimitSettings, budget: Budget | None = None
) -> tuple[bytes, str]:
    """The innermost member's bytes and SHA-256, each outer archive inflated in memory on the way."""
    for member in chain[:-1]:
        data, _ = read_member(fp, member, limits, budget)
        fp = io.BytesIO(data)
    return read_member(fp, chain[-1], limits, budget)


def shown(name: str) -> str:
    """A member name fit for a message and the store: control characters (a NUL) escaped."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c for c in name)


def _suffix(member: Member) -> str:
    """The ending that decides how a member is read; a NUL cannot hide it (`a.pdf\\0.exe` is a PDF, refused)."""
    return PurePosixPath(member.path.split("\0", 1)[0]).suffix.lower()


@dataclass
class _Lister:
    limits: LimitSettings
    files: list[InputFile] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)

    def problem(self, name: str, reason: str) -> None:
        self.problems.append(InputProblem(name, reason))

    def internal(self, name: str, exc: Exception) -> None:
        self.problems.append(
            InputProblem(
                name,
                f"internal error listing {name}: {type(exc).__name__}: {exc}. "
                "This is a bug; please report it with the input file.",
                "".join(traceback.format_exception(exc)),
            )
        )

    def archive(self, path: Path) -> None:
        try:
            with path.open("rb") as fp:
                budget = Budget(self.limits.max_archive_mb << 20)
                found = self.members(fp, os.fstat(fp.fileno()).st_size, str(path), path, (), budget)
        except ArchiveError as exc:
            self.problem(str(path), f"{path} is not a readable zip archive: {exc.reason}.")
            return
        except OSError as exc:
            self.problem(str(path), f"{path} cannot be read: {exc.strerror or exc}.")
            return
        except Exception as exc:  # a bug in listing: this archive fails, the others go on
            self.internal(str(path), exc)
            return
        if not found:
            self.problem(str(path), f"{path} holds no PDF or image files (PDF, PNG, JPEG, TIFF) to read.")

    def members(
        self, fp: BinaryIO, size: int, prefix: str, path: Path, chain: tuple[Member, ...], budget: Budget
    ) -> int:
        """List one archive's members (nested archives opened in memory); how many inputs were found."""
        members = list_members(fp, size)
        links = {m.path.rstrip("/") for m in members if m.is_link}
        overlaps = overlapping(members)
        names = Counter(m.name for m in members)
        refused: Counter[tuple[str, str]] = Counter()  # one message for many alike (40 entries over one stream)
        found = 0
        for member in members:
            suffix = _suffix(member)
            if member.is_dir or (suffix not in SUPPORTED and suffix != ".zip"):
                continue
            name = f"{prefix}!{shown(member.name)}"
            reason = refused_reason(member, links, overlaps)
            if reason:
                refused[(name, reason)] += 1
                found += 1
                continue
            if suffix == ".zip":
                found += self.nested(fp, member, name, path, chain, budget)
                continue
            notes = ()
            if names[member.name] > 1:
                notes = (f"{prefix} holds {names[member.name]} members named '{member.name}'; each of them is read",)
            self.files.append(InputFile(name, path, member.name, (*chain, member), notes))
            found += 1
        for (name, reason), count in refused.items():
            self.problem(name, f"{name} is refused: {reason}" + (f" ({count} members alike)." if count > 1 else "."))
        return found

    def nested(
        self, fp: BinaryIO, member: Member, name: str, path: Path, chain: tuple[Member, ...], budget: Budget
    ) -> int:
        depth = len(chain) + 1
        if depth >= self.limits.max_zip_depth:
            self.problem(
                name,
                f"{name} is a zip archive inside {depth} others; archives nested deeper than "
                f"{self.limits.max_zip_depth} are not opened: unpack it, then ingest what it holds.",
            )
            return 1
        try:
            data, _ = read_member(fp, member, self.limits, budget)
            found = self.members(io.BytesIO(data), len(data), name, path, (*chain, member), budget)
        except MemberError as exc:
            self.problem(name, f"{name} {'is refused' if exc.refused else 'cannot be read'}: {exc.reason}.")
            return 1
        except ArchiveError as exc:
            self.problem(name, f"{name} is not a readable zip archive: {exc.reason}.")
            return 1
        except Exception as exc:
            self.internal(name, exc)
            return 1
        if not found:
            self.problem(name, f"{name} holds no PDF or image files (PDF, PNG, JPEG, TIFF) to read.")
        return max(found, 1)


def refused_reason(member: Member, links: set[str], overlaps: set[int]) -> str | None:
    if member.index in overlaps:
        return "its data overlaps another member's (a zip bomb: many entries over one stream)"
    return refusal(member, links)


def _walk(folder: Path, lister: _Lister) -> list[Path]:
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        lister.problem(str(exc.filename or folder), f"{exc.filename or folder} cannot be listed: {exc.strerror}.")

    seen: set[tuple[int, int]] = set()  # folders by device and inode: a link back up is not walked twice
    for here, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        where = os.stat(here)
        if (where.st_dev, where.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((where.st_dev, where.st_ino))
        found += [Path(here) / name for name in names]
    return sorted(p for p in found if p.is_file())


def collect_inputs(
    paths: list[str | Path], limits: LimitSettings | None = None
) -> tuple[list[InputFile], list[InputProblem]]:
    """Every supported file under the given paths, in a stable order, and what could not be listed."""
    lister = _Lister(limits or LimitSettings())
    for raw in paths:
        try:
            _collect(Path(raw), lister)
        except Exception as exc:  # this path fails, the others go on
            lister.internal(str(raw), exc)
    return lister.files, lister.problems


def _collect(path: Path, lister: _Lister) -> None:
    if path.is_dir():
        for child in _walk(path, lister):
            suffix = child.suffix.lower()
            if suffix in SUPPORTED:
                lister.files.append(InputFile(str(child), child))
            elif suffix == ".zip":
                lister.archive(child)
    elif path.suffix.lower() == ".zip" and path.is_file():
        lister.archive(path)
    else:
        # Given by name: try it whatever its suffix, so the reader can say what is wrong.
        lister.files.append(InputFile(str(path), path))


class InputReader:
    """Reads inputs in order for hashing, keeping the archive in hand open: one open per archive.

    A disk file is hashed as a stream (its bytes are read again by the worker); a zip member
    is inflated once, and its bytes are returned for the job to keep.
    """

    def __init__(self, limits: LimitSettings) -> None:
        self.limits = limits
        self._path: Path | None = None
        self._fp: BinaryIO | None = None
        self._budget = Budget(0)
        self._inner: list[tuple[int, io.BytesIO]] = []  # the nested archives of the chain in hand, inflated

    def __enter__(self) -> InputReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fp is not None:
            self._fp.close()
        self._fp, self._path, self._inner = None, None, []

    def _archive(self, path: Path) -> BinaryIO:
        if self._path != path or self._fp is None:
            self.close()
            self._fp = path.open("rb")
            self._path = path
            self._budget = Budget(self.limits.max_archive_mb << 20)
        return self._fp

    def read(self, item: InputFile) -> tuple[bytes | None, str]:
        """(bytes, SHA-256) of a member; (None, SHA-256) of a disk file."""
        if not item.chain:
            return None, file_sha256(item.path, self.limits)
        fp = self._archive(item.path)
        outer = item.chain[:-1]
        depth = 0
        while depth < len(self._inner) and depth < len(outer) and self._inner[depth][0] == outer[depth].index:
            depth += 1
        del self._inner[depth:]
        for member in outer[depth:]:
            source = self._inner[-1][1] if self._inner else fp
            data, _ = read_member(source, member, self.limits, self._budget)
            self._inner.append((member.index, io.BytesIO(data)))
        source = self._inner[-1][1] if self._inner else fp
        return read_member(source, item.chain[-1], self.limits, self._budget)


def file_sha256(path: Path, limits: LimitSettings) -> str:
    """A disk file's SHA-256, read as a stream; a file larger than one input may be is refused."""
    size = path.stat().st_size
    if size > limits.max_file_mb << 20:
        read_file(path, limits)  # raises the size error, with its message
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
