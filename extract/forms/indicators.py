"""Read the indicator tables: one row per indicator (三级指标), and the totals row.

The header row (its name column anchors it) says which grid column holds
which field; a header repeated after a page break is recognised, not read as
data; a form may print two tables (长期绩效指标 and 年度绩效指标), each row
keeps the table it is in.
"""

from __future__ import annotations

from dataclasses import replace

from extract.datamodel.form import Extracted, FormTable, IndicatorRow, IndicatorTable, LabelledCell
from extract.datamodel.table import Cell
from extract.forms.library import FormSpec
from extract.normalize.text import join_lines
from extract.normalize.vocabulary import Matcher, Vocabulary

LEVEL_COLUMNS = ("level1", "level2")
STOP_ROLES = ("total", "field", "funds_line")  # a row starting with one of these ends the indicator rows


def _header_rows(labelled: list[LabelledCell]) -> dict[int, dict[str, LabelledCell]]:
    """Grid row -> its column labels, for every row holding a name-column header."""
    columns = [lab for lab in labelled if lab.label.role == "column"]
    anchors = {lab.cell.row for lab in columns if lab.label.path == "name_raw"}
    rows: dict[int, dict[str, LabelledCell]] = {}
    for lab in sorted(columns, key=lambda lab: (lab.cell.row, lab.cell.col)):
        # A header printed over two rows (指标值 under 年度指标) counts with the anchor row it spans.
        row = next((r for r in anchors if lab.cell.row <= r <= lab.cell.last_row or r == lab.cell.row), None)
        if row is not None:
            rows.setdefault(row, {}).setdefault(lab.label.path, lab)
    return rows


def _table_of(row: int, labelled: list[LabelledCell]) -> str:
    """The table a row belongs to: the block label spanning it, else the nearest one above."""
    blocks = [lab for lab in labelled if lab.label.role == "table"]
    spanning = [lab for lab in blocks if lab.cell.row <= row <= lab.cell.last_row]
    above = [lab for lab in blocks if lab.cell.last_row < row]
    chosen = spanning or sorted(above, key=lambda lab: lab.cell.row)[-1:]
    return chosen[0].label.path if chosen else "annual"


def read_indicators(
    table: FormTable, spec: FormSpec, vocab: Vocabulary, labelled: list[LabelledCell]
) -> IndicatorTable:
    headers = _header_rows(labelled)
    if not headers:
        return IndicatorTable([], {}, {})
    first = min(headers)
    stops = sorted({lab.cell.row for lab in labelled if lab.label.role in STOP_ROLES and lab.cell.row > first})
    end = stops[0] if stops else table.n_rows
    rows: list[IndicatorRow] = []
    heads = headers[first]
    page_tops = _first_data_rows(table.part_starts, headers, end)
    for r in range(first + 1, end):
        if r in headers:
            heads = {**heads, **headers[r]}  # a repeated or second table's header: its columns from here on
            continue
        row = _read_row(table, r, heads, vocab)
        if row is None:
            continue
        if r in page_tops and rows and _continues_previous(row):
            _join(rows[-1], row)  # the rest of a row a page break cut, borders drawn on both pages
            continue
        row.table = _table_of(r, labelled)
        rows.append(row)
    columns = {name: head.cell.col for name, head in headers[first].items()}
    return IndicatorTable(rows, _totals(table, labelled, heads), columns)


def _first_data_rows(part_starts: list[int], headers: dict[int, dict], end: int) -> set[int]:
    """The first row after each page break that is not a (repeated) header."""
    out = set()
    for start in part_starts:
        row = start
        while row in headers and row < end:
            row += 1
        out.add(row)
    return out


def _continues_previous(row: IndicatorRow) -> bool:
    """The rest of a cut row: no name or no target of its own, no weight or score, text elsewhere.

    A real indicator row always has its name and its target, and its numbers
    print whole on one page; what a break pushes over is wrapped text.
    """
    text = {k: bool(v.text) for k, v in row.values.items() if k not in LEVEL_COLUMNS}
    numbers_empty = not text.get("weight") and not text.get("score")
    part_missing = not text.get("name_raw") or ("target" in text and not text["target"])
    return numbers_empty and part_missing and any(text.values())


def _join(first: IndicatorRow, rest: IndicatorRow) -> None:
    for name, value in rest.values.items():
        if name in LEVEL_COLUMNS or not value.text:
            continue
        mine = first.values.get(name)
        if mine is None or not mine.text:
            first.values[name] = value
        else:
            first.values[name] = replace(
                mine, text=join_lines([mine.text, value.text]), confidence=min(mine.confidence, value.confidence)
            )


def _read_row(table: FormTable, r: int, heads: dict[str, LabelledCell], vocab: Vocabulary) -> IndicatorRow | None:
    name_cell = table.cell_at(r, heads["name_raw"].cell.col)
    if name_cell is None or name_cell.row != r:
        return None  # a tall cell from an earlier row
    row = IndicatorRow()
    for name, head in heads.items():
        cell = table.cell_at(r, head.cell.col)
        if cell is None:
            continue
        value = Extracted.from_cell(table, cell, head.score, spanning=name in LEVEL_COLUMNS)
        if name in LEVEL_COLUMNS:
            value = _run_on(table, cell, value, vocab.level1 if name == "level1" else vocab.level2)
        row.values[name] = value
    if not any(v.text for k, v in row.values.items() if k not in LEVEL_COLUMNS):
        return None  # blank filler row
    return row


def _run_on(table: FormTable, cell: Cell, value: Extracted, matcher: Matcher) -> Extracted:
    """A merged level cell whose text ran on across a page break (指 / 标).

    The joined text is taken only when it is a framework entry and the cell's
    own part is not: two distinct cells either side of a break stay apart.
    """
    joined = table.run_on_text(cell)
    if joined is None or matcher.match(value.text or "", 1.0, allow_fuzzy=False).entry:
        return value
    if matcher.match(joined, 1.0, allow_fuzzy=False).entry:
        return replace(value, text=joined)
    return value


def _totals(table: FormTable, labelled: list[LabelledCell], heads: dict[str, LabelledCell]) -> dict[str, Extracted]:
    out: dict[str, Extracted] = {}
    total = next((lab for lab in labelled if lab.label.role == "total"), None)
    if total is None:
        return out
    for source, target in (("weight", "total_weight"), ("score", "total_score")):
        if source in heads:
            cell = table.cell_at(total.cell.row, heads[source].cell.col)
            if cell is not None and cell is not total.cell:
                out[target] = Extracted.from_cell(table, cell, min(total.score, heads[source].score))
    return out
