"""Review decisions in the store: confirm or correct a field, undo, confirm many at once.

Every decision goes one way: the item's version is checked (optimistic
concurrency: a web page showing an older version gets `StaleDecision`), the
value is parsed by the field's type and set in the record, the record is
validated again and stored as a new revision (logged for the incremental
export), the decision is kept by file, form and field (`corrections`, re-applied
when the file is read again) and an audit row says who did what, when, to
which value, at what confidence, on what engine's read, in how many seconds.
Nothing is overwritten without an audit row; `undo` is a decision too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from extract.ingest.fieldpaths import FieldPathError, as_json, get_value, parse_input, set_value
from extract.ingest.reapply import new_item
from extract.ingest.review_state import (
    Loaded,
    ReviewError,
    StaleDecision,
    UnknownItem,
    check_version,
    correction_of,
    engine_of,
    item_of,
    load,
    put_correction,
)
from extract.ingest.revisions import Why, log_revision, next_revision
from extract.ingest.store import Store, now_iso, write_record
from extract.ingest.tables import forms, review, review_audit
from models import Record, ReviewItem

Action = Literal["confirm", "correct"]
__all__ = ["Decision", "ReviewError", "StaleDecision", "UnknownItem", "bulk_confirm", "decide", "field_matcher", "undo"]


@dataclass(frozen=True)
class Decision:
    audit_id: int
    record_id: str
    field: str
    action: str
    status: str | None  # the item's status after; None when undo removed the item
    old_value: Any
    new_value: Any
    revision: int  # the record's revision after
    version: int  # the item's version after: give it as expected_version next time (0: no item)
    decided_by: str
    decided_at: str


def _commit(
    conn: Connection,
    loaded: Loaded,
    field: str,
    item: ReviewItem | None,
    why: Why,
    audit: dict,
    correction: dict | None,
) -> Decision:
    """Store the record with `item` in place of the field's item, as a new revision, with its audit row."""
    at = audit["at"]
    try:
        record = Record.model_validate(
            {
                **loaded.data,
                "review": [i.model_dump(mode="json") for i in loaded.record.review if i.field != field]
                + ([item.model_dump(mode="json")] if item else []),
            }
        )
    except ValidationError as exc:
        raise ReviewError(f"{field}: the record would not be valid: {exc.errors()[0]['msg']}") from None
    record.record_id = loaded.record.record_id
    record.revision = next_revision(conn, record.record_id)
    record.updated_at = at
    seq = log_revision(conn, record, why, at)
    versions = dict(loaded.versions)
    versions.pop(field, None)
    if item is not None:
        versions[field] = seq
    write_record(conn, loaded.sha256, loaded.form_index, record, versions)
    audit_id = conn.execute(
        insert(review_audit).values(
            record_id=record.record_id,
            field=field,
            status=item.status if item else None,
            item_version=versions.get(field, 0),
            revision=record.revision,
            **audit,
        )
    ).inserted_primary_key[0]
    put_correction(conn, loaded, field, correction and {"audit_id": audit_id, **correction})
    return Decision(
        int(audit_id),
        record.record_id,
        field,
        audit["action"],
        item.status if item else None,
        json.loads(audit["old_value"]),
        json.loads(audit["new_value"]),
        record.revision,
        versions.get(field, 0),
        audit["reviewer"],
        at,
    )


def _decide(
    conn: Connection,
    record_id: str,
    field: str,
    action: Action,
    new_value: str | None,
    reviewer: str,
    seconds: float,
    expected_version: int,
    audit_action: str,
) -> Decision:
    if action not in ("confirm", "correct"):
        raise ReviewError(f"action must be confirm or correct, not {action!r}")
    if not reviewer:
        raise ReviewError("a decision needs the reviewer's name")
    loaded = load(conn, record_id)
    check_version(loaded, field, expected_version)
    try:
        current = get_value(loaded.data, field)
        value = parse_input(field, new_value, current) if action == "correct" else current
        set_value(loaded.data, field, value)
    except FieldPathError as exc:
        raise (UnknownItem if "has no" in str(exc) else ReviewError)(str(exc)) from None
    item = item_of(loaded.record, field)
    read = json.loads(item.extracted) if item and item.extracted is not None else current
    at = now_iso()
    status = "confirmed" if value == read else "corrected"
    decided = (item or new_item(loaded.record, field, "checked by a reviewer")).model_copy(
        update=dict(
            status=status,
            decided_by=reviewer,
            decided_at=at,
            extracted=None if status == "confirmed" else as_json(read),
        )
    )
    before = {
        "value": current,
        "item": item.model_dump(mode="json") if item else None,
        "correction": correction_of(conn, loaded, field),
    }
    engine, engine_version = engine_of(loaded.record, item, field)
    audit = dict(
        at=at,
        reviewer=reviewer,
        action=audit_action,
        old_value=as_json(current),
        new_value=as_json(value),
        confidence=item.confidence if item else loaded.record.confidence.get(field),
        engine=engine,
        engine_version=engine_version,
        seconds=seconds,
        before_json=json.dumps(before, ensure_ascii=False),
    )
    correction = dict(
        field=field,
        action="confirm" if status == "confirmed" else "correct",
        value=as_json(value),
        extracted=as_json(read),
        reason=decided.reason,
        decided_by=reviewer,
        decided_at=at,
        sample=decided.sample,
    )
    why: Why = "confirmed" if status == "confirmed" else "corrected"
    return _commit(conn, loaded, field, decided, why, audit, correction)


def decide(
    store: Store,
    record_id: str,
    field: str,
    action: Action,
    new_value: str | None,
    reviewer: str,
    seconds: float,
    expected_version: int,
) -> Decision:
    """Confirm the field's value, or correct it to `new_value` (text, parsed by the field's type).

    `expected_version` is the item's version the reviewer saw (0 for a field
    with no review item yet); another one raises StaleDecision.
    """
    with store.writing() as conn:
        return _decide(conn, record_id, field, action, new_value, reviewer, seconds, expected_version, action)


def undo(store: Store, audit_id: int, reviewer: str, seconds: float = 0.0) -> Decision:
    """Reverse a decision (its value, the item's status and the kept correction), as a decision of its own."""
    with store.writing() as conn:
        row = conn.execute(select(review_audit).where(review_audit.c.id == audit_id)).first()
        if row is None:
            raise UnknownItem(f"no decision {audit_id} in the audit trail")
        loaded = load(conn, row.record_id)
        check_version(loaded, row.field, row.item_version)
        before = json.loads(row.before_json)
        current = get_value(loaded.data, row.field)
        set_value(loaded.data, row.field, before["value"])
        item = ReviewItem.model_validate(before["item"]) if before["item"] else None
        now_item = item_of(loaded.record, row.field)
        redo = {
            "value": current,
            "item": now_item.model_dump(mode="json") if now_item else None,
            "correction": correction_of(conn, loaded, row.field),
        }
        audit = dict(
            at=now_iso(),
            reviewer=reviewer,
            action="undo",
            old_value=as_json(current),
            new_value=as_json(before["value"]),
            confidence=row.confidence,
            engine=row.engine,
            engine_version=row.engine_version,
            seconds=seconds,
            undoes=audit_id,
            before_json=json.dumps(redo, ensure_ascii=False),
        )
        restored = before["correction"]
        if restored:
            restored = {k: v for k, v in restored.items() if k not in ("sha256", "form_index")}
        return _commit(conn, loaded, row.field, item, "undone", audit, restored)


def field_matcher(pattern: str) -> re.Pattern[str]:
    """'indicators[*].level2' -> a regular expression: `*` stands for anything."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


def _as_text(value: Any) -> str | None:
    return value if isinstance(value, str) or value is None else json.dumps(value, ensure_ascii=False)


def bulk_confirm(
    store: Store,
    fields: str | Sequence[tuple[str, str]],
    reviewer: str,
    *,
    value: str | None = None,
    form_type: str | None = None,
    seconds: float = 0.0,
) -> int:
    """Confirm open items at once: a field pattern (`indicators[*].level2`) or (record_id, field) pairs.

    `value` keeps only items whose value is that text; `form_type` only that
    form type's. Each item goes through the audit trail (action bulk_confirm);
    `seconds` is shared out among them. Returns how many were confirmed.
    """
    with store.writing() as conn:
        query = (
            select(review.c.record_id, review.c.field, review.c.version, forms.c.form_type)
            .join(forms, forms.c.record_id == review.c.record_id)
            .where((review.c.status == "open") | review.c.status.is_(None))
        )
        rows = conn.execute(query).all()
        if isinstance(fields, str):
            matcher = field_matcher(fields)
            chosen = [r for r in rows if matcher.fullmatch(r.field)]
        else:
            wanted = set(map(tuple, fields))
            chosen = [r for r in rows if (r.record_id, r.field) in wanted]
        chosen = [r for r in chosen if form_type is None or r.form_type == form_type]
        if value is not None:
            chosen = [r for r in chosen if _as_text(get_value(load(conn, r.record_id).data, r.field)) == value]
        for r in chosen:
            version = r.version if r.version is not None else 1
            share = seconds / len(chosen)
            _decide(conn, r.record_id, r.field, "confirm", None, reviewer, share, version, "bulk_confirm")
        return len(chosen)
