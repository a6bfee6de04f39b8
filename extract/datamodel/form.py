"""One form as the forms layer sees it: its region, its stitched table, its raw values."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.datamodel.geometry import Box, TextLine
from extract.datamodel.table import Cell, Table
from extract.normalize.labels import Label
from extract.normalize.text import join_lines


@dataclass
class FormRegion:
    """One form: its title (None when it was found by its labels alone), year line, tables, other lines."""

    form_type: str
    title: TextLine | None
    year_line: TextLine | None = None
    tables: list[Table] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)  # other text outside the grid: 填报单位：…, notes
    title_score: float = 1.0  # how well the title matched its form type (0: no title)
    title_in_grid: bool = False  # the title was printed in the grid's first rows

    @property
    def pages(self) -> list[int]:
        pages = {t.page for t in self.tables} | ({self.title.page} if self.title else set())
        return sorted(pages)


@dataclass
class FormTable:
    """A form's tables stitched across page breaks into one logical table.

    A spanning cell cut by a page break appears as two cells, one each side of
    the break; `continuation` pairs them so the forms layer can give the cut
    cell's text to every row it spans.
    """

    cells: list[Cell]
    n_rows: int
    n_cols: int
    # id(cell) -> every part of the cut cell it belongs to, in page order (a cell may run over pages)
    continuation: dict[int, list[Cell]] = field(default_factory=dict)
    part_starts: list[int] = field(default_factory=list)  # first row of each part on a later page
    _index: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for cell in self.cells:
            for r in range(cell.row, cell.last_row + 1):
                for c in range(cell.col, cell.last_col + 1):
                    self._index.setdefault((r, c), cell)

    def cell_at(self, row: int, col: int) -> Cell | None:
        return self._index.get((row, col))

    def text_of(self, cell: Cell) -> str:
        """The text of a cell that page breaks may have cut in parts.

        A part with no text of its own takes the first other part's that has
        some; parts that have text keep their own (run-on text is the caller's
        call, see `run_on_text`).
        """
        if cell.text:
            return cell.text
        return next((part.text for part in self.continuation.get(id(cell), ()) if part.text), "")

    def run_on_text(self, cell: Cell) -> str | None:
        """All parts' texts joined in page order, when more than one part has text."""
        texts = [part.text for part in self.continuation.get(id(cell), ()) if part.text]
        if len(texts) < 2 or len(set(texts)) < 2:
            return None
        return join_lines(texts)


@dataclass(frozen=True)
class Extracted:
    """A raw value and where it came from: page, box (PDF points), how sure."""

    text: str | None
    page: int | None = None
    box: Box | None = None
    confidence: float = 1.0  # how sure we are the text was read right
    match: float = 1.0  # how well its label (or column header) matched

    @classmethod
    def from_cell(cls, table: FormTable, cell: Cell, match: float = 1.0, spanning: bool = False) -> Extracted:
        """`spanning`: a merged-cell column, where a cut cell takes its other part's text."""
        text = (table.text_of(cell) if spanning else cell.text) or None
        return cls(text, cell.page, cell.box, cell.confidence, match)


MISSING = Extracted(None, confidence=1.0, match=0.0)


@dataclass
class LabelledCell:
    cell: Cell
    label: Label
    score: float
    inline_value: str | None = None  # the value printed in the label's own cell (`项目名称：…`)


@dataclass
class IndicatorRow:
    values: dict[str, Extracted] = field(default_factory=dict)  # column field -> value
    table: str = "annual"  # annual or long_term: the indicator table the row is in
    split: bool = False  # a cell of it spanned rows with values of their own: its lines were shared out


@dataclass
class IndicatorTable:
    rows: list[IndicatorRow]
    totals: dict[str, Extracted]  # total_weight, total_score
    columns: dict[str, int]  # column field -> grid column
    # (field, reason): rows that may have been merged, lost or gained (`indicators`), or one row in doubt
    doubts: list[tuple[str, str]] = field(default_factory=list)
