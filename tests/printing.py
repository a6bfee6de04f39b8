"""Print a ruled form from a list of cells into a real text-layer PDF, for tests of one layout.

Deliberately plain (PyMuPDF's built-in CJK font, thin strokes): tests that need
other printers use the corpus in samples/corpus/; this one serves layouts a test
writes by hand, such as a variant defined in the test itself.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

Spec = tuple[int, int, int, int, str]  # row, col, rowspan, colspan, text


def print_form(
    path: Path,
    specs: list[Spec],
    lines_above: list[str] = (),
    col_width: float = 85.0,
    row_height: float = 24.0,
    font_size: float = 9.0,
) -> Path:
    """One page: text lines centred above the grid, then the grid, each cell's text in it."""
    doc = pymupdf.open()
    page = doc.new_page()
    font = pymupdf.Font("china-s")
    y = 50.0
    for text in lines_above:
        width = font.text_length(text, 13)
        page.insert_text(((page.rect.width - width) / 2, y), text, fontname="china-s", fontsize=13)
        y += 24
    n_cols = max(c + cs for _, c, _, cs, _ in specs)
    left = (page.rect.width - n_cols * col_width) / 2
    for row, col, rowspan, colspan, text in specs:
        rect = pymupdf.Rect(
            left + col * col_width,
            y + row * row_height,
            left + (col + colspan) * col_width,
            y + (row + rowspan) * row_height,
        )
        page.draw_rect(rect, color=(0, 0, 0), width=0.6)
        size = font_size
        while text and size > 4:  # shrink a long text until it fits its cell, as a clerk would
            box = rect + (2, 2, -2, -2)
            if page.insert_textbox(box, text, fontname="china-s", fontsize=size, align=pymupdf.TEXT_ALIGN_CENTER) >= 0:
                break
            size -= 0.5
    doc.save(path)
    return path
