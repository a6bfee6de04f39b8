"""Page images: ink against uneven paper, skew, bands of ink, specks (rules: test_ruling.py)."""

from __future__ import annotations

import cv2
import numpy as np

from extract.read.imaging import (
    clean_speckle,
    estimate_skew,
    ink_bands,
    ink_mask,
    rotate,
)


def _grid_image(rule_grey: int = 0) -> np.ndarray:
    img = np.full((600, 800), 245, np.uint8)
    for y in (100, 200, 300, 400):
        cv2.line(img, (100, y), (700, y), rule_grey, 2)
    for x in (100, 400, 700):
        cv2.line(img, (x, 100), (x, 400), rule_grey, 2)
    cv2.putText(img, "TEXT 123", (130, 160), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 2)
    return img


def test_ink_is_found_under_uneven_light():
    img = _grid_image().astype(np.float32)
    img *= np.linspace(0.6, 1.0, img.shape[1])[None, :]  # a lamp off to the right
    mask = ink_mask(img.astype(np.uint8), 0.6)
    assert mask[100, 150] == 255 and mask[150, 600] == 0 and mask[50, 20] == 0


def test_skew_is_measured_and_undone():
    tilted = rotate(_grid_image(), 1.5)
    angle = estimate_skew(ink_mask(tilted, 0.6), 3.0)
    assert abs(angle + 1.5) < 0.2


def test_ink_bands_merge_small_gaps_and_drop_thin_bands():
    mask = np.zeros((30, 10), np.uint8)
    mask[2:6] = 255
    mask[7:10] = 255  # a 1-row gap: the same band
    mask[20] = 255  # one row: too thin
    assert ink_bands(mask, min_height=2) == [(2, 10)]


def test_specks_are_dropped_and_strokes_kept():
    mask = np.zeros((50, 50), np.uint8)
    mask[10, 10] = 255
    mask[20:30, 20:22] = 255
    cleaned = clean_speckle(mask, min_area=4)
    assert cleaned[10, 10] == 0 and cleaned[25, 21] == 255


def test_a_red_seal_is_lifted_off_and_the_print_under_it_stays(tmp_path):
    """A red seal (盖章) over black print: the seal goes to the paper, the print stays dark."""
    import cv2
    import numpy as np
    import pymupdf

    from extract.read.imaging import render_without_seals

    rgb = np.full((400, 400, 3), 235, np.uint8)
    cv2.putText(rgb, "TEXT", (60, 220), cv2.FONT_HERSHEY_SIMPLEX, 3.0, (20, 20, 20), 8)
    cv2.circle(rgb, (200, 200), 120, (220, 40, 40), 10)  # the seal's ring, over the text
    path = tmp_path / "stamped.png"
    cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    with pymupdf.open(path) as doc:
        gray, sealed = render_without_seals(doc[0], 72)
    assert sealed
    gray = cv2.resize(gray, (400, 400), interpolation=cv2.INTER_NEAREST)  # back to the drawing's pixels
    ring = gray[200 - 120 - 2 : 200 - 120 + 3, 195:205]  # the ring's top, clear of the text
    assert ring.min() > 200
    assert gray[160:225, 60:340].min() < 80  # the print is still there
