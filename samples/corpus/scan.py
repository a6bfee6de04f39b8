"""Scan profiles: a printed text PDF becomes image-only pages, as a scanner makes them.

clean   300 dpi, tiny tilt, mild noise
office  200 dpi, tilt within ±1°, slight blur and noise, JPEG q60
archive 150 dpi, tilt within ±2°, gaussian blur, speckle, faded and broken
        rules, uneven lighting, JPEG q45
bitonal 200–300 dpi, 1-bit, a multi-page CCITT Group 4 TIFF

Some pages also get a red seal over text, a signature, a fold, punch holes or
show-through from the back page. Every draw comes from a seed made of the file
name and the profile, and what each page received goes to NAME.scan.json.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
import pymupdf
from PIL import Image

from samples.corpus import scan_marks as marks


@dataclass(frozen=True)
class Profile:
    name: str
    dpi: tuple[int, ...]
    tilt: float  # degrees, either way
    noise: tuple[float, float]  # gaussian sigma range, grey levels
    blur: tuple[float, float]  # gaussian radius range, pixels
    jpeg: int | None  # None: 1-bit Group 4 TIFF
    speckle: float = 0.0  # dark and white specks per megapixel, thousands
    fade: tuple[float, float] = (1.0, 1.0)  # ink contrast kept
    broken_rules: float = 0.0  # share of rule length dropped out
    lighting: float = 0.0  # darkening towards one corner
    mark_rate: float = 0.3  # chance of each extra mark on a page


PROFILES = {
    "clean": Profile("clean", (300,), 0.25, (1.5, 3.0), (0.0, 0.0), 88, mark_rate=0.2),
    "office": Profile("office", (200,), 1.0, (3.0, 6.0), (0.3, 0.7), 60, mark_rate=0.35),
    "archive": Profile(
        "archive",
        (150,),
        2.0,
        (4.0, 8.0),
        (0.7, 1.2),
        45,
        speckle=0.6,
        fade=(0.55, 0.8),
        broken_rules=0.12,
        lighting=0.22,
        mark_rate=0.45,
    ),
    "bitonal": Profile("bitonal", (200, 240, 300), 0.8, (2.0, 4.0), (0.0, 0.4), None, speckle=0.2, mark_rate=0.35),
}


def _seed(name: str, profile: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{name}|{profile}".encode()).digest()[:8], "big")


def _render(doc: pymupdf.Document, index: int, dpi: int) -> np.ndarray:
    pix = doc[index].get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3).copy()


def _break_rules(page: np.ndarray, rng: np.random.Generator, share: float, dpi: int) -> None:
    """Drop out short stretches of the long ruled lines, as a worn copy does."""
    dark = (page.mean(axis=2) < 140).astype(np.uint8)
    length = dpi // 2
    for kernel in (np.ones((1, length), np.uint8), np.ones((length, 1), np.uint8)):
        rules = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
        ys, xs = np.nonzero(rules)
        if len(ys) == 0:
            continue
        n = int(len(ys) * share / 30)
        for i in rng.choice(len(ys), size=min(n, len(ys)), replace=False):
            y, x = ys[i], xs[i]
            gap = int(rng.integers(3, 12))
            if kernel.shape[0] == 1:
                page[max(0, y - 2) : y + 3, x : x + gap][rules[max(0, y - 2) : y + 3, x : x + gap] > 0] = 235
            else:
                page[y : y + gap, max(0, x - 2) : x + 3][rules[y : y + gap, max(0, x - 2) : x + 3] > 0] = 235


def _photometric(page: np.ndarray, p: Profile, rng: random.Random, nrng: np.random.Generator, info: dict) -> np.ndarray:
    """Fade, uneven light, sensor noise, specks and blur, on grey or RGB pixels."""
    h, w = page.shape[:2]
    shape = (h, w, 1) if page.ndim == 3 else (h, w)
    img = page.astype(np.float32)
    fade = rng.uniform(*p.fade)
    if fade < 1.0:
        img = 255 - (255 - img) * fade
        info["fade"] = round(fade, 3)
    if p.lighting:
        corner = rng.choice(((0, 0), (0, w), (h, 0), (h, w)))
        small = np.hypot(
            *np.mgrid[0:h:8, 0:w:8].astype(np.float32) - np.array(corner, np.float32)[:, None, None]
        ) / np.hypot(h, w)
        strength = rng.uniform(0.5, 1.0) * p.lighting
        light = cv2.resize(1 - strength * (1 - small), (w, h), interpolation=cv2.INTER_LINEAR)
        img *= light.reshape(shape)
        info["lighting"] = {"corner": list(corner), "strength": round(strength, 3)}
    sigma = rng.uniform(*p.noise)
    img += nrng.normal(0, sigma, (h, w)).astype(np.float32).reshape(shape)
    info["noise_sigma"] = round(sigma, 2)
    out = img.clip(0, 255).astype(np.uint8)
    if p.speckle:
        n = int(p.speckle * 1000 * h * w / 1e6)
        ys, xs = nrng.integers(0, h, n), nrng.integers(0, w, n)
        values = np.where(nrng.random(n) < 0.7, 30, 255).astype(np.uint8)
        out[ys, xs] = values[:, None] if out.ndim == 3 else values
        info["specks"] = n
    radius = rng.uniform(*p.blur)
    if radius > 0.05:
        out = cv2.GaussianBlur(out, (0, 0), radius)
        info["blur_radius"] = round(radius, 2)
    return out


def _rotate(page: np.ndarray, degrees: float) -> np.ndarray:
    h, w = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    fill = (250, 250, 248) if page.ndim == 3 else 250
    return cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def _marks(
    page: np.ndarray, back: Callable[[], np.ndarray | None], p: Profile, rng: random.Random, dpi: int, seal_text: str
) -> list[dict]:
    done = []
    if rng.random() < p.mark_rate:
        other = back()
        if other is not None:
            done.append(marks.show_through(page, other, rng))
    if rng.random() < p.mark_rate:
        where = marks.inked_point(page, rng, margin=int(dpi * 0.7))
        done.append(marks.seal(page, rng, dpi, seal_text, where))
    if rng.random() < p.mark_rate * 0.7:
        h, w = page.shape[:2]
        done.append(marks.signature(page, rng, dpi, (int(w * rng.uniform(0.45, 0.7)), int(h * rng.uniform(0.75, 0.9)))))
    if rng.random() < p.mark_rate * 0.5:
        done.append(marks.fold(page, rng, dpi))
    if rng.random() < p.mark_rate * 0.4:
        done.append(marks.punch_holes(page, rng, dpi))
    return done


def scan_page(
    doc: pymupdf.Document, index: int, p: Profile, rng: random.Random, dpi: int, seal_text: str
) -> tuple[Image.Image, dict]:
    """One degraded page image and what was applied to it."""
    nrng = np.random.default_rng(rng.randrange(1 << 62))
    page = _render(doc, index, dpi)
    back_index = index + 1 if index + 1 < doc.page_count else index - 1

    def back() -> np.ndarray | None:
        return _render(doc, back_index, dpi) if 0 <= back_index != index else None

    info: dict = {"page": index + 1, "dpi": dpi}
    info["marks"] = _marks(page, back, p, rng, dpi, seal_text)
    if p.broken_rules:
        _break_rules(page, nrng, p.broken_rules, dpi)
        info["broken_rules"] = p.broken_rules
    if p.jpeg is None:  # a 1-bit scan is thresholded from grey: no colour work
        page = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    tilt = rng.uniform(-p.tilt, p.tilt)
    info["tilt_deg"] = round(tilt, 3)
    out = _photometric(_rotate(page, tilt), p, rng, nrng, info)
    return Image.fromarray(out), info


def scan_pdf(src: Path, out: Path, profile: str, seal_text: str) -> dict:
    """Write the scan of `src` to `out` (.pdf, or .tif for bitonal) and its sidecar."""
    p = PROFILES[profile]
    rng = random.Random(_seed(src.name, profile))
    dpi = rng.choice(p.dpi)
    pages = []
    with pymupdf.open(src) as doc, pymupdf.open() as pdf:
        images = []
        for i in range(doc.page_count):
            img, info = scan_page(doc, i, p, rng, dpi, seal_text)
            pages.append(info)
            if p.jpeg is None:
                threshold = rng.randint(140, 175)
                info["threshold"] = threshold
                images.append(img.point(lambda v, t=threshold: 255 if v > t else 0, "1"))
                continue
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=p.jpeg, dpi=(dpi, dpi))
            info["jpeg_quality"] = p.jpeg
            rect = doc[i].rect
            new = pdf.new_page(width=rect.width, height=rect.height)
            new.insert_image(new.rect, stream=buf.getvalue())
        if images:
            images[0].save(out, save_all=True, append_images=images[1:], compression="group4", dpi=(dpi, dpi))
        else:
            pdf.save(out, garbage=3, deflate=True)
    sidecar = {"profile": asdict(p), "source": src.name, "file": out.name, "pages": pages}
    out.with_name(out.name.rsplit(".", 1)[0] + ".scan.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return sidecar
