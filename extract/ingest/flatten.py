"""A record spread over the store's queryable tables: its forms row, funds lines, indicator rows,
review items and provenance; and how each page of a file was read.

The record's exact JSON stays in `forms.record_json`; these rows are for queries and exports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import ColumnElement, delete, insert, select
from sqlalchemy.engine import Connection

from extract.ingest.tables import (
    BASE_FUNDS_LINES,
    FUNDS_LINES,
    RECORD_TABLES,
    files,
    forms,
    funds,
    indicators,
    page_reads,
    provenance,
    review,
)
from models import FundsRow, Indicator, Record


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def insert_page_reads(conn: Connection, sha256: str, records: list[Record]) -> None:
    rows: dict[int, dict] = {}
    for rec in records:
        for read in rec.source.reads if rec.source else []:
            rows.setdefault(
                read.page,
                dict(
                    sha256=sha256,
                    page=read.page,
                    source=read.source,
                    engine=read.engine,
                    dpi=read.dpi,
                    skew_degrees=read.skew_degrees,
                    steps=json.dumps(read.steps, ensure_ascii=False),
                ),
            )
    if rows:
        conn.execute(insert(page_reads), list(rows.values()))  # one executemany for the file's pages


def write_record(
    conn: Connection,
    sha256: str,
    index: int,
    rec: Record,
    versions: dict[str, int],
    stored: bool = True,
    record_json: str | None = None,
) -> None:
    """Replace the stored rows of one record with `rec`; `versions` gives each review item's version.

    `stored=False` says the caller knows no row of this record is stored (a form read for the
    first time), so there is nothing to delete first; `record_json` is `rec` as JSON, when the
    caller has it already."""
    record_id = f"{sha256}:{index}"
    if stored:
        for table in RECORD_TABLES:
            conn.execute(delete(table).where(table.c.record_id == record_id))
        conn.execute(delete(forms).where(forms.c.record_id == record_id))
    row = {c.name: _text(getattr(rec, c.name)) for c in forms.columns if c.name in Record.model_fields}
    row.update(
        record_id=record_id,
        sha256=sha256,
        form_index=index,
        year=rec.year,
        revision=rec.revision,
        funds_unit=rec.funds.unit,
        pages=",".join(str(p) for p in (rec.source.pages if rec.source else [])),
        review_count=len(rec.review),
        record_json=record_json if record_json is not None else rec.model_dump_json(),
    )
    conn.execute(insert(forms), [row])
    lines = []
    for line in FUNDS_LINES:
        value = getattr(rec.funds, line)
        if value is None and line not in BASE_FUNDS_LINES:
            continue  # a line this form does not print
        line_row = {c: None for c in FundsRow.model_fields} | {"record_id": record_id, "line": line, "amount": None}
        if isinstance(value, FundsRow):
            line_row.update({c: _text(getattr(value, c)) for c in FundsRow.model_fields})
        else:
            line_row["amount"] = _text(value)
        lines.append(line_row)
    rows = {
        funds: lines,
        indicators: [
            {"record_id": record_id, "row": i} | {n: _text(getattr(ind, n)) for n in Indicator.model_fields}
            for i, ind in enumerate(rec.indicators)
        ],
        review: [
            dict(
                record_id=record_id,
                field=item.field,
                reason=item.reason,
                confidence=item.confidence,
                page=item.page,
                status=item.status,
                decided_by=item.decided_by,
                decided_at=item.decided_at,
                extracted=item.extracted,
                sample=item.sample,
                version=versions.get(item.field, 1),
                **_corners(item.box),
            )
            for item in rec.review
        ],
        provenance: [
            dict(record_id=record_id, field=path, page=place.page, **_corners(place.box))
            for path, place in rec.provenance.items()
        ],
    }
    for table, values in rows.items():
        if values:
            conn.execute(insert(table), values)  # one executemany a table


def records_of(conn: Connection, where: ColumnElement[bool] | None = None) -> Iterator[Record]:
    """Stored records in file order, forms in order (optionally only those `where` selects)."""
    query = (
        select(forms.c.record_id, forms.c.record_json)
        .join(files, files.c.sha256 == forms.c.sha256)
        .order_by(files.c.seq, forms.c.form_index)
    )
    if where is not None:
        query = query.where(where)
    for record_id, js in conn.execute(query):
        yield with_id(Record.model_validate_json(js), record_id)


def with_id(record: Record, record_id: str) -> Record:
    record.record_id = record_id  # a store made before 1.3 kept records without it
    return record


def _corners(box: list[float] | None) -> dict[str, float | None]:
    x0, y0, x1, y1 = box if box else (None, None, None, None)
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1}
