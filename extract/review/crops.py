"""Page images and crops for the review page, rendered from the source file as the pipeline saw it.

A text-layer page is rendered as it is. A scanned page is rendered grey and
straightened by the page's `skew_degrees` (from the record's `source.reads`)
about its centre, exactly as `extract/inspect/draw.py` does, so the boxes the
pipeline reports (PDF points, top-left origin, on the straightened page) land
on the value. A crop is the page around a box, the box outlined in red.
Rendered pages are kept in a small LRU, one per server (`PageImages`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf

from extract.read.document import open_document
from extract.read.imaging import render_gray, rotate
from models import Record

OUTLINE = (0, 0, 220)  # BGR: red
MARGIN_X, MARGIN_Y = 90.0, 40.0  # points of page shown around the box: the label and the next cells


@dataclass(frozen=True)
class PageRead:
    """What a page needs to be drawn as the pipeline saw it."""

    scanned: bool
    skew: float


def page_read(record: Record, page: int) -> PageRead:
    reads = record.source.reads if record.source else []
    read = next((r for r in reads if r.page == page), None)
    if read is None:
        return PageRead(False, 0.0)
    return PageRead(read.source == "ocr", float(read.skew_degrees or 0.0))


def render(data: bytes, name: str, page: int, read: PageRead, dpi: int) -> np.ndarray:
    """The page (1-based) as a BGR image at `dpi`, a scan straightened."""
    document = open_document(name, data)
    try:
        if not 1 <= page <= document.page_count:
            raise LookupError(f"the file has no page {page}")
        source = document.doc[page - 1]
        if read.scanned:
            return cv2.cvtColor(rotate(render_gray(source, dpi), read.skew), cv2.COLOR_GRAY2BGR)
        pix = source.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
        rgb = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    finally:
        document.close()


def png(image: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("the image could not be encoded as PNG")
    return encoded.tobytes()


def outlined(image: np.ndarray, box: list[float], dpi: int) -> np.ndarray:
    """A copy of the page with the box (points) outlined."""
    scale = dpi / 72.0
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    thick = max(2, round(scale))
    out = image.copy()
    cv2.rectangle(out, (x0 - thick, y0 - thick), (x1 + thick, y1 + thick), OUTLINE, thick)
    return out


def crop(image: np.ndarray, box: list[float], dpi: int) -> np.ndarray:
    """The page around `box` (points), the box outlined."""
    scale = dpi / 72.0
    height, width = image.shape[:2]
    x0, y0, x1, y1 = (v * scale for v in box)
    left = int(max(0, x0 - MARGIN_X * scale))
    top = int(max(0, y0 - MARGIN_Y * scale))
    right = int(min(width, x1 + MARGIN_X * scale))
    bottom = int(min(height, y1 + MARGIN_Y * scale))
    if right - left < 4 or bottom - top < 4:
        raise LookupError("the box lies outside the page")
    shifted = [v - d / scale for v, d in zip(box, (left, top, left, top))]
    return outlined(image[top:bottom, left:right], shifted, dpi)


def shrink(image: np.ndarray, max_width: int) -> np.ndarray:
    height, width = image.shape[:2]
    if width <= max_width:
        return image
    return cv2.resize(image, (max_width, round(height * max_width / width)), interpolation=cv2.INTER_AREA)


class PageImages:
    """Rendered pages by (sha256, page, dpi), the latest `size` kept; safe to share between request threads."""

    def __init__(self, size: int = 12) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str, page: int, dpi: int, load: Callable[[], tuple[str, bytes, PageRead]]) -> np.ndarray:
        """The page image; `load()` -> (name, bytes) of the source file is called only on a miss."""
        key = (sha256, page, dpi)
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
        name, data, read = load()
        image = render(data, name, page, read, dpi)
        with self._lock:
            self._pages[key] = image
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return image
