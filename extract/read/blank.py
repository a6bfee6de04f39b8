"""Is a page blank? Seen small and cheaply, so a page with no ink costs no OCR.

The page is rendered at a low resolution (a few milliseconds; never more than a few
megapixels, however large the page), and counts as blank when almost none of its pixels
are darker than the paper. Rules, text and stamps all leave ink; the back of a scanned
sheet, or a page whose content was lost, does not.
"""

from __future__ import annotations

import math

import numpy as np
import pymupdf

from extract.datamodel.page import PageLayout, ReadInfo
from extract.settings import ScanSettings

PREVIEW_MAX_PIXELS = 4_000_000


def preview_zoom(rect: pymupdf.Rect, dpi: int) -> float:
    """The zoom for a preview at `dpi`, lowered so it stays under PREVIEW_MAX_PIXELS."""
    zoom = dpi / 72
    pixels = max(rect.width, 1.0) * max(rect.height, 1.0) * zoom * zoom
    if pixels > PREVIEW_MAX_PIXELS:
        zoom *= math.sqrt(PREVIEW_MAX_PIXELS / pixels)
    return zoom


def ink_share(page: pymupdf.Page, settings: ScanSettings) -> float:
    """Share of the preview's pixels darker than `blank_dark` of the paper."""
    zoom = preview_zoom(page.rect, settings.blank_dpi)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, dtype=np.uint8)
    if gray.size == 0:
        return 0.0
    paper = float(np.percentile(gray, 95))
    if paper < 32:
        return 1.0  # a dark page (an inverted or unlit scan) is anything but blank
    return float(np.count_nonzero(gray < settings.blank_dark * paper)) / gray.size


def is_blank(page: pymupdf.Page, settings: ScanSettings) -> bool:
    return ink_share(page, settings) <= settings.blank_max_share


BLANK_READ = ReadInfo("ocr", steps=("blank: no ink at a glance, so not OCR'd",))


def blank_layout(number: int) -> PageLayout:
    """A blank page after the grid stage: nothing on it."""
    return PageLayout(number, BLANK_READ, [], [])
