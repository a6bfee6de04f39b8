"""What real filings carry besides print: seals, signatures, folds, punch holes,
show-through. Each mark is drawn on an RGB page image and returns the
parameters it used, for the scan sidecar.

Ink is composited by multiplying (red over black text stays black, over paper
turns red), which is how a stamp over printed text looks in a scan.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from samples.corpus.style import font_file

SEAL_RED = (205, 35, 45)


def _multiply(page: np.ndarray, ink: np.ndarray, colour: tuple[int, int, int], x0: int, y0: int) -> None:
    """Multiply `colour` into page[y0:, x0:] with coverage `ink` (0..1, 2-D)."""
    h, w = ink.shape
    ys, xs = slice(max(0, y0), min(page.shape[0], y0 + h)), slice(max(0, x0), min(page.shape[1], x0 + w))
    sub = ink[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0, None]
    tint = np.array(colour, dtype=np.float32) / 255.0
    region = page[ys, xs].astype(np.float32)
    page[ys, xs] = (region * (1 - sub * (1 - tint))).clip(0, 255).astype(np.uint8)


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.4
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return pts


def seal(page: np.ndarray, rng: random.Random, dpi: int, text: str, center: tuple[int, int]) -> dict:
    """A red round seal: ring, star, the unit's name around the top; uneven ink."""
    r = int(dpi * rng.uniform(0.75, 0.85))  # about 40 mm across
    size = 2 * r + 8
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    ring = max(3, r // 16)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    draw.polygon(_star(c, c, r * 0.3), fill=255)
    path, index = font_file("Noto Sans CJK SC")
    font = ImageFont.truetype(path, size=max(10, int(r * 0.24)), index=index)
    chars = list(text[:16])
    sweep = math.radians(min(250, 18 * len(chars) + 20))
    for i, ch in enumerate(chars):
        a = -math.pi / 2 - sweep / 2 + sweep * (i + 0.5) / len(chars)
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size // 2, font.size // 3), ch, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        gx = c + (r * 0.72) * math.cos(a) - glyph.width / 2
        gy = c + (r * 0.72) * math.sin(a) - glyph.height / 2
        layer.paste(255, (int(gx), int(gy)), glyph)
    angle = rng.uniform(-25, 25)
    layer = layer.rotate(angle, resample=Image.BICUBIC)
    ink = np.asarray(layer, dtype=np.float32) / 255.0
    noise = np.random.default_rng(rng.randrange(1 << 30)).uniform(0.55, 1.0, ink.shape)
    _multiply(page, ink * noise * rng.uniform(0.75, 0.95), SEAL_RED, center[0] - size // 2, center[1] - size // 2)
    return {"kind": "seal", "center": list(center), "radius_px": r, "angle": round(angle, 1), "text": text[:16]}


def signature(page: np.ndarray, rng: random.Random, dpi: int, at: tuple[int, int]) -> dict:
    """A handwritten-looking stroke: a few joined curves, pen-width ink."""
    width_px, height_px = int(dpi * rng.uniform(1.0, 1.6)), int(dpi * 0.45)
    layer = Image.new("L", (width_px + 20, height_px + 20), 0)
    draw = ImageDraw.Draw(layer)
    x, pts = 10.0, []
    while x < width_px:
        pts.append((x, 10 + height_px * (0.5 + 0.45 * math.sin(x / rng.uniform(15, 40) + rng.random()))))
        x += rng.uniform(6, 14)
    pen = max(2, dpi // 70)
    draw.line(pts, fill=255, width=pen, joint="curve")
    draw.line([(pts[0][0], pts[-1][1]), (pts[-1][0] + 10, pts[0][1] - 5)], fill=255, width=pen)
    ink = np.asarray(layer, dtype=np.float32) / 255.0
    colour = rng.choice(((25, 35, 110), (30, 30, 30)))
    _multiply(page, ink * 0.9, colour, at[0], at[1])
    return {"kind": "signature", "at": list(at), "size_px": [width_px, height_px]}


def fold(page: np.ndarray, rng: random.Random, dpi: int) -> dict:
    """A fold: a soft dark crease across the page with a shadow to one side."""
    h = page.shape[0]
    y = int(h * rng.choice((1 / 3, 1 / 2, 2 / 3)) + rng.uniform(-0.02, 0.02) * h)
    band = max(4, dpi // 30)
    for dy in range(-band, band + 1):
        row = y + dy
        if 0 <= row < h:
            k = 1 - 0.22 * math.exp(-((dy / (band / 2.5)) ** 2)) - (0.05 if dy > 0 else 0)
            page[row] = (page[row].astype(np.float32) * k).astype(np.uint8)
    return {"kind": "fold", "y_px": y}


def punch_holes(page: np.ndarray, rng: random.Random, dpi: int) -> dict:
    """Two filing holes in the left margin, dark where the scanner lid shows."""
    h = page.shape[0]
    r = int(dpi * 3 / 25.4)
    x = int(dpi * rng.uniform(9, 13) / 25.4)
    gap = int(dpi * 80 / 25.4) // 2
    img = Image.fromarray(page)
    draw = ImageDraw.Draw(img)
    shade = rng.randint(35, 90)
    centers = [(x, h // 2 - gap), (x, h // 2 + gap)]
    for cx, cy in centers:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(shade,) * 3, outline=(150,) * 3, width=2)
    page[:] = np.asarray(img)
    return {"kind": "punch_holes", "centers": [list(c) for c in centers], "radius_px": r}


def show_through(page: np.ndarray, back: np.ndarray, rng: random.Random) -> dict:
    """Faint mirrored print of the back of the sheet."""
    strength = rng.uniform(0.03, 0.08)
    mirrored = back[:, ::-1]
    h, w = min(page.shape[0], mirrored.shape[0]), min(page.shape[1], mirrored.shape[1])
    ink = (1 - mirrored[:h, :w].mean(axis=2) / 255.0) * strength
    _multiply(page, ink.astype(np.float32), (0, 0, 0), 0, 0)
    return {"kind": "show_through", "strength": round(strength, 3)}


def inked_point(page: np.ndarray, rng: random.Random, margin: int, lower: float = 0.35) -> tuple[int, int]:
    """A random point with print nearby, in the lower part of the page (seals sit
    on text), at least `margin` pixels inside the page."""
    gray = page.mean(axis=2)
    h, w = gray.shape
    step = 64
    cells = [
        (x, y)
        for y in range(max(margin, int(h * lower)), h - margin - step, step)
        for x in range(margin, w - margin - step, step)
        if (gray[y : y + step, x : x + step] < 128).mean() > 0.02
    ]
    if not cells:
        return w // 2, int(h * 0.7)
    x, y = rng.choice(cells)
    return x + step // 2, y + step // 2
