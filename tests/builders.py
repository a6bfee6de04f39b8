"""Small hand-made inputs for testing one stage at a time: rules, tables, lines, layouts."""

from __future__ import annotations

from extract.datamodel.form import FormTable
from extract.datamodel.geometry import Box, Rule, TextLine, Word
from extract.datamodel.page import TEXT_LAYER, PageLayout, ReadInfo
from extract.datamodel.table import Cell, Table

Spec = tuple[int, int, int, int, str]  # row, col, rowspan, colspan, text


def ruled(xs: list[float], ys: list[float], skip_v=(), skip_h=()) -> list[Rule]:
    """The rules of a grid; skip_v / skip_h: (edge index, segment index) pairs left undrawn (merges)."""
    rules = []
    for i, y in enumerate(ys):
        for j in range(len(xs) - 1):
            if (i, j) not in skip_h:
                rules.append(Rule(xs[j], y, xs[j + 1], y))
    for j, x in enumerate(xs):
        for i in range(len(ys) - 1):
            if (j, i) not in skip_v:
                rules.append(Rule(x, ys[i], x, ys[i + 1]))
    return rules


def table(
    specs: list[Spec],
    page: int = 1,
    top: float = 100.0,
    col_width: float = 60.0,
    row_height: float = 20.0,
    confidence: float = 1.0,
) -> Table:
    """A table whose cells are given by grid position and text; boxes follow from the grid."""
    n_rows = max(r + rs for r, _, rs, _, _ in specs)
    n_cols = max(c + cs for _, c, _, cs, _ in specs)
    xs = [40.0 + i * col_width for i in range(n_cols + 1)]
    ys = [top + i * row_height for i in range(n_rows + 1)]
    cells = []
    for row, col, rowspan, colspan, text in specs:
        box = Box(xs[col], ys[row], xs[col + colspan], ys[row + rowspan])
        words = [Word(text, Box(box.x0 + 2, box.y0 + 2, box.x1 - 2, box.y1 - 2), confidence)] if text else []
        cells.append(Cell(row, col, rowspan, colspan, box, page, words, text, confidence if text else 1.0))
    return Table(page, Box(xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells)


def form_table(specs: list[Spec]) -> FormTable:
    t = table(specs)
    return FormTable(t.cells, t.n_rows, t.n_cols)


def line(text: str, page: int = 1, y: float = 40.0, confidence: float = 1.0) -> TextLine:
    return TextLine(text, Box(200, y, 200 + 12 * len(text), y + 14), page, confidence)


def layout(number: int, tables: list[Table], lines: list[TextLine], read: ReadInfo = TEXT_LAYER) -> PageLayout:
    return PageLayout(number, read, tables, lines)
