"""Read the indicator table: one row per 三级指标, and the totals rows."""

from __future__ import annotations

from dataclasses import replace

from extract.datamodel.form import Extracted, FormTable, IndicatorRow, IndicatorTable, LabelledCell
from extract.datamodel.table import Cell
from extract.forms.labels import find_labels
from extract.normalize.vocabulary import Matcher, Vocabulary

LEVEL_COLUMNS = ("level1", "level2")


def _header(
    table: FormTable, form_type: str, vocab: Vocabulary, min_score: float
) -> tuple[int, dict[str, LabelledCell]] | None:
    heads = find_labels(table, form_type, vocab.indicator_columns, vocab, min_score)
    anchors = [h for h in heads if h.label.field == "name_raw"]
    if not anchors:
        return None
    row = anchors[0].cell.row
    columns: dict[str, LabelledCell] = {}
    for head in heads:
        if head.cell.row == row and head.label.field not in columns:
            columns[head.label.field] = head
    return row, columns


def read_indicators(
    table: FormTable, form_type: str, vocab: Vocabulary, labelled: list[LabelledCell], min_score: float
) -> IndicatorTable:
    found = _header(table, form_type, vocab, min_score)
    if found is None:
        return IndicatorTable([], {}, {})
    header_row, heads = found
    columns = {name: head.cell.col for name, head in heads.items()}
    stop_rows = {
        lab.cell.row for lab in labelled if lab.label.field in ("total", "grade") and lab.cell.row > header_row
    }
    end = min(stop_rows, default=table.n_rows)
    name_col = columns["name_raw"]
    rows: list[IndicatorRow] = []
    for r in range(header_row + 1, end):
        name_cell = table.cell_at(r, name_col)
        if name_cell is None or name_cell.row != r:
            continue  # a tall cell from an earlier row
        row = IndicatorRow()
        for name, col in columns.items():
            cell = table.cell_at(r, col)
            if cell is None:
                continue
            value = Extracted.from_cell(table, cell, heads[name].score, spanning=name in LEVEL_COLUMNS)
            if name in LEVEL_COLUMNS:
                value = _run_on(table, cell, value, vocab.level1 if name == "level1" else vocab.level2)
            row.values[name] = value
        texts = [v.text for k, v in row.values.items() if k not in LEVEL_COLUMNS]
        if not any(texts):
            continue  # blank filler row
        if vocab.match_label(row.values["name_raw"].text or "", form_type, vocab.indicator_columns, min_score):
            continue  # the header repeated on a continuation page
        rows.append(row)
    totals = _totals(table, labelled, columns, heads)
    return IndicatorTable(rows, totals, columns)


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


def _totals(
    table: FormTable, labelled: list[LabelledCell], columns: dict[str, int], heads: dict[str, LabelledCell]
) -> dict[str, Extracted]:
    out: dict[str, Extracted] = {}
    total = next((lab for lab in labelled if lab.label.field == "total"), None)
    if total is None:
        return out
    for source, target in (("weight", "total_weight"), ("score", "total_score")):
        if source in columns:
            cell = table.cell_at(total.cell.row, columns[source])
            if cell is not None and cell is not total.cell:
                out[target] = Extracted.from_cell(table, cell, min(total.score, heads[source].score))
    return out
