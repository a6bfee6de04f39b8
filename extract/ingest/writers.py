"""Write exported tables as CSV, XLSX and Parquet, safe to open in a spreadsheet.

Formula injection (OWASP "CSV injection"): a text cell that begins with `=`,
`+`, `-`, `@`, a tab or a carriage return would run as a formula in Excel or
LibreOffice. CSV text cells that begin so are written with a `'` before them
(the spreadsheet shows the text; `csv_raw` turns it off for machine readers);
number, boolean and date columns are never escaped, so `-12.50` stays a
number. XLSX cells are typed: every text cell is a string cell, never a
formula, so nothing needs escaping there.

Every file is written beside its final name and renamed into place, so a
reader never sees half an export.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO

from extract.ingest.columns import DECIMAL, LABELS, Kind, header

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Columns = list[tuple[str, Kind]]


def csv_safe(value: str) -> str:
    """'=SUM(A1)' -> "'=SUM(A1)": a spreadsheet shows it as text instead of running it."""
    return "'" + value if value.startswith(FORMULA_START) else value


@contextmanager
def atomic(path: Path, mode: str = "w", **kwargs: str) -> Iterator[IO]:
    temp = path.with_name(path.name + ".tmp")
    with open(temp, mode, **kwargs) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _csv_cell(value: object, kind: Kind, raw: bool) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "string" and not raw:
        return csv_safe(str(value))
    return str(value)


def write_csv(path: Path, cols: Columns, rows: Iterable[dict], raw: bool = False) -> Path:
    # UTF-8 with a BOM: Excel then opens the Chinese text correctly.
    with atomic(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header(c) for c, _ in cols])
        for row in rows:
            writer.writerow([_csv_cell(row.get(c), kind, raw) for c, kind in cols])
    return path


def _xlsx_value(value: object, kind: Kind) -> object:
    if value is None:
        return None
    if kind == "decimal":
        return float(value)  # amounts as numbers a spreadsheet can sum; the exact text is in the JSONL
    if kind in ("int", "float", "bool"):
        return value
    return str(value)


def write_xlsx(path: Path, sheets: dict[str, tuple[Columns, Iterable[dict]]]) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

    book = Workbook(write_only=True)
    for name, (cols, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"

        def cell(value: object, kind: Kind, sheet: object = sheet) -> WriteOnlyCell:
            value = _xlsx_value(value, kind)
            if isinstance(value, str):
                made = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
                made.data_type = TYPE_STRING  # openpyxl would take a leading '=' for a formula
                return made
            return WriteOnlyCell(sheet, value=value)

        sheet.append([cell(header(c), "string") for c, _ in cols])
        for row in rows:
            sheet.append([cell(row.get(c), kind) for c, kind in cols])
    with atomic(path, "wb") as handle:
        book.save(handle)
    return path


def parquet_type(kind: Kind) -> object:
    import pyarrow as pa

    return {
        "decimal": pa.decimal128(*DECIMAL),
        "int": pa.int32(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "string": pa.string(),
    }[kind]


def write_parquet(path: Path, cols: Columns, rows: Iterable[dict]) -> Path:
    """Typed as the contract is: decimals stay decimals, integers and floats stay numbers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)
    fields, arrays = [], []
    for c, kind in cols:
        values = [row.get(c) for row in rows]
        if kind == "decimal":
            values = [None if v is None else Decimal(v) for v in values]
        elif kind == "int":
            values = [None if v is None else int(v) for v in values]  # a store made by 1.3.0 kept revision as text
        kind_type = parquet_type(kind)
        fields.append(pa.field(c, kind_type, metadata={"label": LABELS.get(c, "")}))
        arrays.append(pa.array(values, type=kind_type))
    with atomic(path, "wb") as handle:
        pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), handle)
    return path
