"""A ruled table found on one page: its cells with their spans, boxes and text."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.datamodel.geometry import Box, Word


@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box
    page: int
    words: list[Word] = field(default_factory=list)
    text: str = ""
    confidence: float = 1.0

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass
class Table:
    page: int
    box: Box
    col_edges: list[float]
    row_edges: list[float]
    cells: list[Cell]
    open_top: bool = False  # its first row's top edge is not drawn (a page break cut the table there)
    open_bottom: bool = False  # likewise its last row's bottom edge

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1

    def cell_at(self, row: int, col: int) -> Cell | None:
        for cell in self.cells:
            if cell.row <= row <= cell.last_row and cell.col <= col <= cell.last_col:
                return cell
        return None

    def as_rows(self) -> list[list[str]]:
        """Text by row and column; a merged-away position is ''."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            grid[cell.row][cell.col] = cell.text
        return grid
