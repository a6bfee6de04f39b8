"""Stitch a form's tables, across page breaks, into one logical table.

Rows are numbered through all parts; columns are unified over every part's
ruling positions. A spanning cell cut by a page break appears as two cells, one
each side of the break; they are recorded as continuations of each other so the
forms layer can give the cut cell's text to every row it spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extract.grid import Cell, Table, cluster_positions
from extract.text import join_lines

COLUMN_SNAP = 4.0  # points: rulings this close in different parts are one column edge


@dataclass
class FormTable:
    cells: list[Cell]
    n_rows: int
    n_cols: int
    continuation: dict[int, Cell] = field(default_factory=dict)  # id(cell) -> its other part
    _index: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for cell in self.cells:
            for r in range(cell.row, cell.last_row + 1):
                for c in range(cell.col, cell.last_col + 1):
                    self._index.setdefault((r, c), cell)

    def cell_at(self, row: int, col: int) -> Cell | None:
        return self._index.get((row, col))

    def text_of(self, cell: Cell) -> str:
        """The text of a cell that a page break may have cut in two.

        A part with no text of its own takes its other part's; two parts that
        both have text keep their own (run-on text is the caller's call, see
        `run_on_text`).
        """
        other = self.continuation.get(id(cell))
        if cell.text or other is None:
            return cell.text
        return other.text

    def run_on_text(self, cell: Cell) -> str | None:
        """Both parts' text joined in page order, when both parts have text."""
        other = self.continuation.get(id(cell))
        if other is None or not other.text or not cell.text or other.text == cell.text:
            return None
        first, second = (cell, other) if cell.row < other.row else (other, cell)
        return join_lines([first.text, second.text])


def _unified_edges(tables: list[Table]) -> list[float]:
    return cluster_positions([x for t in tables for x in t.col_edges], COLUMN_SNAP)


def _nearest(edges: list[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def stitch(tables: list[Table]) -> FormTable:
    edges = _unified_edges(tables)
    cells: list[Cell] = []
    continuation: dict[int, Cell] = {}
    offset = 0
    previous: tuple[Table, list[Cell]] | None = None
    for table in tables:
        part: list[Cell] = []
        for cell in table.cells:
            col = _nearest(edges, cell.box.x0)
            last = max(col, _nearest(edges, cell.box.x1) - 1)
            part.append(replace(cell, row=cell.row + offset, col=col, colspan=last - col + 1,
                                words=list(cell.words)))
        if previous is not None and previous[0].page < table.page:
            _pair_cut_cells(previous[1], part, offset, continuation)
        cells.extend(part)
        previous = (table, part)
        offset += table.n_rows
    return FormTable(cells, offset, max(len(edges) - 1, 1), continuation)


def _pair_cut_cells(before: list[Cell], after: list[Cell], boundary: int,
                    continuation: dict[int, Cell]) -> None:
    """Pair the cells either side of a page break that may be one cut cell.

    Only the columns know whether two such cells are one: the forms layer asks
    for a pair's text where its column holds merged cells.
    """
    bottom = {(c.col, c.colspan): c for c in before if c.last_row == boundary - 1}
    for cell in after:
        other = bottom.get((cell.col, cell.colspan)) if cell.row == boundary else None
        if other is not None:
            continuation[id(cell)] = other
            continuation[id(other)] = cell
