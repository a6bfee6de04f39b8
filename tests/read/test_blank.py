"""A page with no ink is found cheaply and costs no OCR; a page with any ink is read."""

from __future__ import annotations

import time

import pymupdf

from extract.pipeline import Extractor
from extract.read.blank import is_blank
from extract.settings import ScanSettings
from tests.conftest import SAMPLES

SCAN = SAMPLES / "scans" / "poor" / "seed_003_self_evaluations.pdf"


def test_an_empty_page_is_blank_and_a_page_with_ink_is_not():
    doc = pymupdf.open()
    doc.new_page()
    doc.new_page().insert_text((72, 72), "第 3 页", fontname="china-s", fontsize=9)
    line = doc.new_page()
    line.draw_line((60, 400), (540, 400), width=0.5)  # the last ruled row of a table
    with pymupdf.open(SCAN) as scan:
        verdicts = [is_blank(page, ScanSettings()) for page in [*doc, scan[0]]]
    assert verdicts == [True, False, False, False]


def test_a_huge_page_is_judged_on_a_small_preview():
    doc = pymupdf.open()
    page = doc.new_page(width=14400, height=14400)
    started = time.perf_counter()
    assert is_blank(page, ScanSettings())
    page.draw_rect(pymupdf.Rect(100, 100, 2000, 2000), color=(0, 0, 0), width=20)
    assert not is_blank(page, ScanSettings())
    assert time.perf_counter() - started < 5


def test_two_thousand_blank_pages_cost_no_ocr_and_little_time(extractor: Extractor):
    doc = pymupdf.open()
    for _ in range(2000):
        doc.new_page()
    started = time.perf_counter()
    result = extractor.extract_file("blank.pdf", doc.tobytes())
    seconds = time.perf_counter() - started
    assert result.ocr_pages == 0 and "ocr" not in result.timings
    assert result.status == "failed" and "no 财政项目支出绩效目标申报表" in result.error  # read, and no form in it
    assert seconds < 60, f"{seconds:.1f}s for 2,000 blank pages"
