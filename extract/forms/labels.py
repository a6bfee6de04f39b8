"""Map a form's cells to fields by their printed labels (fuzzy).

Every value found keeps its provenance (page, box, confidence, the label that
led to it) until the record is built; the review page needs it for the crop.
"""

from __future__ import annotations

from extract.datamodel.form import Extracted, FormTable, LabelledCell
from extract.datamodel.table import Cell
from extract.normalize.values import parse_unit
from extract.normalize.vocabulary import Label, Vocabulary


def find_labels(
    table: FormTable, form_type: str, labels: list[Label], vocab: Vocabulary, min_score: float
) -> list[LabelledCell]:
    found = []
    for cell in table.cells:
        hit = vocab.match_label(table.text_of(cell), form_type, labels, min_score)
        if hit is not None:
            found.append(LabelledCell(cell, hit[0], hit[1]))
    return found


def _value_right(table: FormTable, lab: LabelledCell, label_ids: set[int]) -> Cell | None:
    cells = [
        c
        for c in table.cells
        if c.col > lab.cell.last_col and c.row <= lab.cell.last_row and c.last_row >= lab.cell.row
    ]
    for cell in sorted(cells, key=lambda c: (c.col, c.row)):
        if id(cell) not in label_ids:
            return cell
    return None


def _value_below(table: FormTable, lab: LabelledCell, label_ids: set[int]) -> Cell | None:
    cells = [
        c
        for c in table.cells
        if c.row > lab.cell.last_row and c.col <= lab.cell.last_col and c.last_col >= lab.cell.col
    ]
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        if id(cell) not in label_ids:
            return cell
    return None


def _funds_row(
    table: FormTable, lab: LabelledCell, headers: list[LabelledCell], field: str, out: dict[str, Extracted]
) -> None:
    """A self-evaluation funds line: one value under each funds column header.

    Headers are taken from the nearest header row above the line, so the
    indicator table's 分值/得分 further down never stand in for them.
    """
    nearest: dict[str, LabelledCell] = {}
    for head in headers:
        if head.cell.last_row < lab.cell.row:
            seen = nearest.get(head.label.field)
            if seen is None or head.cell.row > seen.cell.row:
                nearest[head.label.field] = head
    for head in nearest.values():
        cell = table.cell_at(lab.cell.row, head.cell.col)
        path = f"{field}.{head.label.field}"
        if cell is None or cell is lab.cell or path in out:
            continue
        out[path] = Extracted.from_cell(table, cell, min(lab.score, head.score))


def read_fields(
    table: FormTable, form_type: str, vocab: Vocabulary, min_score: float
) -> tuple[dict[str, Extracted], list[LabelledCell]]:
    """Field path -> value, for every labelled field this form type prints."""
    labelled = find_labels(table, form_type, vocab.labels, vocab, min_score)
    funds_headers = find_labels(table, form_type, vocab.funds_columns, vocab, min_score)
    label_ids = {id(lab.cell) for lab in labelled} | {id(h.cell) for h in funds_headers}
    out: dict[str, Extracted] = {}
    for lab in labelled:
        field, how = lab.label.field, lab.label.value
        if field is None or field in out:
            continue
        if how == "right":
            cell = _value_right(table, lab, label_ids)
        elif how == "below":
            cell = _value_below(table, lab, label_ids)
        elif how == "funds_row":
            _funds_row(table, lab, funds_headers, field, out)
            continue
        else:
            continue  # the totals row is read with the indicator columns
        if cell is not None:
            out[field] = Extracted.from_cell(table, cell, lab.score)
    unit = _funds_unit(table)
    if unit is not None:
        out["funds.unit"] = unit
    return out, labelled


def _funds_unit(table: FormTable) -> Extracted | None:
    """The unit printed in the funds label: 项目资金（元） or （万元）."""
    for cell in table.cells:
        text = table.text_of(cell)
        if "资金" in text or "金额" in text:
            unit = parse_unit(text)
            if unit is not None:
                return Extracted(unit, cell.page, cell.box, cell.confidence)
    return None
