"""What a page shows, as plain data for the templates: a form's items with their crops and neighbours.

Blind entry (`--blind amounts`) leaves the value of an open decimal item out
of the page altogether (and out of its neighbours' panels), so the reviewer
types it from the crop without seeing what was read.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from extract.ingest.review_queue import QueueItem
from extract.ingest.review_state import Loaded
from extract.review.config import ReviewConfig
from extract.review.fields import (
    display,
    is_decimal,
    is_group,
    kind_of,
    label,
    neighbours,
    pattern_of,
    plain_reason,
    value_of,
)
from extract.review.queue import Filters
from models import ReviewItem

FORM_NAMES = {"target_declaration": "绩效目标申报表", "self_evaluation": "绩效自评表"}
BLIND_PLAIN = "Type the amount you read on the page. What was read stays hidden until you have typed it."
UNFLAGGED = "not flagged"
UNFLAGGED_PLAIN = "Not flagged: it sits beside a flagged field. Type to correct it if the page says otherwise."


@dataclass
class ItemView:
    field: str
    label: str
    reason: str
    plain: str
    confidence: float
    status: str
    version: int
    sample: bool
    blind: bool
    group: bool
    kind: str
    value: str | None  # None where the page must not show it (blind)
    extracted: str | None
    decided_by: str | None
    decided_at: str | None
    crop: str | None
    page: int | None
    bulk: str
    neighbours: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def blind_field(config: ReviewConfig, state: Loaded, item: ReviewItem) -> bool:
    return config.blind_amounts and item.status == "open" and is_decimal(state.data, item.field)


def crop_url(state: Loaded, path: str) -> str | None:
    """The crop of the field's place; the form's first page where no place is known; None without pages."""
    item = next((i for i in state.record.review if i.field == path), None)
    place = state.record.provenance.get(path)
    pages = state.record.source.pages if state.record.source else []
    if (item and item.page) or place or pages:
        return "/crop?" + Filters().query(record=state.record.record_id or "", field=path)
    return None


def redact(text: str, secrets: set[str]) -> str:
    """Blind entry: the values to be typed blind are cut out of every text on the page (reasons quote them)."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = re.sub(rf"(?<![\d.]){re.escape(secret)}(?![\d])", "…", text)
    return text


def item_view(config: ReviewConfig, state: Loaded, item: ReviewItem, hidden: set[str], back: str) -> ItemView:
    data = state.data
    secrets = {display(value_of(data, p)) for p in hidden} - {""}
    blind = item.field in hidden
    value = display(value_of(data, item.field))
    extracted = None
    if item.status == "corrected" and item.extracted is not None:
        extracted = display(json.loads(item.extracted))
    near = [
        {"field": p, "label": label(p), "value": "" if p in hidden else display(value_of(data, p))}
        for p in neighbours(data, item.field)
    ]
    bulk = Filters(form_type=state.record.form_type).query(field=pattern_of(item.field), value=value, back=back)
    place = state.record.provenance.get(item.field)
    return ItemView(
        field=item.field,
        label=label(item.field),
        reason="" if blind else redact(item.reason, secrets),
        plain=BLIND_PLAIN if blind else redact(plain_reason(item.reason), secrets),
        confidence=item.confidence,
        status=item.status,
        version=state.versions.get(item.field, 0),
        sample=item.sample,
        blind=blind,
        group=is_group(data, item.field),
        kind=kind_of(data, item.field),
        value=None if blind else value,
        extracted=None if blind else extracted,
        decided_by=item.decided_by,
        decided_at=item.decided_at,
        crop=crop_url(state, item.field),
        page=item.page or (place.page if place else None),
        bulk="" if blind else "/bulk?" + bulk,
        neighbours=near,
    )


def unflagged_view(config: ReviewConfig, state: Loaded, path: str, hidden: set[str], back: str) -> ItemView:
    """A field beside a flagged one, not flagged itself: Tab reaches it, and typing corrects it."""
    confidence = min(max(state.record.confidence.get(path, 1.0), 0.0), 1.0)
    view = item_view(config, state, ReviewItem(field=path, reason=UNFLAGGED, confidence=confidence), hidden, back)
    view.status, view.plain = "unflagged", UNFLAGGED_PLAIN
    return view


def form_view(config: ReviewConfig, state: Loaded, focus: str | None, filters: Filters, path: str | None) -> dict:
    record = state.record
    hidden = {i.field for i in record.review if blind_field(config, state, i)}
    back = "/form?" + filters.query(record=record.record_id or "", item=focus or "")
    items = [item_view(config, state, item, hidden, back) for item in record.review]
    flagged = {i.field for i in record.review}
    beside = [p for i in record.review for p in neighbours(state.data, i.field) if p not in flagged]
    items += [unflagged_view(config, state, p, hidden, back) for p in dict.fromkeys(beside)]
    fields_in_order = [i.field for i in items]
    if focus not in fields_in_order:
        focus = next((i.field for i in items if i.status == "open"), fields_in_order[0] if items else None)
    return {
        "record_id": record.record_id,
        "form_type": record.form_type,
        "form_name": FORM_NAMES.get(record.form_type, record.form_type),
        "project_name": record.project_name or "(no project name read)",
        "year": record.year,
        "file": path or (record.source.file if record.source else ""),
        "pages": record.source.pages if record.source else [],
        "items": [i.as_dict() for i in items],
        "focus": fields_in_order.index(focus) if focus in fields_in_order else 0,
        "filters": filters.query(),
        "filter_values": asdict(filters),
    }


def queue_row(config: ReviewConfig, item: QueueItem) -> dict:
    value = json.loads(item.value) if item.value is not None else None
    blind = config.blind_amounts and item.status == "open" and is_decimal({}, item.field, value)
    return {
        "record_id": item.record_id,
        "field": item.field,
        "label": label(item.field),
        "plain": BLIND_PLAIN if blind else plain_reason(item.reason),
        "confidence": item.confidence,
        "sample": item.sample,
        "file": item.path or item.sha256[:12],
        "form_name": FORM_NAMES.get(item.form_type or "", item.form_type or ""),
        "project_name": item.project_name or "",
    }
