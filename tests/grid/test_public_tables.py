"""The grid stage on PDFs written by others: the public table datasets in shared/."""

from __future__ import annotations

import json

import pymupdf
import pytest

from extract.grid.layout import page_to_layout
from extract.normalize.text import join_lines
from extract.read.textlayer import read_text_page
from extract.settings import GridSettings, TextLayerSettings
from tests.conftest import SHARED

DATASETS = SHARED / "datasets"


def _datasets():
    if not DATASETS.is_dir():
        pytest.skip(f"public table datasets not found at {DATASETS} (shared/ sits beside the clone)")
    return DATASETS


def _layout(pdf, page=0):
    with pymupdf.open(pdf) as doc:
        return page_to_layout(read_text_page(doc[page], TextLayerSettings()), GridSettings())


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
