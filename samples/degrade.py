"""Degrade text-layer PDFs into image-only scans the way real archives look.

A tilt of up to ±2°, noise and speckle, blur, uneven lighting, JPEG artefacts,
at 150-300 dpi. The grades are named for what they imitate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf


@dataclass(frozen=True)
class Grade:
    name: str
    dpi: int
    max_tilt: float  # degrees, either way
    noise: float  # std of gaussian noise, grey levels
    speckle: float  # share of pixels flipped to dark or light
    blur: float  # gaussian sigma in pixels (0: none)
    lighting: float  # depth of the uneven-lighting gradient, 0..1
    jpeg_quality: int


GRADES = {
    "clean": Grade("clean", dpi=300, max_tilt=0.3, noise=1.0, speckle=0.0, blur=0.0, lighting=0.0, jpeg_quality=85),
    "office": Grade(
        "office", dpi=200, max_tilt=1.0, noise=6.0, speckle=0.0005, blur=0.6, lighting=0.15, jpeg_quality=70
    ),
    "poor": Grade("poor", dpi=150, max_tilt=2.0, noise=12.0, speckle=0.002, blur=0.9, lighting=0.3, jpeg_quality=45),
}


def _render(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()


def degrade_image(gray: np.ndarray, grade: Grade, rng: random.Random) -> np.ndarray:
    np_rng = np.random.default_rng(rng.randrange(2**32))
    h, w = gray.shape
    angle = rng.uniform(-grade.max_tilt, grade.max_tilt)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255).astype(np.float32)
    if grade.blur:
        img = cv2.GaussianBlur(img, (0, 0), grade.blur)
    if grade.lighting:
        # A lamp off to one side: a smooth gradient darkening one corner.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy = rng.choice([0, w]), rng.choice([0, h])
        dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / np.hypot(w, h)
        img *= 1.0 - grade.lighting * (1.0 - dist)
    if grade.noise:
        img += np_rng.normal(0, grade.noise, img.shape).astype(np.float32)
    if grade.speckle:
        mask = np_rng.random(img.shape) < grade.speckle
        img[mask] = np_rng.choice([30.0, 230.0], size=int(mask.sum()))
    return np.clip(img, 0, 255).astype(np.uint8)


def degrade_pdf(data: bytes, grade: Grade, seed: int) -> bytes:
    """An image-only PDF of the same pages, each a degraded JPEG scan."""
    rng = random.Random(seed)
    src = pymupdf.open(stream=data, filetype="pdf")
    out = pymupdf.open()
    for page in src:
        img = degrade_image(_render(page, grade.dpi), grade, rng)
        ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, grade.jpeg_quality])
        assert ok
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=jpeg.tobytes())
    src.close()
    data = out.tobytes(garbage=4, deflate=True)
    out.close()
    return data
