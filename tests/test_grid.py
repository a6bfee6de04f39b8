"""The grid stage on PDFs written by others, and on hand-made edge cases."""

from __future__ import annotations

import json

import pymupdf
import pytest

from extract.geometry import Box, Rule, Word
from extract.grid import find_tables, place_words, fill_cell_text
from extract.layout import page_to_layout
from extract.page import PageContent
from extract.settings import GridSettings
from extract.text import join_lines
from extract.textlayer import read_text_page
from tests.conftest import SHARED

DATASETS = SHARED / "datasets"


def _datasets():
    if not DATASETS.is_dir():
        pytest.skip(f"public table datasets not found at {DATASETS} (shared/ sits beside the clone)")
    return DATASETS


def _layout(pdf, page=0):
    with pymupdf.open(pdf) as doc:
        return page_to_layout(read_text_page(doc[page]), GridSettings())


def test_pymupdf_chinese_tables_exact_cells():
    data = _datasets() / "pymupdf"
    expected = json.loads((data / "chinese-tables.expected.json").read_text(encoding="utf-8"))
    layout = _layout(data / "chinese-tables.pdf")
    assert len(layout.tables) == len(expected["extracts"]) == 2
    for table, want in zip(layout.tables, expected["extracts"]):
        want_rows = [[join_lines(c.split("\n")) if c else "" for c in row] for row in want]
        assert table.as_rows() == want_rows


CAMELOT_EXACT = [
    ("files/tabula/icdar2013-dataset/competition-dataset-us/us-030.pdf", 1, "lattice"),
    ("files/column_span_2.pdf", 0, "lattice_shift_text_left_top"),
    ("files/background_lines_1.pdf", 0, "lattice_process_background"),
    ("files/twotables_2.pdf", 0, "lattice_two_tables_t1"),
]


@pytest.mark.parametrize("pdf,page,case_id", CAMELOT_EXACT, ids=[c[2] for c in CAMELOT_EXACT])
def test_camelot_cases_recovered_cell_for_cell(pdf, page, case_id):
    root = _datasets() / "camelot"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    case = next(c for c in manifest["cases"] if c["id"] == case_id)
    want = [[cell.replace("\n", "").replace(" ", "") for cell in row] for row in case["expected"]]
    tables = [t.as_rows() for t in _layout(root / pdf, page).tables]
    got = [[[cell.replace(" ", "") for cell in row] for row in rows] for rows in tables]
    assert want in got


def _ruled(xs, ys, skip_v=(), skip_h=()):
    """Rules of a grid; skip_v/skip_h: (index, segment index) pairs left undrawn (merges)."""
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


def test_merged_cells_get_spans():
    xs, ys = [0, 50, 100, 150], [0, 20, 40, 60]
    # Merge column 0 over rows 1-2 (no horizontal rule at y=40 in column 0),
    # and row 0 over columns 1-2 (no vertical rule at x=100 in row 0).
    rules = _ruled(xs, ys, skip_v={(2, 0)}, skip_h={(2, 0)})
    content = PageContent(1, 200, 100, [], rules)
    (table,) = find_tables(content, GridSettings())
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in table.cells)
    assert spans == [(0, 0, 1, 1), (0, 1, 1, 2), (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1),
                     (2, 1, 1, 1), (2, 2, 1, 1)]


def test_wrapped_label_joins_and_straddling_line_splits():
    xs, ys = [0, 60, 200], [0, 40]
    rules = _ruled(xs, ys)
    words = [
        Word("服务办事处人员覆", Box(2, 4, 58, 16), 0.99),
        Word("盖率", Box(2, 20, 16, 32), 0.98),
        # One OCR line across the ruling at x=60: the text of two cells.
        Word("完成率≥90.00(%)", Box(30, 22, 130, 34), 0.95),
    ]
    content = PageContent(1, 300, 100, words[:2], rules)
    (table,) = find_tables(content, GridSettings())
    place_words([table], words)
    fill_cell_text(table)
    left, right = table.cells
    assert left.text.startswith("服务办事处人员覆盖率")
    assert right.text.endswith("90.00(%)")
    assert left.confidence == 0.95


def test_thin_filled_rectangles_are_rules(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    for y in (100, 130, 160):
        page.draw_rect(pymupdf.Rect(50, y - 0.4, 300, y + 0.4), color=None, fill=(0, 0, 0))
    for x in (50, 175, 300):
        page.draw_rect(pymupdf.Rect(x - 0.4, 100, x + 0.4, 160), color=None, fill=(0, 0, 0))
    path = tmp_path / "thin.pdf"
    doc.save(path)
    layout = _layout(path)
    assert len(layout.tables) == 1
    assert (layout.tables[0].n_rows, layout.tables[0].n_cols) == (2, 2)
