"""A printer-independent description of one printed form.

The printers (HTML, XLSX, DOCX) each read a Sheet and nothing else, so a new
regional layout of the forms is described once, here, and printed three ways.
A Sheet is a grid of cells on a column grid (row, col, rowspan, colspan), the
lines of text printed above and below the grid, and the rows that may repeat at
the top of a page when the grid breaks (the indicator header). Titles may be
lines above the grid or the first full-width cells of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass
class Cell:
    """One printed cell; `scale` enlarges the font (titles), `field` says what it shows."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: Align = "center"
    bold: bool = False
    scale: float = 1.0
    field: str | None = None  # record path of the value it prints, if any; for locating text

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass
class Line:
    """A line of text outside the grid (title, year, 填报单位：…, 单位：万元)."""

    text: str
    align: Align = "center"
    bold: bool = False
    scale: float = 1.0


@dataclass
class Sheet:
    """One form as printed: the grid and what surrounds it.

    `widths` are relative column widths (printers scale them to the page).
    `header_rows` are rows that may repeat after a page break: one or more
    contiguous bands (two indicator tables have two), whose cells do not span out
    of their band. `keep_rows` may not be
    split by a page break (a printer that cannot split rows ignores the set).
    `min_heights` are minimum row heights in multiples of the text line height.
    """

    widths: list[float]
    cells: list[Cell]
    above: list[Line] = field(default_factory=list)
    below: list[Line] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    keep_rows: set[int] = field(default_factory=set)
    min_heights: dict[int, float] = field(default_factory=dict)
    name: str = ""  # what the form is, for messages

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    @property
    def n_rows(self) -> int:
        return max(c.last_row for c in self.cells) + 1 if self.cells else 0

    def row_cells(self, row: int) -> list[Cell]:
        """Cells that start in `row`, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def covering(self) -> dict[tuple[int, int], Cell]:
        """(row, col) -> the cell covering that slot."""
        out: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            for r in range(c.row, c.last_row + 1):
                for k in range(c.col, c.last_col + 1):
                    out[(r, k)] = c
        return out

    def texts(self) -> list[str]:
        """Everything printed for this form, grid and lines, in print order."""
        lines = [ln.text for ln in self.above]
        cells = sorted(self.cells, key=lambda c: (c.row, c.col))
        return lines + [c.text for c in cells if c.text] + [ln.text for ln in self.below]

    def validate(self) -> None:
        """Raise ValueError for a grid a printer cannot draw faithfully."""
        seen: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            if c.rowspan < 1 or c.colspan < 1 or c.col < 0 or c.last_col >= self.n_cols:
                raise ValueError(f"{self.name}: cell outside the grid: {c}")
            for r in range(c.row, c.last_row + 1):
                for k in range(c.col, c.last_col + 1):
                    if (r, k) in seen:
                        raise ValueError(f"{self.name}: cells overlap at {(r, k)}: {c.text!r}, {seen[(r, k)].text!r}")
                    seen[(r, k)] = c
        holes = [(r, k) for r in range(self.n_rows) for k in range(self.n_cols) if (r, k) not in seen]
        if holes:
            raise ValueError(f"{self.name}: grid slots with no cell: {holes[:5]}")
        for band in self.header_bands():
            rows = set(band)
            for c in self.cells:
                inside = [r in rows for r in range(c.row, c.last_row + 1)]
                if any(inside) and not all(inside):
                    raise ValueError(f"{self.name}: cell {c.text!r} spans out of the header band")
                if c.row < band[0] <= c.last_row:
                    raise ValueError(f"{self.name}: cell {c.text!r} spans into the header band")

    def header_bands(self) -> list[list[int]]:
        """The runs of consecutive header rows, top to bottom."""
        bands: list[list[int]] = []
        for r in sorted(set(self.header_rows)):
            if bands and r == bands[-1][-1] + 1:
                bands[-1].append(r)
            else:
                bands.append([r])
        return bands

    def bands(self) -> list[tuple[int, int, int]]:
        """Row ranges [start, end) to print as separate tables, and how many header
        rows each starts with (0: none to repeat).

        Printers repeat only rows at the top of a table, so each header band in
        mid-grid starts a new table, printed flush under the one before.
        """
        starts = [band[0] for band in self.header_bands()]
        sizes = {band[0]: len(band) for band in self.header_bands()}
        cuts = sorted({0, *starts})
        ends = cuts[1:] + [self.n_rows]
        return [(a, b, sizes.get(a, 0)) for a, b in zip(cuts, ends) if b > a]
