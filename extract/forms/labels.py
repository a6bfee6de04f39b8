"""Map a form's cells to fields by their printed labels (fuzzy), as its definition says.

A label's value sits in the cell next to it (right) or under it (below); a
label and its value printed in one cell (`项目名称：…`) are split; the funds
block is pairs of label and amount, or a grid of lines under column headers.
Every value found keeps its provenance (page, box, confidence, the label that
led to it) until the record is built; the review page needs it for the crop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extract.datamodel.form import Extracted, FormTable, LabelledCell
from extract.datamodel.geometry import TextLine
from extract.datamodel.table import Cell
from extract.forms.library import FormSpec
from extract.normalize.labels import Label
from extract.normalize.text import fold
from extract.normalize.values import parse_unit

_UNIT_LINE = re.compile(r"单位[:：]?\s*(万元|元)")


# A header cell may be both a funds column and an indicator column (分值, 得分): it is matched in each group.
FORM_ROLES = frozenset({"field", "funds_line", "funds_column", "structure"})
TABLE_ROLES = frozenset({"column", "total", "table"})


def find_labels(table: FormTable, spec: FormSpec, min_score: float) -> list[LabelledCell]:
    """Every cell that is a label of this definition (a label and value in one cell included)."""
    found = []
    for cell in table.cells:
        text = table.text_of(cell)
        # A label a page break cut in two (偏差原因分析及 | 改进措施) is read whole, too.
        readings = [t for t in (text, table.run_on_text(cell)) if t]
        hits = [_best(spec.labels.match(t, min_score, roles) for t in readings) for roles in (FORM_ROLES, TABLE_ROLES)]
        for hit in hits:
            if hit is not None:
                found.append(LabelledCell(cell, hit[0], hit[1]))
        if any(hits):
            continue
        inline = spec.labels.match_prefix(text, min_score)
        if inline is not None:
            found.append(LabelledCell(cell, inline[0], inline[1], inline_value=inline[2]))
    return found


def _best(hits: Iterable[tuple[Label, float] | None]) -> tuple[Label, float] | None:
    return max((h for h in hits if h is not None), key=lambda h: h[1], default=None)


def _right_of(table: FormTable, lab: LabelledCell) -> Cell | None:
    """The cell just right of the label, in the rows it spans."""
    cells = [
        c
        for c in table.cells
        if c.col > lab.cell.last_col and c.row <= lab.cell.last_row and c.last_row >= lab.cell.row
    ]
    return min(cells, key=lambda c: (c.col, c.row), default=None)


def _below(table: FormTable, lab: LabelledCell) -> Cell | None:
    cells = [
        c
        for c in table.cells
        if c.row > lab.cell.last_row and c.col <= lab.cell.last_col and c.last_col >= lab.cell.col
    ]
    return min(cells, key=lambda c: (c.row, c.col), default=None)


def _chosen(labs: list[LabelledCell]) -> LabelledCell:
    """Of a label printed twice, the one its definition names (the last: the annual column)."""
    ordered = sorted(labs, key=lambda lab: (lab.cell.row, lab.cell.col))
    return ordered[-1] if ordered[0].label.occurrence == "last" else ordered[0]


def _value(table: FormTable, lab: LabelledCell, label_ids: set[int]) -> Extracted | None:
    if lab.inline_value is not None:
        return Extracted(lab.inline_value or None, lab.cell.page, lab.cell.box, lab.cell.confidence, lab.score)
    # Where the definition says, else the other way: a row of labels over a row of values (or
    # a heading with its text beside it) prints each value below (or right of) its label.
    places = (_below, _right_of) if lab.label.at == "below" else (_right_of, _below)
    cells = [c for c in (place(table, lab) for place in places) if c is not None and id(c) not in label_ids]
    if not cells:
        return None  # the next cells are other labels: this form prints no value for it
    cell = next((c for c in cells if table.text_of(c)), cells[0])  # an empty one only if both are
    return Extracted.from_cell(table, cell, lab.score)


def _funds_grid(table: FormTable, lines: list[LabelledCell], heads: list[LabelledCell]) -> dict[str, Extracted]:
    """Funds lines under column headers: each line's value in each column, from the nearest header row above.

    Headers are taken from the nearest header row above the line, so the
    indicator table's 分值/得分 further down never stand in for them.
    """
    out: dict[str, Extracted] = {}
    for lab in lines:
        nearest: dict[str, LabelledCell] = {}
        for head in heads:
            if head.cell.last_row < lab.cell.row:
                seen = nearest.get(head.label.path)
                if seen is None or head.cell.row > seen.cell.row:
                    nearest[head.label.path] = head
        for head in nearest.values():
            cell = table.cell_at(lab.cell.row, head.cell.col)
            path = f"{lab.label.path}.{head.label.path}"
            if cell is None or cell is lab.cell or path in out:
                continue
            out[path] = Extracted.from_cell(table, cell, min(lab.score, head.score))
    return out


def read_fields(
    table: FormTable, spec: FormSpec, lines: list[TextLine], min_score: float
) -> tuple[dict[str, Extracted], list[LabelledCell]]:
    """Field path -> value, for every labelled field the definition names."""
    labelled = find_labels(table, spec, min_score)
    label_ids = {id(lab.cell) for lab in labelled if lab.inline_value is None}
    by_path: dict[str, list[LabelledCell]] = {}
    for lab in labelled:
        if lab.label.role in ("field", "funds_line") and lab.label.path:
            by_path.setdefault(lab.label.path, []).append(lab)
    grid = spec.definition.funds is not None and spec.definition.funds.layout == "grid"
    out: dict[str, Extracted] = {}
    for path, labs in by_path.items():
        if grid and labs[0].label.role == "funds_line":
            continue
        value = _value(table, _chosen(labs), label_ids)
        if value is not None:
            out[path] = value
    if grid:
        lines_ = [_chosen(labs) for labs in by_path.values() if labs[0].label.role == "funds_line"]
        heads = [lab for lab in labelled if lab.label.role == "funds_column"]
        out.update(_funds_grid(table, lines_, heads))
    out.update(_from_lines(spec, lines, min_score, out))
    unit = _funds_unit(table, labelled, lines)
    if unit is not None:
        out["funds.unit"] = unit
    return out, labelled


def _from_lines(
    spec: FormSpec, lines: list[TextLine], min_score: float, found: dict[str, Extracted]
) -> dict[str, Extracted]:
    """Fields printed as 'label：value' on a line outside the grid (填报单位（盖章）：某某局)."""
    out = {}
    for line in lines:
        hit = spec.labels.match_prefix(line.text, min_score)
        if hit is not None and hit[0].path and hit[0].path not in found and hit[0].role == "field":
            out[hit[0].path] = Extracted(hit[2] or None, line.page, line.box, line.confidence, hit[1])
    return out


def _funds_unit(table: FormTable, labelled: list[LabelledCell], lines: list[TextLine]) -> Extracted | None:
    """The unit in the funds label (项目资金（万元）), a funds header (年度预算数(万元)) or a line (单位：万元)."""
    funds_cells = {id(lab.cell) for lab in labelled if lab.label.role in ("funds_line", "funds_column")}
    for cell in table.cells:
        text = table.text_of(cell)
        if "资金" in text or "金额" in text or id(cell) in funds_cells:
            unit = parse_unit(text)
            if unit is not None:
                return Extracted(unit, cell.page, cell.box, cell.confidence)
    for line in lines:
        found = _UNIT_LINE.search(fold(line.text))
        if found:
            return Extracted(found[1], line.page, line.box, line.confidence)
    return None


def multi_project_header(table: FormTable, labelled: list[LabelledCell]) -> bool:
    """A budget-disclosure table, not a form: 项目名称 heads a column of several projects.

    On a form the project's name sits right of its label; here another label
    does (the header row goes on), and the column below holds one name a row.
    """
    label_ids = {id(lab.cell) for lab in labelled if lab.inline_value is None}
    for lab in labelled:
        if lab.label.path != "project_name" or lab.inline_value is not None:
            continue
        right = _right_of(table, lab)
        below = [c for c in table.cells if c.col == lab.cell.col and c.row > lab.cell.last_row and c.text]
        if right is not None and id(right) in label_ids and len(below) >= 2:
            return True
    return False
