"""The queue as the pages walk it: filters, a form's items in order, the next open item, the last decision.

Built on `extract.ingest.review_queue` (the store's queue, least confident
first) and `review_state.load` (a record with its items' versions). The next
item after a decision is the next open one of the same form, so a reviewer
clears a form at a time, then the least confident open item left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from extract.ingest.decisions import field_matcher
from extract.ingest.review_queue import QueueItem, review_items
from extract.ingest.review_state import Loaded, UnknownItem, load
from extract.ingest.store import Store
from extract.ingest.tables import forms, review_audit
from extract.review.fields import valid_pattern
from models import ReviewItem

RECORD_ID = re.compile(r"[0-9a-f]{64}:\d{1,6}")
SHA256 = re.compile(r"[0-9a-f]{64}")
FORM_TYPES = ("target_declaration", "self_evaluation")
DECIDED = ("confirm", "correct", "bulk_confirm")


class BadRequest(ValueError):
    """A request whose parameters are not what the app makes (HTTP 400)."""


def valid_record_id(record_id: str) -> bool:
    return RECORD_ID.fullmatch(record_id) is not None


@dataclass(frozen=True)
class Filters:
    form_type: str = ""
    field: str = ""  # a field path or a pattern with [*]
    reason: str = ""
    file: str = ""  # a sha256, or part of a path
    sample: str = ""  # "", "only" or "none"

    @classmethod
    def of(cls, params: Any) -> Filters:
        """From a query string (or a JSON body's `filters`); anything odd is refused, not passed on."""
        got = {f.name: str(params.get(f.name) or "").strip() for f in fields(cls)}
        if got["form_type"] and got["form_type"] not in FORM_TYPES:
            raise BadRequest(f"form_type must be one of {', '.join(FORM_TYPES)}")
        if got["field"] and not valid_pattern(got["field"]):
            raise BadRequest("field must be a field path such as indicators[*].level2")
        if got["sample"] not in ("", "only", "none"):
            raise BadRequest("sample must be only or none")
        if len(got["reason"]) > 200 or len(got["file"]) > 300:
            raise BadRequest("filter too long")
        return cls(**got)

    def query(self, **extra: str) -> str:
        pairs = [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name)]
        pairs += [(k, v) for k, v in extra.items() if v]
        return urlencode(pairs)

    def store_args(self) -> dict[str, Any]:
        return dict(
            form_type=self.form_type or None,
            field=self.field or None,
            reason=self.reason or None,
            file=self.file or None,
            sample={"only": True, "none": False}.get(self.sample),
        )

    def admits(self, item: ReviewItem, form_type: str) -> bool:
        """Does an item of a form (already in the file filter) pass the other filters?"""
        if self.form_type and form_type != self.form_type:
            return False
        if self.field and not field_matcher(self.field).fullmatch(item.field):
            return False
        if self.reason and self.reason.lower() not in item.reason.lower():
            return False
        if self.sample == "only":
            return item.sample
        return not (self.sample == "none" and item.sample)


def queue(store: Store, filters: Filters, limit: int | None = None) -> list[QueueItem]:
    return review_items(store, **filters.store_args(), limit=limit)


def loaded(store: Store, record_id: str) -> Loaded:
    if not valid_record_id(record_id):
        raise BadRequest("not a record id")
    with store.reading() as conn:
        return load(conn, record_id)


def next_open(store: Store, filters: Filters, record_id: str, after: str | None) -> tuple[str, str] | None:
    """(record_id, field) of the next open item: later in this form, earlier in it, then the queue's first."""
    try:
        state = loaded(store, record_id)
    except UnknownItem:
        state = None
    if state is not None:
        items = [
            i.field for i in state.record.review if i.status == "open" and filters.admits(i, state.record.form_type)
        ]
        fields_in_order = [i.field for i in state.record.review]
        if after in fields_in_order:
            at = fields_in_order.index(after)
            later = [f for f in items if fields_in_order.index(f) > at]
            items = later + [f for f in items if f not in later]
        if items:
            return record_id, items[0]
    first = queue(store, filters, limit=1)
    return (first[0].record_id, first[0].field) if first else None


def record_on_page(store: Store, sha256: str, page: int) -> Loaded:
    """A record of the file that spans `page` (it says how the page was read); UnknownItem if none."""
    with store.reading() as conn:
        ids = conn.execute(select(forms.c.record_id).where(forms.c.sha256 == sha256).order_by(forms.c.form_index))
        for (record_id,) in ids.all():
            state = load(conn, record_id)
            if state.record.source and page in state.record.source.pages:
                return state
    raise UnknownItem(f"no form of file {sha256[:12]} is on page {page}")


def last_decision(store: Store, reviewer: str) -> int | None:
    """The audit id of the reviewer's latest decision that has not been undone (what `u` undoes)."""
    undone = select(review_audit.c.undoes).where(review_audit.c.undoes.is_not(None))
    query = (
        select(review_audit.c.id)
        .where(review_audit.c.reviewer == reviewer)
        .where(review_audit.c.action.in_(DECIDED))
        .where(review_audit.c.id.not_in(undone))
        .order_by(review_audit.c.id.desc())
        .limit(1)
    )
    with store.reading() as conn:
        row = conn.execute(query).first()
    return int(row[0]) if row else None


def form_url(record_id: str, field: str, filters: Filters) -> str:
    return "/form?" + filters.query(record=record_id, item=field)
