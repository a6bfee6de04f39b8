"""Words become cell text: each word goes to the cell holding its centre.

OCR returns whole lines; a line that straddles a ruling is cut where the
ruling falls. A cell's words are grouped into visual lines and the wrapped
lines joined by the contract's rule (Chinese without a space).
"""

from __future__ import annotations

from itertools import pairwise

from extract.datamodel.geometry import Box, TextLine, Word, union_all
from extract.datamodel.table import Cell, Table
from extract.normalize.text import is_cjk, join_lines


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
        if (
            cell is not None
            and len(word.text) > 1
            and not (cell.box.x0 - 1 <= word.box.x0 and word.box.x1 <= cell.box.x1 + 1)
        ):
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
    for prev, word in pairwise(line):
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
            out.append(TextLine(text, union_all([w.box for w in line]), page, min(w.confidence for w in line)))
    return out
