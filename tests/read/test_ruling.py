"""Rules in a page image: faint, blurred, broken ones, a table cut by a page break; text is no rule."""

from __future__ import annotations

import cv2
import numpy as np

from extract.read.imaging import darkness, paper_level
from extract.read.ruling import find_rules
from extract.read.scan import rule_finding
from extract.settings import ScanSettings

PX = 200 / 72


def _rules(img: np.ndarray):
    return find_rules(darkness(img, paper_level(img)), rule_finding(ScanSettings(), PX))


def _page(grey: int, broken: bool = False, noise: float = 0.0, closed_bottom: bool = True) -> np.ndarray:
    img = np.full((1200, 900), 235, np.uint8)
    rows = (100, 160, 220, 280, 340) if closed_bottom else (100, 160, 220, 280)
    for y in rows:
        cv2.line(img, (100, y), (800, y), grey, 2)
    for x in (100, 300, 550, 800):
        cv2.line(img, (x, 100), (x, 340), grey, 2)
    if broken:
        for x in range(160, 740, 90):
            img[95:105, x : x + 12] = 235  # a worn rule: gaps along it
    for y in (135, 195, 255, 315):
        cv2.putText(img, "TEXT 1234 ABC", (320, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 30, 2)
    img = cv2.GaussianBlur(img, (5, 5), 1.0)
    if noise:
        rng = np.random.default_rng(1)
        img = np.clip(img + rng.normal(0, noise, img.shape), 0, 255).astype(np.uint8)
    return img


def test_faint_blurred_noisy_rules_are_found_and_text_is_not():
    found = _rules(_page(grey=170, noise=6.0))
    assert len(found.horizontal) == 5 and len(found.vertical) == 4
    assert all(b.x1 - b.x0 > 600 for b in found.horizontal)


def test_a_broken_rule_is_joined_into_one():
    found = _rules(_page(grey=120, broken=True))
    top = [b for b in found.horizontal if abs((b.y0 + b.y1) / 2 - 100) < 6]
    assert len(top) == 1 and top[0].x1 - top[0].x0 > 650


def test_a_table_cut_by_a_page_break_keeps_its_columns():
    found = _rules(_page(grey=60, closed_bottom=False))  # no rule under the last row
    assert len(found.vertical) == 4 and len(found.horizontal) == 4


def test_side_rules_continued_by_show_through_are_two_tables_rules():
    """Two forms on one page, the paper between them crossed by a faint ghost of their side rules
    (show-through from the back of the sheet): the rules stop where the print stops."""
    img = np.full((1400, 900), 235, np.uint8)
    for top, bottom in ((100, 500), (800, 1200)):
        for y in (top, (top + bottom) // 2, bottom):
            cv2.line(img, (100, y), (800, y), 40, 2)
        for x in (100, 450, 800):
            cv2.line(img, (x, top), (x, bottom), 40, 2)
    for x in (100, 800):
        cv2.line(img, (x, 500), (x, 800), 222, 2)  # the ghost between them
    found = _rules(img)
    sides = sorted((b.y0, b.y1) for b in found.vertical if abs(b.x0 - 100) < 6)
    assert len(sides) == 2 and sides[0][1] < 520 and sides[1][0] > 780


def test_show_through_ghosts_outnumbering_the_rules_are_not_rules_and_do_not_hide_a_border():
    """The back of the sheet shows through as many long faint rules, more than the front's own,
    and one of them runs on from the front table's left border: the ghosts are dropped, the
    border kept (its darkness is the border's, not the ghost's it runs into)."""
    img = np.full((1400, 900), 240, np.uint8)
    for y in (100, 200, 300):
        cv2.line(img, (100, y), (800, y), 30, 2)
    for x in (100, 450, 800):
        cv2.line(img, (x, 100), (x, 300), 30, 2)
    for y in range(330, 1300, 45):  # the ghost table, mirrored from the back
        cv2.line(img, (60, y), (840, y), 226, 2)
    cv2.line(img, (100, 300), (100, 1300), 226, 2)  # a ghost rule continuing the left border
    found = _rules(img)
    assert sorted(round((b.y0 + b.y1) / 2) for b in found.horizontal) == [100, 200, 300]
    left = [b for b in found.vertical if abs(b.x0 - 100) < 6]
    assert len(left) == 1 and left[0].y0 < 110 and left[0].y1 < 330


def test_both_directions_at_once_find_the_same_rules():
    img = _page(grey=120, broken=True, noise=4.0)
    dark, finding = darkness(img, paper_level(img)), rule_finding(ScanSettings(), PX)
    alone, together = find_rules(dark, finding, threads=1), find_rules(dark, finding, threads=2)
    assert together == alone
    assert len(together.horizontal) >= 4 and len(together.vertical) >= 4
