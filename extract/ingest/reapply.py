"""Re-apply a file's review decisions to its records when it is read again.

A correction is kept by file, form and field. When the new read of the
field gives what it gave when the reviewer decided (or the corrected value
itself), the decision stands as it was. When it gives something else, the
corrected value is still shown, but the field is flagged again with both
values, so a person looks rather than either value winning silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from extract.ingest.fieldpaths import FieldPathError, as_json, get_value, set_value
from models import Record, ReviewItem

SAMPLE_REASON = "QA sample: an unflagged value drawn at random; check it against the page"


def shown(value: Any) -> str:
    """A value as a reason prints it."""
    if value is None:
        return "blank"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def new_item(record: Record, field: str, reason: str, **update: Any) -> ReviewItem:
    """A review item for a field the read did not flag, placed where the value was read."""
    place = record.provenance.get(field)
    confidence = min(max(record.confidence.get(field, 1.0), 0.0), 1.0)
    item = ReviewItem(
        field=field,
        reason=reason,
        confidence=confidence,
        page=place.page if place else None,
        box=list(place.box) if place else None,
    )
    return item.model_copy(update=update)


def _conflict_reason(row: Mapping, now: Any) -> str:
    verb = "corrected to" if row["action"] == "correct" else "confirmed as"
    day = str(row["decided_at"])[:10]
    return (
        f"{verb} {shown(json.loads(row['value']))} on {day} by {row['decided_by']}, "
        f"but the file now reads {shown(now)}: check"
    )


def reapply(record: Record, decisions: list[Mapping], previous: Record | None) -> Record:
    """The newly read `record` with the file's decisions on it (rows of the corrections table)."""
    kept_samples = [item for item in (previous.review if previous else []) if item.sample and item.status == "open"]
    if not decisions and not kept_samples:
        return record.model_copy()  # nothing to re-apply (most records): a dump and a validation cost more
    data = record.model_dump(mode="json")
    items: dict[str, ReviewItem] = {item.field: item for item in record.review}
    for row in decisions:
        field = row["field"]
        flagged = items.get(field)
        try:
            now = get_value(data, field)
        except FieldPathError:
            items[field] = new_item(record, field, _conflict_reason(row, "nothing there"), confidence=0.0)
            continue
        value, extracted = json.loads(row["value"]), json.loads(row["extracted"])
        decided = dict(decided_by=row["decided_by"], decided_at=row["decided_at"], sample=bool(row["sample"]))
        if row["action"] == "correct":
            trial = json.loads(json.dumps(data))
            set_value(trial, field, value)
            try:
                Record.model_validate(trial)
            except ValidationError:
                items[field] = new_item(record, field, _conflict_reason(row, now), extracted=as_json(now))
                continue
            data = trial
            if now in (extracted, value):
                update = dict(status="corrected", extracted=row["extracted"], **decided)
            else:
                update = dict(status="open", reason=_conflict_reason(row, now), extracted=as_json(now), **decided)
                update.update(decided_by=None, decided_at=None)
        elif now == value:
            update = dict(status="confirmed", extracted=None, **decided)
        else:
            update = dict(status="open", reason=_conflict_reason(row, now), sample=bool(row["sample"]))
        base = flagged or new_item(record, field, row["reason"] or "decided by a reviewer")
        if update["status"] != "open" and row["reason"]:
            update["reason"] = row["reason"]  # the reason it was decided on
        items[field] = base.model_copy(update=update)
    for item in kept_samples:
        if item.field not in items:
            try:
                get_value(data, item.field)
            except FieldPathError:
                continue
            items[item.field] = item
    data["review"] = [item.model_dump(mode="json") for item in items.values()]
    return Record.model_validate(data)
