"""What changed since a cursor: the records to upsert and the tombstones, for the incremental export.

A cursor is `STORE_ID:SEQ`: the store it belongs to and the last change
already exported. Changes are numbered in commit order (writers are
serialised), so every change after the cursor is found, whatever the clocks
say; a record changed twice comes once, as it is now. A record no longer
stored (its file re-read into fewer forms) comes as a tombstone with the
revision of its deletion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Connection

from extract.errors import UsageError
from extract.ingest.revisions import last_seq
from extract.ingest.tables import changes, forms

_CURSOR = re.compile(r"^(?:([0-9a-f]{16}):)?(\d+)$")


@dataclass(frozen=True)
class Tombstone:
    record_id: str
    revision: int
    at: str

    def as_json(self) -> dict:
        return {"record_id": self.record_id, "deleted": True, "revision": self.revision}


@dataclass
class ChangeSet:
    since: int | None  # None: everything stored now (a full export: no tombstones)
    upto: int
    store_id: str
    tombstones: list[Tombstone] = field(default_factory=list)

    @property
    def cursor(self) -> str:
        return format_cursor(self.store_id, self.upto)

    def upserts(self) -> ColumnElement[bool] | None:
        """A condition on forms: the records created or changed after the cursor (None: all)."""
        if self.since is None:
            return None
        changed = select(changes.c.record_id).where((changes.c.seq > self.since) & (changes.c.seq <= self.upto))
        return forms.c.record_id.in_(changed)


def format_cursor(store_id: str, seq: int) -> str:
    return f"{store_id}:{seq}"


def parse_cursor(text: str, store_id: str, upto: int) -> int:
    """The seq of a cursor of this store; a cursor of another store, or from its future, is refused."""
    match = _CURSOR.match(text.strip())
    if not match:
        raise UsageError(f"'{text.strip()}' is not an export cursor; it looks like {format_cursor(store_id, 42)}")
    owner, seq = match[1], int(match[2])
    if owner is not None and owner != store_id:
        raise UsageError(
            f"cursor {text.strip()} belongs to another store (this one is {store_id}); "
            "export without --since (and without the cursor file) to start again"
        )
    if seq > upto:
        raise UsageError(f"cursor {text.strip()} is ahead of this store (last change {upto}): a store made anew?")
    return seq


def read_cursor_file(path: Path) -> str | None:
    """The cursor kept in `path`; None when there is none yet (the first export is a full one)."""
    if not path.exists():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def write_cursor_file(path: Path, cursor: str) -> None:
    """Written only after the export is complete: temp file and rename, never half a cursor."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(cursor + "\n", encoding="utf-8")
    temp.replace(path)


def change_set(conn: Connection, store_id: str, since: str | None) -> ChangeSet:
    """What to export after the cursor `since` (None: a full export), on the connection's snapshot."""
    upto = last_seq(conn)
    if since is None:
        return ChangeSet(None, upto, store_id)
    seq = parse_cursor(since, store_id, upto)
    in_range = (changes.c.seq > seq) & (changes.c.seq <= upto)
    gone = conn.execute(
        select(changes.c.record_id, func.max(changes.c.revision), func.max(changes.c.at), func.max(changes.c.seq))
        .where(in_range & changes.c.record_id.not_in(select(forms.c.record_id)))
        .group_by(changes.c.record_id)
        .order_by(func.max(changes.c.seq))
    ).all()
    return ChangeSet(seq, upto, store_id, [Tombstone(r, rev, at) for r, rev, at, _ in gone])
