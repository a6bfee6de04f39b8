"""A stored record as a review decision sees it: loaded with its items' versions, checked, kept.

The errors a decision raises live here too, so a web app maps them to HTTP
statuses in one place: ReviewError 400/422, UnknownItem 404, StaleDecision 409.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from extract.ingest.tables import corrections, forms, review
from models import Record, ReviewItem


class ReviewError(ValueError):
    """A decision that cannot be made as asked; the message says why (HTTP 400/422)."""


class UnknownItem(ReviewError):
    """No such record, field or audit row (HTTP 404)."""


class StaleDecision(ReviewError):
    """The item changed since the reviewer saw it (HTTP 409): `current` is the item now, `decided_by` who."""

    def __init__(self, message: str, current: ReviewItem | None, version: int, decided_by: str | None) -> None:
        super().__init__(message)
        self.current, self.version, self.decided_by = current, version, decided_by


@dataclass
class Loaded:
    """A stored record loaded for a decision: `data` is its JSON form to set values in, `versions` its items'."""

    record: Record
    sha256: str
    form_index: int
    data: dict
    versions: dict[str, int]


def load(conn: Connection, record_id: str) -> Loaded:
    """The record as stored now (call it inside the write transaction that will store the decision)."""
    row = conn.execute(
        select(forms.c.record_json, forms.c.sha256, forms.c.form_index).where(forms.c.record_id == record_id)
    ).first()
    if row is None:
        raise UnknownItem(f"no record {record_id} in the store")
    record = Record.model_validate_json(row.record_json)
    record.record_id = record_id
    versions = {
        f: v if v is not None else 1
        for f, v in conn.execute(select(review.c.field, review.c.version).where(review.c.record_id == record_id))
    }
    return Loaded(record, row.sha256, row.form_index, record.model_dump(mode="json"), versions)


def item_of(record: Record, field: str) -> ReviewItem | None:
    return next((item for item in record.review if item.field == field), None)


def check_version(loaded: Loaded, field: str, expected_version: int) -> None:
    version = loaded.versions.get(field, 0)
    if expected_version != version:
        item = item_of(loaded.record, field)
        who = item.decided_by if item else None
        raise StaleDecision(
            f"{loaded.record.record_id} {field} changed since you saw it (version {expected_version}, now {version}"
            + (f", decided by {who}" if who else "")
            + "): reload it",
            item,
            version,
            who,
        )


def engine_of(record: Record, item: ReviewItem | None, field: str) -> tuple[str | None, str | None]:
    """How the field's page was read: ('text_layer', None) or ('rapidocr', '3.10.0')."""
    reads = record.source.reads if record.source else []
    place = record.provenance.get(field)
    page = item.page if item and item.page else place.page if place else None
    read = next((r for r in reads if r.page == page), reads[0] if reads else None)
    if read is None:
        return None, None
    if read.source == "text_layer" or not read.engine:
        return read.source, None
    name, _, version = read.engine.partition(" ")
    return name, version or None


def correction_of(conn: Connection, loaded: Loaded, field: str) -> dict | None:
    row = conn.execute(
        select(corrections).where(
            (corrections.c.sha256 == loaded.sha256)
            & (corrections.c.form_index == loaded.form_index)
            & (corrections.c.field == field)
        )
    ).first()
    return dict(row._mapping) if row else None


def put_correction(conn: Connection, loaded: Loaded, field: str, row: dict | None) -> None:
    key = (
        (corrections.c.sha256 == loaded.sha256)
        & (corrections.c.form_index == loaded.form_index)
        & (corrections.c.field == field)
    )
    conn.execute(delete(corrections).where(key))
    if row is not None:
        conn.execute(insert(corrections).values(**{**row, "sha256": loaded.sha256, "form_index": loaded.form_index}))
