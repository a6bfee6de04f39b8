"""A scanned page: rules found in the image, each cell's lines recognised once, in one batch."""

from __future__ import annotations

import numpy as np
import pymupdf

from extract.grid.rules import find_tables
from extract.read.imaging import PixelBox, render_gray
from extract.read.scan import _text_only, prepare_scan, recognise_cells
from extract.settings import GridSettings, ScanSettings
from tests.conftest import SAMPLES
from tests.fakes import FakeOcrEngine

SCAN = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"


def _prepared(page_index: int = 2):
    with pymupdf.open(SCAN) as doc:
        gray = render_gray(doc[page_index], 200)
    return prepare_scan(gray, page_index + 1, 200, "fake 0", ScanSettings())


def test_rules_are_found_in_the_image_and_the_page_straightened():
    scan = _prepared()
    tables = find_tables(scan.content.rules, 3, GridSettings())
    assert len(tables) == 1 and tables[0].n_rows > 10 and tables[0].n_cols >= 6
    read = scan.content.read
    assert read.source == "ocr" and read.dpi == 200 and read.engine == "fake 0"
    assert abs(read.skew_degrees) <= 1.0 and (read.steps == ("deskew",)) == (abs(read.skew_degrees) >= 0.02)


def test_only_lines_of_ink_inside_cells_are_sent_to_the_recogniser_in_one_batch():
    scan = _prepared()
    tables = find_tables(scan.content.rules, 3, GridSettings())
    engine = FakeOcrEngine()
    words = recognise_cells(scan, tables, engine, ScanSettings())
    filled = sum(
        1
        for t in tables
        for c in t.cells
        if any(t.box.x0 <= w.box.cx <= t.box.x1 and c.box.contains_point(w.box.cx, w.box.cy) for w in words)
    )
    empty = sum(1 for t in tables for c in t.cells) - filled
    assert engine.crops_read >= filled > 30 and empty > 0
    assert all(w.text in ("字", "-", "。") for w in words)


def test_a_page_without_rules_falls_back_to_full_page_ocr():
    blank = np.full((400, 300), 250, np.uint8)
    scan = prepare_scan(blank, 1, 200, "fake 0", ScanSettings())
    engine = FakeOcrEngine(text_for=lambda image: "全页")
    words = recognise_cells(scan, [], engine, ScanSettings())
    assert [w.text for w in words] == ["全页"] and engine.crops_read == 0


def test_a_fold_is_painted_out_of_the_text_but_the_strokes_crossing_it_stay():
    dark = np.zeros((60, 400), np.float32)
    dark[28:32, :] = 0.15  # a fold across the page
    dark[10:50, 200:204] = 0.85  # a stroke of a character across it
    mask = np.where(dark > 0.1, 255, 0).astype(np.uint8)
    text = _text_only(mask, [], [PixelBox(0, 28, 400, 31)], dark)
    assert text[28:32, 200:204].all() and not text[28:32, :190].any()


def _cells_page() -> np.ndarray:
    """A ruled 6 x 2 grid at 200 dpi: text lines in the left column; on the right a glyph the ink
    mask cuts in two at a thin stroke (a short piece over a taller one, as 亩 or 台 come apart),
    an equals sign of two thin bars, and plain text."""
    img = np.full((900, 700), 245, np.uint8)
    ys = [100 + 70 * i for i in range(7)]
    for y in ys:
        img[y : y + 2, 100:602] = 20
    for x in (100, 350, 600):
        img[100 : ys[-1] + 2, x : x + 2] = 20
    for y in ys[:-1]:
        img[y + 24 : y + 47, 130:320] = 20  # a line of text, 23 px high
    top = ys[0] + 22
    img[top : top + 5, 460:482] = 20  # the glyph's short top piece ...
    img[top + 8 : top + 22, 458:484] = 20  # ... and its body, 3 px below
    bar = ys[1] + 30
    img[bar : bar + 2, 460:480] = 20  # =
    img[bar + 6 : bar + 8, 460:480] = 20
    for y in ys[2:-1]:
        img[y + 24 : y + 47, 400:560] = 20
    return img


def test_a_glyph_cut_in_two_is_read_whole_and_an_equals_sign_is_kept():
    scan = prepare_scan(_cells_page(), 1, 200, "fake 0", ScanSettings())
    tables = find_tables(scan.content.rules, 1, GridSettings())
    assert len(tables) == 1 and tables[0].n_rows == 6
    engine = FakeOcrEngine()
    words = recognise_cells(scan, tables, engine, ScanSettings())
    px = 200 / 72
    right = sorted((w for w in words if w.box.cx * px > 350), key=lambda w: w.box.cy)
    assert [w.text for w in right[:2]] == ["字", "="], "the two pieces are one crop; the bars an equals sign"
    glyph = right[0]
    assert glyph.box.y0 * px < 100 + 22 and glyph.box.y1 * px > 100 + 22 + 20
    assert engine.crops_read == 6 + 1 + 4  # the text lines, the whole glyph, the other cells' text
