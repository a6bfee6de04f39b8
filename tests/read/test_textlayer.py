"""The text layer: glyphs with boxes, vector rules, and when it is trusted over OCR."""

from __future__ import annotations

import pymupdf

from extract.datamodel.geometry import Box, Word
from extract.read.textlayer import has_usable_text, page_rules, page_words, read_text_page
from extract.settings import TextLayerSettings
from tests.conftest import SAMPLES

SETTINGS = TextLayerSettings()


def test_glyphs_come_with_boxes_and_rules_with_coordinates():
    with pymupdf.open(SAMPLES / "text" / "seed_003_self_evaluations.pdf") as doc:
        content = read_text_page(doc[0], SETTINGS)
    text = "".join(w.text for w in content.words)
    assert "财政项目支出绩效自评表" in text
    assert all(w.box.x1 > w.box.x0 for w in content.words)
    assert len(content.rules) > 50 and content.kind == "text" and content.number == 1


def test_thin_filled_rectangles_are_rules():
    doc = pymupdf.open()
    page = doc.new_page()
    for y in (100, 130, 160):
        page.draw_rect(pymupdf.Rect(50, y - 0.4, 300, y + 0.4), color=None, fill=(0, 0, 0))
    for x in (50, 175, 300):
        page.draw_rect(pymupdf.Rect(x - 0.4, 100, x + 0.4, 160), color=None, fill=(0, 0, 0))
    rules = page_rules(page, SETTINGS)
    assert sum(r.horizontal for r in rules) == 3 and sum(not r.horizontal for r in rules) == 3


def test_a_shaded_background_is_not_a_rule():
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(50, 50, 300, 200), color=None, fill=(0.9, 0.9, 0.9))
    assert page_rules(page, SETTINGS) == []


def test_broken_encodings_and_stray_glyphs_on_a_scan_send_the_page_to_ocr():
    doc = pymupdf.open()
    page = doc.new_page()
    assert not has_usable_text([Word("\ufffd", Box(0, 0, 1, 1))] * 10, page, SETTINGS)
    assert not has_usable_text([Word("\ue000", Box(0, 0, 1, 1))] * 10, page, SETTINGS)
    assert not has_usable_text([], page, SETTINGS)
    page.insert_image(page.rect, pixmap=pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 20, 20), 0))
    assert not has_usable_text([Word("字", Box(0, 0, 1, 1))] * 5, page, SETTINGS)
    assert has_usable_text([Word("字", Box(0, 0, 1, 1))] * 30, page, SETTINGS)


def test_page_words_skip_white_space():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "a b", fontsize=12)
    assert [w.text for w in page_words(page)] == ["a", "b"]
