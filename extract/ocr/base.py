"""The interface every OCR engine implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class OcrLine:
    """A recognised line: text, its quadrilateral (4 x,y points in pixels), score."""

    text: str
    quad: tuple[tuple[float, float], ...]
    score: float
    char_scores: tuple[float, ...] = ()


class OcrEngine(Protocol):
    name: str
    version: str  # of the engine's package, kept in each page's provenance

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Detect and recognise every text line of an RGB/gray image."""
        ...

    def read_lines(self, crops: list[np.ndarray]) -> list[OcrLine]:
        """Recognise single-line crops (no detection); quads are the crop bounds."""
        ...


def package_version(package: str) -> str:
    """The installed version of an engine's package, for provenance."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
