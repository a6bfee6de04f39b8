"""A stored file's bytes, found by its SHA-256 in the store, never by a path from a request.

The store keeps every path a file was seen under (`file_paths`): a file on
disk, relative to where `ingest` ran, or a member of a zip archive
(`archive.zip!member.pdf`, nested zips too). Each is tried in turn, relative
paths from the working folder and then the configured roots, and the bytes
found are taken only when they hash to the SHA-256 asked for: a file changed
or moved since the ingest is never shown as if it were the one read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from extract.errors import ExtractError
from extract.ingest.inputs import collect_inputs
from extract.ingest.store import Store
from extract.ingest.tables import file_paths, files
from extract.settings import LimitSettings


class SourceMissing(LookupError):
    """The store has no such file, or none of its paths holds its bytes any more."""


def stored_paths(store: Store, sha256: str) -> list[str]:
    with store.reading() as conn:
        known = conn.execute(select(files.c.sha256).where(files.c.sha256 == sha256)).first()
        if known is None:
            raise SourceMissing(f"no file {sha256[:12]} in the store")
        return sorted(p for (p,) in conn.execute(select(file_paths.c.path).where(file_paths.c.sha256 == sha256)))


def _candidates(path: str, roots: tuple[Path, ...]) -> list[Path]:
    given = Path(path)
    if given.is_absolute():
        return [given]
    return [Path.cwd() / given, *(root / given for root in roots)]


def _read(name: str, roots: tuple[Path, ...], limits: LimitSettings) -> list[tuple[str, bytes]]:
    """The bytes under one stored name: a disk file, or every zip member of that name."""
    archive, bang, _ = name.partition("!")
    out = []
    for candidate in _candidates(archive if bang else name, roots):
        if not candidate.is_file():
            continue
        if not bang:
            out.append((str(candidate), candidate.read_bytes()))
            continue
        inputs, _ = collect_inputs([candidate], limits)
        wanted = str(candidate) + name[len(archive) :]
        out += [(item.name, item.read_bytes(limits)) for item in inputs if item.name == wanted]
    return out


def source_bytes(store: Store, sha256: str, roots: tuple[Path, ...]) -> tuple[str, bytes]:
    """(the name it was found under, its bytes) of the stored file with this SHA-256."""
    limits = LimitSettings()
    tried = []
    for name in stored_paths(store, sha256):
        tried.append(name)
        try:
            found = _read(name, roots, limits)
        except (OSError, ExtractError, ValueError):
            continue
        for where, data in found:
            if hashlib.sha256(data).hexdigest() == sha256:
                return where, data
    raise SourceMissing(
        f"the file {sha256[:12]} is no longer where it was read ({', '.join(tried) or 'no path'}), "
        "or it has changed since: start the review from the folder ingest ran in, or pass --sources DIR"
    )
