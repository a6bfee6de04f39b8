"""Geometric primitives shared by every stage: boxes, words, rules, text lines.

Coordinates are PDF points with the origin at the top left of the page, whether
they come from a text layer or from an image (image pixels are scaled to points),
so text-layer and OCR pages meet at the grid stage in one coordinate system.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def contains_point(self, x: float, y: float, slack: float = 0.0) -> bool:
        return self.x0 - slack <= x <= self.x1 + slack and self.y0 - slack <= y <= self.y1 + slack

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def as_list(self) -> list[float]:
        return [round(self.x0, 2), round(self.y0, 2), round(self.x1, 2), round(self.y1, 2)]


@dataclass(frozen=True)
class Word:
    """A run of text with its box: one glyph from a text layer, or an OCR line."""

    text: str
    box: Box
    confidence: float = 1.0


@dataclass(frozen=True)
class Rule:
    """A horizontal or vertical ruling line, as a segment."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(frozen=True)
class TextLine:
    """Text outside any table (titles, the year line), in reading order."""

    text: str
    box: Box
    page: int
    confidence: float = 1.0


def union_all(boxes: list[Box]) -> Box:
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out
