"""The grid stage: ruling lines become cells, words become cell text.

A chain of pure functions in the manner of pdfplumber:
``rules_to_segments -> segments_to_components -> component_to_cells``, then
``place_words`` puts each word into its cell. Text-layer and OCR pages both
arrive here as words with boxes and rules with coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.geometry import Box, Rule, TextLine, Word, union_all
from extract.page import PageContent
from extract.settings import GridSettings
from extract.text import is_cjk, join_lines


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


@dataclass
class Segment:
    """A merged ruling: `pos` is y for horizontal, x for vertical; [lo, hi] its extent."""

    horizontal: bool
    pos: float
    lo: float
    hi: float


# --- rules -> segments ------------------------------------------------------

def _merge_collinear(items: list[tuple[float, float, float]], horizontal: bool,
                     snap: float, join: float) -> list[Segment]:
    items.sort()
    rows: list[list[tuple[float, float, float]]] = []
    for item in items:
        if rows and item[0] - rows[-1][-1][0] <= snap:
            rows[-1].append(item)
        else:
            rows.append([item])
    segments: list[Segment] = []
    for group in rows:
        pos = sum(p for p, _, _ in group) / len(group)
        spans = sorted((lo, hi) for _, lo, hi in group)
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi + join:
                hi = max(hi, b)
            else:
                segments.append(Segment(horizontal, pos, lo, hi))
                lo, hi = a, b
        segments.append(Segment(horizontal, pos, lo, hi))
    return segments


def rules_to_segments(rules: list[Rule], settings: GridSettings) -> list[Segment]:
    horizontal = [(r.y0 + r.y1) / 2 for r in rules]
    h_items, v_items = [], []
    for rule, mid in zip(rules, horizontal):
        if rule.horizontal:
            if rule.x1 - rule.x0 >= settings.min_rule_length:
                h_items.append((mid, rule.x0, rule.x1))
        else:
            if rule.y1 - rule.y0 >= settings.min_rule_length:
                v_items.append(((rule.x0 + rule.x1) / 2, rule.y0, rule.y1))
    return (_merge_collinear(h_items, True, settings.snap, settings.join)
            + _merge_collinear(v_items, False, settings.snap, settings.join))


# --- segments -> components -------------------------------------------------

def _touches(h: Segment, v: Segment, tol: float) -> bool:
    return h.lo - tol <= v.pos <= h.hi + tol and v.lo - tol <= h.pos <= v.hi + tol


def segments_to_components(segments: list[Segment], tol: float) -> list[list[Segment]]:
    """Group segments that cross or touch: each group is one table's ruling."""
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, s in enumerate(segments) if s.horizontal]
    vs = [i for i, s in enumerate(segments) if not s.horizontal]
    for i in hs:
        for j in vs:
            if _touches(segments[i], segments[j], tol):
                parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = {}
    for i, seg in enumerate(segments):
        groups.setdefault(find(i), []).append(seg)
    return [g for g in groups.values()
            if sum(s.horizontal for s in g) >= 2 and sum(not s.horizontal for s in g) >= 2]


# --- component -> cells -----------------------------------------------------

def cluster_positions(values: list[float], tol: float) -> list[float]:
    """Positions within `tol` of their neighbour are one: their mean, in order."""
    values = sorted(values)
    clusters: list[list[float]] = []
    for v in values:
        if clusters and v - clusters[-1][-1] <= tol:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    return [sum(c) / len(c) for c in clusters]


def _covered(segments: list[Segment], pos: float, lo: float, hi: float,
             tol: float, min_cover: float) -> bool:
    """Is the span lo..hi at `pos` drawn, for at least `min_cover` of its length?"""
    need = (hi - lo) * min_cover
    got = 0.0
    for seg in segments:
        if abs(seg.pos - pos) <= tol:
            got += max(0.0, min(hi, seg.hi + tol) - max(lo, seg.lo - tol))
    return got >= need


def component_to_table(component: list[Segment], page: int, settings: GridSettings) -> Table | None:
    hs = [s for s in component if s.horizontal]
    vs = [s for s in component if not s.horizontal]
    ys = cluster_positions([s.pos for s in hs], settings.snap)
    xs = cluster_positions([s.pos for s in vs], settings.snap)
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    tol = settings.snap
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _covered(vs, xs[c + 1], ys[r], ys[r + 1], tol, settings.min_cover):
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and not _covered(hs, ys[r + 1], xs[c], xs[c + 1], tol, settings.min_cover):
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            regions.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for members in regions.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        # A region with no border at all on some side lies outside the ruled area.
        box = Box(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box, page))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(page, Box(xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells)


def find_tables(content: PageContent, settings: GridSettings) -> list[Table]:
    segments = rules_to_segments(content.rules, settings)
    tables = []
    for component in segments_to_components(segments, settings.snap * 2):
        table = component_to_table(component, content.number, settings)
        if table is not None and table.box.width >= settings.min_table_width \
                and table.box.height >= settings.min_table_height:
            tables.append(table)
    tables.sort(key=lambda t: (t.box.y0, t.box.x0))
    return tables


# --- words -> cells -----------------------------------------------------------

def _char_weight(ch: str) -> float:
    return 1.0 if is_cjk(ch) else 0.55


def split_word(word: Word) -> list[Word]:
    """Split a multi-character word into glyphs with boxes estimated by advance.

    OCR returns whole lines; a line that straddles a ruling must be cut where
    the ruling falls, so each character gets its share of the line's width.
    """
    if len(word.text) <= 1:
        return [word]
    weights = [_char_weight(ch) for ch in word.text]
    total = sum(weights)
    x = word.box.x0
    out = []
    for ch, w in zip(word.text, weights):
        dx = word.box.width * w / total
        out.append(Word(ch, Box(x, word.box.y0, x + dx, word.box.y1), word.confidence))
        x += dx
    return out


def _cell_for_point(cells: list[Cell], x: float, y: float) -> Cell | None:
    for cell in cells:
        if cell.box.contains_point(x, y):
            return cell
    return None


def place_words(tables: list[Table], words: list[Word]) -> list[Word]:
    """Put each word in the cell holding its centre; return the words outside tables.

    A word whose box crosses a cell border is split into glyphs first.
    """
    outside: list[Word] = []
    for word in words:
        table = next((t for t in tables if t.box.contains_point(word.box.cx, word.box.cy)), None)
        if table is None:
            outside.append(word)
            continue
        cell = _cell_for_point(table.cells, word.box.cx, word.box.cy)
        if cell is not None and len(word.text) > 1 and not (
                cell.box.x0 - 1 <= word.box.x0 and word.box.x1 <= cell.box.x1 + 1):
            for glyph in split_word(word):
                target = _cell_for_point(table.cells, glyph.box.cx, glyph.box.cy)
                if target is not None:
                    target.words.append(glyph)
            continue
        if cell is not None:
            cell.words.append(word)
    return outside


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Cluster words into visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.cy, w.box.x0)):
        if lines:
            last = lines[-1]
            top = min(w.box.y0 for w in last)
            bottom = max(w.box.y1 for w in last)
            overlap = min(bottom, word.box.y1) - max(top, word.box.y0)
            if overlap >= 0.5 * min(word.box.height, bottom - top):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.box.x0) for line in lines]


def _line_text(line: list[Word]) -> str:
    out = line[0].text
    for prev, word in zip(line, line[1:]):
        gap = word.box.x0 - prev.box.x1
        height = max(prev.box.height, word.box.height)
        out += (" " if gap > 0.3 * height else "") + word.text
    return out


def fill_cell_text(table: Table) -> None:
    for cell in table.cells:
        if not cell.words:
            cell.text, cell.confidence = "", 1.0
            continue
        cell.text = join_lines([_line_text(line) for line in group_lines(cell.words)])
        cell.confidence = min(w.confidence for w in cell.words)


def words_to_text_lines(words: list[Word], page: int) -> list[TextLine]:
    """Text outside tables, as visual lines (titles, year lines, notes)."""
    out = []
    for line in group_lines(words):
        text = join_lines([_line_text(line)])
        if text:
            out.append(TextLine(text, union_all([w.box for w in line]), page,
                                min(w.confidence for w in line)))
    return out
