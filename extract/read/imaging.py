"""Page images: render, straighten, find ruling lines, find lines of ink.

Pure functions on numpy arrays (grey, uint8, white paper). Pixel results are
turned into points by the caller, so image pages meet text-layer pages at the
grid stage in one coordinate system.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf


@dataclass(frozen=True)
class PixelBox:
    x0: int
    y0: int
    x1: int
    y1: int


def render_gray(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()


SEAL_REDNESS = 30  # red over the larger of green and blue: a red seal's ink, not black or grey print
SEAL_BRIGHT_RED = 150  # a seal pixel this bright in red has no black print under it
SEAL_MIN_SHARE = 0.0005  # of the page's pixels, before a page counts as stamped


def render_without_seals(page: pymupdf.Page, dpi: int) -> tuple[np.ndarray, bool]:
    """The page in grey with red seals (盖章) lifted off: (image, whether a seal was found).

    A seal printed over text is read as ink (its characters joined to the cell's), and hides
    the strokes under it. Red ink is bright in the red channel while black print stays dark
    there, so where a pixel is red its red channel stands for it. A page without colour (a
    bitonal or grey scan) has no red: its grey is the same as `render_gray`'s.
    """
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB)
    rgb = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    red = rgb[:, :, 0]
    redness = red.astype(np.int16) - np.maximum(rgb[:, :, 1], rgb[:, :, 2])
    seal = redness > SEAL_REDNESS
    if np.count_nonzero(seal) < SEAL_MIN_SHARE * seal.size:
        return gray, False
    # JPEG smears a seal's colour a pixel or two past its strokes: widen the mask to cover the fringe.
    seal = cv2.dilate(seal.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    # Bright in red: seal ink on paper, lifted to the paper; dark in red too: print under the seal, kept.
    paper = np.uint8(np.percentile(gray, 90))
    lifted = seal & (red > SEAL_BRIGHT_RED)
    gray[lifted] = paper
    under = seal & ~lifted
    gray[under] = np.maximum(gray[under], red[under])
    return gray, True


def paper_level(gray: np.ndarray) -> np.ndarray:
    """The paper's own brightness around each pixel (uneven lighting included).

    A max filter wide enough to wipe out strokes, then a wide mean; float32.
    """
    paper = cv2.dilate(cv2.medianBlur(gray, 3), cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    return cv2.blur(paper, (31, 31)).astype(np.float32) + 1.0


def darkness(gray: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """How much darker than the paper around it each pixel is: 0 paper .. 1 black (float32)."""
    return np.clip(1.0 - gray.astype(np.float32) / paper, 0.0, 1.0)


def ink_level(dark: np.ndarray, floor: float = 0.1) -> float:
    """The darkness of the page's ink: the 95th percentile of what is darker than `floor`.

    A faded or blurred scan's ink may never get half as dark as fresh print; a
    threshold at a share of this level finds it where a fixed one finds nothing.
    """
    marks = dark[dark > floor]
    if marks.size < 200:
        return 1.0
    return float(np.percentile(marks, 95))


def ink_mask(
    gray: np.ndarray, ink_ratio: float, paper: np.ndarray | None = None, ink_share: float | None = None
) -> np.ndarray:
    """Dark marks as 255, paper as 0: darker than `ink_ratio` of the paper around them.

    Measured against the paper around each pixel, so uneven lighting cancels;
    grain and JPEG noise stay far above the ink ratio. With `ink_share`, a pixel
    is ink once its darkness reaches that share of the page's own ink level
    (never needing more than 1 - `ink_ratio`), so faded print is ink too.
    """
    paper = paper_level(gray) if paper is None else paper
    dark = darkness(cv2.medianBlur(gray, 3), paper)
    threshold = 1.0 - ink_ratio
    if ink_share is not None:
        threshold = min(threshold, max(INK_FLOOR, ink_share * ink_level(dark)))
    return np.where(dark > threshold, 255, 0).astype(np.uint8)


INK_FLOOR = 0.08  # darkness below this is never ink: show-through, paper grain


def estimate_skew(mask: np.ndarray, max_angle: float = 3.0) -> float:
    """The tilt (degrees) that makes rows of ink sharpest: tables are full of rules.

    A coarse then a fine search of the row-profile variance on a reduced image.
    """
    scale = 800.0 / max(mask.shape)
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else mask
    h, w = small.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(rotated.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.25), key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return float(max(fine, key=sharpness))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.02:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def ink_bands(mask: np.ndarray, min_height: int, axis: int = 1, min_gap: int = 2) -> list[tuple[int, int]]:
    """Runs of rows (axis=1) or columns (axis=0) holding ink, merged over small gaps."""
    profile = (mask > 0).sum(axis=axis)
    rows = np.flatnonzero(profile > 0)
    if rows.size == 0:
        return []
    bands = []
    start = prev = int(rows[0])
    for r in rows[1:]:
        r = int(r)
        if r - prev > min_gap:
            bands.append((start, prev + 1))
            start = r
        prev = r
    bands.append((start, prev + 1))
    return [(a, b) for a, b in bands if b - a >= min_height]


def stretches(flags: np.ndarray) -> list[tuple[int, int]]:
    """The [lo, hi) ranges where a 1-D array of flags is true."""
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def clean_speckle(mask: np.ndarray, min_area: int) -> np.ndarray:
    """Drop specks of ink smaller than `min_area` pixels (scanner noise)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return np.where(keep[labels], 255, 0).astype(np.uint8)
