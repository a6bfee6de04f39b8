"""Print styles (font, size, padding, rules, page) and text measurement.

Each printed file draws one PrintStyle. Text is measured with the real font
file (FreeType via Pillow) because the XLSX printer must set row heights
itself: Calc does not grow a row to fit wrapped text in merged cells.
"""

from __future__ import annotations

import math
import random
import subprocess
from dataclasses import asdict, dataclass
from functools import cache

from PIL import ImageFont

FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei")
A4 = (595.28, 841.89)  # points
MM = 72 / 25.4


@dataclass
class PrintStyle:
    font: str = "Noto Serif CJK SC"
    size_pt: float = 10.5
    padding_pt: float = 3.0
    rule_pt: float = 0.75
    landscape: bool = False
    margin_mm: float = 18.0
    line_height: float = 1.3  # multiple of the font size

    @property
    def page_size(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4

    @property
    def text_width(self) -> float:
        """Printable width in points."""
        return self.page_size[0] - 2 * self.margin_mm * MM

    def as_dict(self) -> dict:
        return asdict(self)


def draw_style(rng: random.Random, forms_wide: bool = False) -> PrintStyle:
    """One file's style; landscape is likelier for the wide self-evaluation."""
    return PrintStyle(
        font=rng.choice(FONTS),
        size_pt=rng.choice((9.0, 9.5, 10.0, 10.5, 10.5, 11.0, 12.0)),
        padding_pt=round(rng.uniform(1.5, 5.0), 1),
        rule_pt=round(rng.uniform(0.3, 1.5), 2),
        landscape=rng.random() < (0.45 if forms_wide else 0.2),
        margin_mm=round(rng.uniform(12.0, 25.0), 1),
        line_height=round(rng.uniform(1.2, 1.5), 2),
    )


@cache
def font_file(family: str) -> tuple[str, int]:
    """(path, face index) of a font family, as fontconfig resolves it."""
    out = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", family], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return out[0], int(out[1] or 0)


@cache
def _font(family: str, size_tenths: int) -> ImageFont.FreeTypeFont:
    path, index = font_file(family)
    # Measure at 10x the size in pixels = points, for sub-point precision.
    return ImageFont.truetype(path, size=size_tenths, index=index)


def text_width(text: str, family: str, size_pt: float) -> float:
    """Width in points of one line of text."""
    return _font(family, round(size_pt * 10)).getlength(text) / 10


def line_factor(family: str) -> float:
    """Line pitch over font size as office programs set it: the font's ascent + descent."""
    ascent, descent = _font(family, 1000).getmetrics()
    return (ascent + descent) / 1000


def wrapped_lines(text: str, family: str, size_pt: float, width_pt: float) -> int:
    """How many lines `text` needs in a cell `width_pt` wide, breaking anywhere."""
    if not text:
        return 1
    if width_pt <= size_pt:
        return len(text)
    lines, current = 1, 0.0
    for ch in text:
        w = text_width(ch, family, size_pt)
        if current + w > width_pt:
            lines, current = lines + 1, w
        else:
            current += w
    return lines


def ceil_lines(text: str, family: str, size_pt: float, width_pt: float, slack: float) -> int:
    """Lines with a safety margin: widths measured by the printer may differ."""
    return max(1, math.ceil(wrapped_lines(text, family, size_pt, width_pt / slack)))
