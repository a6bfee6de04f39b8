"""Export the store for other systems: JSONL, CSV, XLSX, Parquet; all of it, or what changed.

CSV and XLSX are flattened for spreadsheet users: a forms table, an indicators
table and a funds table (and the review items), joined by record_id, each
column headed by its field name with the Chinese printed label beside it.
Parquet keeps types: decimals stay decimals, years stay integers. docs/exports.md
describes every file and column.

`since` (a cursor) exports only the records created or changed after it, and
tombstones for those deleted; the result carries the new cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.engine import Connection

from extract.errors import UsageError
from extract.ingest.changes import ChangeSet, change_set
from extract.ingest.columns import DECIMAL_COLUMNS, LABELS, TABLES, column_of, columns, header, table_names
from extract.ingest.store import Store, records_of
from extract.ingest.tables import files, forms
from extract.ingest.writers import atomic, write_csv, write_parquet, write_xlsx

__all__ = ["DECIMAL_COLUMNS", "FORMATS", "LABELS", "ExportResult", "column_of", "export", "export_changes", "header"]

FORMATS = ("jsonl", "csv", "xlsx", "parquet")


@dataclass(frozen=True)
class ExportResult:
    paths: list[Path]
    cursor: str  # give it back as `since` next time
    upserts: int
    tombstones: int


def _jsonl_lines(conn: Connection, changed: ChangeSet, with_review: bool) -> Iterator[str]:
    for record in records_of(conn, changed.upserts()):
        if not with_review:
            record = record.model_copy(update={"review": [], "confidence": {}})
        yield record.model_dump_json() + "\n"
    for stone in changed.tombstones:
        yield json.dumps(stone.as_json()) + "\n"


def _table_rows(conn: Connection, name: str, changed: ChangeSet) -> list[dict]:
    table = TABLES[name]
    query = select(table)
    if name != "forms":
        query = query.join(forms, forms.c.record_id == table.c.record_id)
    query = query.join(files, files.c.sha256 == forms.c.sha256)
    keys = [c for c in table.primary_key.columns if c.name != "record_id"]
    query = query.order_by(files.c.seq, forms.c.form_index, *keys)
    where = changed.upserts()
    if where is not None:
        query = query.where(where)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    if name == "forms":
        for row in rows:
            row["deleted"] = False
        for stone in changed.tombstones:
            sha256, _, index = stone.record_id.rpartition(":")
            rows.append(
                dict(
                    record_id=stone.record_id,
                    sha256=sha256,
                    form_index=int(index),
                    revision=stone.revision,
                    updated_at=stone.at,
                    deleted=True,
                )
            )
    return rows


def export(store: Store, fmt: str, out: Path, with_review: bool = True, *, csv_raw: bool = False) -> list[Path]:
    """Write everything stored as `fmt` into the folder `out`; the files written."""
    return export_changes(store, fmt, out, with_review, csv_raw=csv_raw).paths


def export_changes(
    store: Store,
    fmt: str,
    out: Path | None,
    with_review: bool = True,
    *,
    since: str | None = None,
    csv_raw: bool = False,
    stream: TextIO | None = None,
) -> ExportResult:
    """Write the records created or changed after the cursor `since` (None: all) as `fmt` into `out`.

    `stream` takes the JSONL lines instead of a file (`--out -`). The result
    carries the cursor to give as `since` next time.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt}; choose one of {', '.join(FORMATS)}")
    if stream is not None and fmt != "jsonl":
        raise UsageError("only jsonl can be streamed to stdout (--out -); write csv, xlsx and parquet to a folder")
    with store.reading() as conn:
        changed = change_set(conn, store.store_id, since)
        if fmt == "jsonl":
            paths, upserts = _export_jsonl(conn, changed, out, with_review, stream)
        else:
            tables = {name: _table_rows(conn, name, changed) for name in table_names(with_review)}
            upserts = sum(1 for row in tables["forms"] if not row["deleted"])
            paths = _write_tables(fmt, out, tables, with_review, csv_raw)
    return ExportResult(paths, changed.cursor, upserts, len(changed.tombstones))


def _export_jsonl(
    conn: Connection, changed: ChangeSet, out: Path | None, with_review: bool, stream: TextIO | None
) -> tuple[list[Path], int]:
    count = 0
    if stream is not None:
        for line in _jsonl_lines(conn, changed, with_review):
            stream.write(line)
            count += 1
        stream.flush()
        return [], count - len(changed.tombstones)
    assert out is not None
    out.mkdir(parents=True, exist_ok=True)
    path = out / "records.jsonl"
    with atomic(path, encoding="utf-8") as handle:
        for line in _jsonl_lines(conn, changed, with_review):
            handle.write(line)
            count += 1
    return [path], count - len(changed.tombstones)


def _write_tables(
    fmt: str, out: Path | None, tables: dict[str, list[dict]], with_review: bool, raw: bool
) -> list[Path]:
    assert out is not None
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        return [write_csv(out / f"{n}.csv", columns(n, with_review), rows, raw) for n, rows in tables.items()]
    if fmt == "xlsx":
        return [write_xlsx(out / "filings.xlsx", {n: (columns(n, with_review), r) for n, r in tables.items()})]
    return [write_parquet(out / f"{n}.parquet", columns(n, with_review), rows) for n, rows in tables.items()]
