"""The review queue over the whole store: open items to work on, a QA sample, and how it went.

`review_items` lists items across every file, least confident first, with
what a review page needs (the value, where it was read, the file, the item's
version for `decisions.decide`). `sample_unflagged` draws a random share of
the fields nobody was asked to check, as review items marked `sample`, so a
reviewer measures what the flags miss; `review_stats` counts decisions and
gives the QA sample's error rate with a Wilson interval.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Row, func, or_, select

from extract.ingest.decisions import field_matcher
from extract.ingest.fieldpaths import FieldPathError, as_json, get_value
from extract.ingest.reapply import SAMPLE_REASON, new_item
from extract.ingest.revisions import log_revision, next_revision
from extract.ingest.store import Store, now_iso, records_of, write_record
from extract.ingest.tables import file_paths, files, forms, review, review_audit


@dataclass(frozen=True)
class QueueItem:
    record_id: str
    field: str
    reason: str
    confidence: float
    page: int | None
    box: list[float] | None
    status: str
    version: int  # give it to decide() as expected_version
    sample: bool
    decided_by: str | None
    decided_at: str | None
    value: str | None  # the value now, as JSON text
    sha256: str
    path: str | None  # the file's first path (in sort order)
    form_type: str | None
    project_name: str | None


def review_items(
    store: Store,
    *,
    status: str | None = "open",
    form_type: str | None = None,
    field: str | None = None,
    reason: str | None = None,
    file: str | None = None,
    sample: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[QueueItem]:
    """Review items across the store, least confident first.

    `status` None lists every status; `field` may be a pattern with `*`
    (`indicators[*].level2`); `reason` is text the reason contains; `file` a
    sha256 or part of one of the file's paths.
    """
    first_path = select(func.min(file_paths.c.path)).where(file_paths.c.sha256 == forms.c.sha256).scalar_subquery()
    query = (
        select(review, forms.c.sha256, forms.c.form_type, forms.c.project_name, first_path.label("path"))
        .join(forms, forms.c.record_id == review.c.record_id)
        .join(files, files.c.sha256 == forms.c.sha256)
        .order_by(review.c.confidence, files.c.seq, forms.c.form_index, review.c.field)
    )
    if status == "open":
        query = query.where((review.c.status == "open") | review.c.status.is_(None))
    elif status is not None:
        query = query.where(review.c.status == status)
    if form_type:
        query = query.where(forms.c.form_type == form_type)
    if reason:
        query = query.where(func.lower(review.c.reason).contains(reason.lower(), autoescape=True))
    if sample is not None:
        query = query.where(
            review.c.sample.is_(True) if sample else or_(review.c.sample.is_(False), review.c.sample.is_(None))
        )
    if file:
        named = select(file_paths.c.sha256).where(file_paths.c.path.contains(file, autoescape=True))
        query = query.where((forms.c.sha256 == file) | forms.c.sha256.in_(named))
    if field and "*" not in field:
        query = query.where(review.c.field == field)
    with store.reading() as conn:
        rows = conn.execute(query).all()
        if field and "*" in field:
            matcher = field_matcher(field)
            rows = [r for r in rows if matcher.fullmatch(r.field)]
        rows = rows[offset : None if limit is None else offset + limit]
        ids = sorted({r.record_id for r in rows})
        data = {}
        for at in range(0, len(ids), 500):  # a bounded IN list: SQLite limits bound parameters
            chunk = forms.c.record_id.in_(ids[at : at + 500])
            data.update(
                (rid, json.loads(js))
                for rid, js in conn.execute(select(forms.c.record_id, forms.c.record_json).where(chunk))
            )
    return [_queue_item(r, data[r.record_id]) for r in rows]


def _queue_item(r: Row, data: dict) -> QueueItem:
    try:
        value = as_json(get_value(data, r.field))
    except FieldPathError:
        value = None
    box = [r.x0, r.y0, r.x1, r.y1] if r.x0 is not None else None
    return QueueItem(
        r.record_id,
        r.field,
        r.reason,
        r.confidence,
        r.page,
        box,
        r.status or "open",
        r.version if r.version is not None else 1,
        bool(r.sample),
        r.decided_by,
        r.decided_at,
        value,
        r.sha256,
        r.path,
        r.form_type,
        r.project_name,
    )


def sample_unflagged(store: Store, share: float, seed: int, *, form_type: str | None = None) -> list[tuple[str, str]]:
    """Make review items (marked `sample`) of a random `share` of the fields no item is on; which ones.

    The draw is over every (record, field) with a confidence and no review
    item, in store order, with `random.Random(seed)`: the same store and seed
    draw the same fields. Each record sampled gets a new revision ('sampled').
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must lie in (0, 1], not {share}")
    with store.writing() as conn:
        records = {
            r.record_id: r for r in records_of(conn, None if form_type is None else forms.c.form_type == form_type)
        }
        population = []
        for record in records.values():
            flagged = {item.field for item in record.review}
            data = record.model_dump(mode="json")
            for path in record.confidence:
                if path in flagged:
                    continue
                try:
                    get_value(data, path)
                except FieldPathError:
                    continue
                population.append((record.record_id, path))
        count = min(len(population), max(1, round(share * len(population)))) if population else 0
        chosen = sorted(random.Random(seed).sample(population, count))
        by_record: dict[str, list[str]] = {}
        for record_id, path in chosen:
            by_record.setdefault(record_id, []).append(path)
        at = now_iso()
        for record_id, paths in by_record.items():
            record = records[record_id]
            versions = {
                f: v if v is not None else 1
                for f, v in conn.execute(
                    select(review.c.field, review.c.version).where(review.c.record_id == record_id)
                )
            }
            record.review = record.review + [new_item(record, path, SAMPLE_REASON, sample=True) for path in paths]
            record.revision = next_revision(conn, record_id)
            record.updated_at = at
            seq = log_revision(conn, record, "sampled", at)
            sha256, _, index = record_id.rpartition(":")
            write_record(conn, sha256, int(index), record, {**versions, **dict.fromkeys(paths, seq)})
    return chosen


def decisions_of(store: Store, record_id: str, field: str | None = None) -> list[dict]:
    """The audit trail of a record (or one of its fields), oldest first: what undo takes (`id`)."""
    query = select(review_audit).where(review_audit.c.record_id == record_id).order_by(review_audit.c.id)
    if field is not None:
        query = query.where(review_audit.c.field == field)
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


@dataclass(frozen=True)
class ReviewStats:
    by_status: dict[str, int]  # every review item: open / confirmed / corrected
    sample_open: int  # QA sample items not checked yet
    sample_checked: int  # checked: confirmed or corrected
    sample_wrong: int  # of those, corrected: an unflagged value that was wrong
    error_rate: float | None  # sample_wrong / sample_checked
    interval: tuple[float, float] | None  # 95% Wilson score interval of the error rate


def wilson(wrong: int, checked: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion: sound at 0 of n and for small n."""
    if checked == 0:
        return 0.0, 1.0
    p = wrong / checked
    centre = p + z * z / (2 * checked)
    spread = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked))
    denominator = 1 + z * z / checked
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def review_stats(store: Store) -> ReviewStats:
    with store.reading() as conn:
        rows = conn.execute(select(review.c.status, review.c.sample)).all()
    by_status = Counter((status or "open") for status, _ in rows)
    sampled = Counter((status or "open") for status, sample in rows if sample)
    checked = sampled["confirmed"] + sampled["corrected"]
    wrong = sampled["corrected"]
    return ReviewStats(
        {s: by_status.get(s, 0) for s in ("open", "confirmed", "corrected")},
        sampled["open"],
        checked,
        wrong,
        wrong / checked if checked else None,
        wilson(wrong, checked) if checked else None,
    )
