"""Record revisions and the change log.

A record's revision grows only when its content changes: what it says about
the form and its review items, not the volatile bookkeeping (confidences,
the boxes values were read at, how pages were read, the name the file was
seen under). Each new revision is kept in `record_revisions` and logged in
`changes`, whose `seq` orders every change in commit order: the incremental
export's cursor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from extract.ingest.tables import changes, record_revisions
from models import Record

# Why a revision was made: read first, read again differently, a review decision, a QA sample drawn, gone.
Why = Literal["extracted", "re-read", "corrected", "confirmed", "undone", "sampled", "deleted"]
WHY: tuple[str, ...] = ("extracted", "re-read", "corrected", "confirmed", "undone", "sampled", "deleted")
VOLATILE = {"revision", "updated_at", "record_id", "confidence", "provenance"}
VOLATILE_SOURCE = {"file", "reads"}
VOLATILE_REVIEW = {"confidence", "page", "box"}


def content_key(record: Record) -> str:
    """The record's content as canonical JSON text: equal keys, same content, same revision."""
    data = record.model_dump(mode="json", exclude=VOLATILE)
    if data.get("source"):
        data["source"] = {k: v for k, v in data["source"].items() if k not in VOLATILE_SOURCE}
    data["review"] = sorted(
        ({k: v for k, v in item.items() if k not in VOLATILE_REVIEW} for item in data.get("review", [])),
        key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False),
    )
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def last_revisions(conn: Connection, record_ids: list[str]) -> dict[str, int]:
    """The highest revision each of these records had, deleted ones included (one query for all)."""
    if not record_ids:
        return {}
    rows = conn.execute(
        select(record_revisions.c.record_id, func.max(record_revisions.c.revision))
        .where(record_revisions.c.record_id.in_(record_ids))
        .group_by(record_revisions.c.record_id)
    )
    return {record_id: int(revision) for record_id, revision in rows}


def next_revision(conn: Connection, record_id: str) -> int:
    """One more than any revision the record had, deleted ones included: revisions never go back."""
    return last_revisions(conn, [record_id]).get(record_id, 0) + 1


def log_revision(
    conn: Connection, record: Record, why: Why, at: str, kind: str = "upsert", record_json: str | None = None
) -> int:
    """Keep the record's revision and log the change; returns the change's seq.

    `record_json`: the record as JSON, when the caller has dumped it already."""
    # One statement, its values as parameters: SQLAlchemy compiles it once, not once a record.
    change = dict(record_id=record.record_id, revision=record.revision, kind=kind, at=at)
    seq = conn.execute(insert(changes), change).inserted_primary_key[0]
    revision = dict(
        record_id=record.record_id,
        revision=record.revision,
        why=why,
        updated_at=at,
        seq=seq,
        record_json=record_json if record_json is not None else record.model_dump_json(),
    )
    conn.execute(insert(record_revisions), revision)
    return int(seq)


def last_seq(conn: Connection) -> int:
    return int(conn.execute(select(func.max(changes.c.seq))).scalar() or 0)


@dataclass(frozen=True)
class Revision:
    record_id: str
    revision: int
    why: str
    updated_at: str
    seq: int | None
    record: Record


def history(conn: Connection, record_id: str) -> list[Revision]:
    """Every revision of a record, oldest first (a deleted record's too)."""
    rows = conn.execute(
        select(record_revisions).where(record_revisions.c.record_id == record_id).order_by(record_revisions.c.revision)
    ).all()
    return [
        Revision(r.record_id, r.revision, r.why, r.updated_at, r.seq, Record.model_validate_json(r.record_json))
        for r in rows
    ]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_leaves(inner, f"{path}.{key}" if path else key))
        return out if value else {path: value}
    if isinstance(value, list) and path != "review":
        out = {}
        for i, inner in enumerate(value):
            out.update(_leaves(inner, f"{path}[{i}]"))
        return out if value else {path: value}
    return {path: value}


def changed_fields(old: Record, new: Record) -> list[FieldChange]:
    """What differs between two revisions, field by field (paths as in `review`)."""
    a = _leaves(json.loads(content_key(old)))
    b = _leaves(json.loads(content_key(new)))
    paths = sorted(a.keys() | b.keys())
    return [FieldChange(path, a.get(path), b.get(path)) for path in paths if a.get(path) != b.get(path)]
