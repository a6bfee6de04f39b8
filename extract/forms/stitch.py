"""Stitch a form's tables, across page breaks, into one logical table.

Rows are numbered through all parts; columns are unified over every part's
ruling positions. A spanning cell cut by a page break appears as two cells, one
each side of the break; they are recorded as continuations of each other so the
forms layer can give the cut cell's text to every row it spans.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from extract.datamodel.form import FormTable
from extract.datamodel.table import Cell, Table
from extract.grid.cluster import cluster_positions
from extract.normalize.text import fold, join_lines


def _unified_edges(tables: list[Table], snap: float) -> list[float]:
    return cluster_positions([x for t in tables for x in t.col_edges], snap)


def _nearest(edges: list[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def stitch(tables: list[Table], column_snap: float) -> FormTable:
    """`column_snap`: points within which rulings of different parts are one column edge."""
    edges = _unified_edges(tables, column_snap)
    cells: list[Cell] = []
    continuation: dict[int, list[Cell]] = {}
    part_starts: list[int] = []
    offset = 0
    previous: tuple[Table, list[Cell]] | None = None
    for table in tables:
        next_page = previous is not None and previous[0].page < table.page
        # A row cut by the break, its edge undrawn on both sides: its two parts are one row.
        cut_row = next_page and previous[0].open_bottom and table.open_top
        if cut_row:
            offset -= 1
        part: list[Cell] = []
        for cell in table.cells:
            col = _nearest(edges, cell.box.x0)
            last = max(col, _nearest(edges, cell.box.x1) - 1)
            part.append(replace(cell, row=cell.row + offset, col=col, colspan=last - col + 1, words=list(cell.words)))
        if next_page:
            part_starts.append(offset)
            if cut_row:
                part = _join_cut_row(previous[1], part, offset)
            # A cut spanning cell resumes under the header the next page repeats, if it repeats one.
            resumes = offset + _repeated_rows(cells, part, offset)
            _pair_cut_cells(previous[1], part, offset if cut_row else offset - 1, resumes, continuation)
        cells.extend(part)
        previous = (table, part)
        offset += table.n_rows
    return FormTable(cells, offset, max(len(edges) - 1, 1), continuation, part_starts=part_starts)


def _row_texts(cells: list[Cell], row: int) -> dict[int, str]:
    return {c.col: fold(c.text) for c in cells if c.row == row}


def _same_row(a: dict[int, str], b: dict[int, str]) -> bool:
    """Two rows alike cell by cell, allowing the OCR slips a repeated header picks up (级指标 for 一级指标)."""
    if a.keys() != b.keys() or not any(a.values()):
        return False
    texts = [(a[col], b[col]) for col in a if a[col] or b[col]]
    if len(texts) < 3:
        return all(x == y for x, y in texts)
    close = sum(bool(x) and bool(y) and fuzz.ratio(x, y) >= 75 for x, y in texts)
    return close >= 0.8 * len(texts)


def _repeated_rows(before: list[Cell], part: list[Cell], first: int, most: int = 3) -> int:
    """How many of the part's first rows repeat a row printed before (a header Excel or Word repeats)."""
    seen = [_row_texts(before, r) for r in sorted({c.row for c in before})]
    count = 0
    while count < most:
        texts = _row_texts(part, first + count)
        if not any(_same_row(texts, earlier) for earlier in seen):
            break
        count += 1
    return count


def _join_cut_row(before: list[Cell], after: list[Cell], row: int) -> list[Cell]:
    """Give each one-row cell of the cut row's second part to its first part; the rest stay."""
    first = {(c.col, c.colspan): c for c in before if c.row == row and c.rowspan == 1}
    kept = []
    for cell in after:
        other = first.get((cell.col, cell.colspan)) if cell.row == row and cell.rowspan == 1 else None
        if other is None:
            kept.append(cell)
            continue
        other.text = join_lines([other.text, cell.text])
        other.words.extend(cell.words)
        other.confidence = min(other.confidence, cell.confidence)
    return kept


def _pair_cut_cells(
    before: list[Cell], after: list[Cell], last_before: int, first_after: int, continuation: dict[int, list[Cell]]
) -> None:
    """Pair the cells either side of a page break that may be one cut cell.

    Only the columns know whether two such cells are one: the forms layer asks
    for a pair's text where its column holds merged cells.
    """
    bottom = {(c.col, c.colspan): c for c in before if c.last_row == last_before}
    for cell in after:
        other = bottom.get((cell.col, cell.colspan)) if cell.row == first_after else None
        if other is not None:
            parts = continuation.get(id(other)) or [other]
            parts.append(cell)
            for part in parts:
                continuation[id(part)] = parts
