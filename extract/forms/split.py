"""Split a document's pages into forms, by title and by structure.

A form opens at its printed title: a line above the grid, or the first rows
of the grid itself (some provinces print title and year inside the table).
A form whose title did not print, or was lost to a bad scan, still opens
where a table starts with the form's header labels (项目名称 ...); its type
comes from its labels, and the record says the title was not found.
Tables that look like a form but belong to none are kept as orphans, so the
file can say so instead of dropping them silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extract.datamodel.form import FormRegion
from extract.datamodel.geometry import Box, TextLine
from extract.datamodel.page import PageLayout
from extract.datamodel.table import Cell, Table
from extract.forms.library import FormLibrary
from extract.normalize.values import parse_year

TITLE_ROWS = 3  # a title printed inside the grid sits in its first rows
TITLE_SPAN = 0.7  # ...in a cell spanning most of the table's width


@dataclass
class Split:
    forms: list[FormRegion] = field(default_factory=list)
    orphans: list[Table] = field(default_factory=list)  # tables with form labels that no form took


def _line_of(cell: Cell) -> TextLine:
    return TextLine(cell.text, cell.box, cell.page, cell.confidence)


def _grid_title(table: Table, library: FormLibrary, min_score: float) -> tuple[str, float, Cell, Cell | None] | None:
    """A title printed in the grid's first rows: (form type, score, title cell, year cell)."""
    wide = [c for c in table.cells if c.row < TITLE_ROWS and c.colspan >= TITLE_SPAN * table.n_cols and c.text]
    for cell in sorted(wide, key=lambda c: c.row):
        hit = library.title_type(cell.text, min_score)
        if hit is not None:
            year = next((c for c in wide if c.row > cell.row and parse_year(c.text) is not None), None)
            return hit[0], hit[1], cell, year
    return None


def _title_row_below_top(table: Table, library: FormLibrary, min_score: float) -> int | None:
    """The first row past the top rows that opens with a title across the grid, or None.

    Excel prints a sheet holding two forms as one grid: the first form's last rows, then the
    second's title row. No cell may cross the row's top edge, or it is not where a form begins.
    """
    for cell in sorted(table.cells, key=lambda c: c.row):
        if cell.row < TITLE_ROWS or cell.colspan < TITLE_SPAN * table.n_cols or not cell.text:
            continue
        crossed = any(c.row < cell.row <= c.last_row for c in table.cells)
        if not crossed and library.title_type(cell.text, min_score) is not None:
            return cell.row
    return None


def _cut_rows(table: Table, first: int, end: int) -> Table:
    """Rows first..end-1 of a table as a table of their own, rows renumbered from 0."""
    edges = table.row_edges[first : end + 1]
    cells = [replace(c, row=c.row - first) for c in table.cells if first <= c.row < end]
    box = Box(table.box.x0, edges[0], table.box.x1, edges[-1])
    return Table(
        table.page,
        box,
        table.col_edges,
        edges,
        cells,
        open_top=table.open_top and first == 0,
        open_bottom=table.open_bottom and end == table.n_rows,
    )


def _parts_at_titles(table: Table, library: FormLibrary, min_score: float) -> list[Table]:
    """A table cut where a form's title row begins inside it (each part then opens or joins a form)."""
    row = _title_row_below_top(table, library, min_score)
    if row is None:
        return [table]
    return [_cut_rows(table, 0, row), *_parts_at_titles(_cut_rows(table, row, table.n_rows), library, min_score)]


def _starts_a_form(table: Table, library: FormLibrary, min_score: float) -> bool:
    """Does this table begin with a form's header fields (a project name label)?"""
    for spec in library.specs:
        for cell in table.cells:
            hit = spec.labels.match(cell.text, min_score, frozenset({"field"}))
            if hit is not None and hit[0].path == "project_name":
                return True
    return False


def _cell_texts(tables: list[Table]) -> list[str]:
    return [c.text for t in tables for c in t.cells if c.text]


def split_forms(
    layouts: list[PageLayout], library: FormLibrary, title_min_score: float, label_min_score: float
) -> Split:
    """Walk pages top to bottom: a title (or a table that starts a form) opens a form; tables join it."""
    out = Split()
    current: FormRegion | None = None
    for layout in layouts:
        items: list[tuple[float, TextLine | Table]] = [(ln.box.y0, ln) for ln in layout.lines]
        items += [(t.box.y0, t) for table in layout.tables for t in _parts_at_titles(table, library, title_min_score)]
        for _, item in sorted(items, key=lambda pair: pair[0]):
            if isinstance(item, TextLine):
                hit = library.title_type(item.text, title_min_score)
                if hit is not None:
                    current = FormRegion(hit[0], item, title_score=hit[1])
                    out.forms.append(current)
                elif current is not None:
                    if current.year_line is None and not current.tables and parse_year(item.text) is not None:
                        current.year_line = item
                    else:
                        current.lines.append(item)
                continue
            in_grid = _grid_title(item, library, title_min_score)
            if in_grid is not None:
                form_type, score, title_cell, year_cell = in_grid
                current = FormRegion(
                    form_type,
                    _line_of(title_cell),
                    title_score=score,
                    title_in_grid=True,
                    year_line=_line_of(year_cell) if year_cell else None,
                )
                out.forms.append(current)
            elif _starts_a_form(item, library, label_min_score) and (
                current is None or _starts_a_form_any(current.tables, library, label_min_score)
            ):
                form_type = library.form_type_of(_cell_texts([item]))
                if form_type is None:
                    out.orphans.append(item)
                    current = None
                    continue
                current = FormRegion(form_type, None, title_score=0.0)
                out.forms.append(current)
            if current is None:
                if _starts_a_form(item, library, label_min_score):
                    out.orphans.append(item)
                continue
            current.tables.append(item)
    return out


def _starts_a_form_any(tables: list[Table], library: FormLibrary, min_score: float) -> bool:
    return any(_starts_a_form(t, library, min_score) for t in tables)
