"""Stitch a form's tables, across page breaks, into one logical table.

Rows are numbered through all parts; columns are unified over every part's
ruling positions. A spanning cell cut by a page break appears as two cells, one
each side of the break; they are recorded as continuations of each other so the
forms layer can give the cut cell's text to every row it spans.
"""

from __future__ import annotations

from dataclasses import replace

from extract.datamodel.form import FormTable
from extract.datamodel.table import Cell, Table
from extract.grid.cluster import cluster_positions


def _unified_edges(tables: list[Table], snap: float) -> list[float]:
    return cluster_positions([x for t in tables for x in t.col_edges], snap)


def _nearest(edges: list[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def stitch(tables: list[Table], column_snap: float) -> FormTable:
    """`column_snap`: points within which rulings of different parts are one column edge."""
    edges = _unified_edges(tables, column_snap)
    cells: list[Cell] = []
    continuation: dict[int, Cell] = {}
    offset = 0
    previous: tuple[Table, list[Cell]] | None = None
    for table in tables:
        part: list[Cell] = []
        for cell in table.cells:
            col = _nearest(edges, cell.box.x0)
            last = max(col, _nearest(edges, cell.box.x1) - 1)
            part.append(replace(cell, row=cell.row + offset, col=col, colspan=last - col + 1, words=list(cell.words)))
        if previous is not None and previous[0].page < table.page:
            _pair_cut_cells(previous[1], part, offset, continuation)
        cells.extend(part)
        previous = (table, part)
        offset += table.n_rows
    return FormTable(cells, offset, max(len(edges) - 1, 1), continuation)


def _pair_cut_cells(before: list[Cell], after: list[Cell], boundary: int, continuation: dict[int, Cell]) -> None:
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
