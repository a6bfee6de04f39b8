"""Stand-ins for the OCR engine, to drive the pipeline's failure paths without the real one.

The real engine is tested for real (tests/ocr/, tests/test_pipeline_scans.py);
these fakes only stand in where the engine is not the thing under test.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from extract.errors import OcrUnavailableError
from extract.ocr.base import OcrLine


def _quad(image: np.ndarray) -> tuple[tuple[float, float], ...]:
    h, w = image.shape[:2]
    return ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h)))


class FakeOcrEngine:
    """Reads every crop as `text_for(crop)` (default: '字'), with a fixed score; counts its calls."""

    name = "fake"
    version = "0"

    def __init__(self, text_for: Callable[[np.ndarray], str] | None = None, score: float = 0.99) -> None:
        self.text_for = text_for or (lambda crop: "字")
        self.score = score
        self.crops_read = 0

    def read(self, image: np.ndarray) -> list[OcrLine]:
        return [OcrLine(self.text_for(image), _quad(image), self.score)]

    def read_lines(self, crops: list[np.ndarray]) -> list[OcrLine]:
        self.crops_read += len(crops)
        return [OcrLine(self.text_for(c), _quad(c), self.score, (self.score,)) for c in crops]


class UnavailableEngine:
    """An engine that cannot start, as a missing model or binary makes it."""

    name = "unavailable"
    version = "0"

    def __init__(self) -> None:
        raise OcrUnavailableError("the fake engine has no models: install them (test)")


class CrashingEngine(FakeOcrEngine):
    """An engine with a bug: it raises while recognising."""

    def read_lines(self, crops: list[np.ndarray]) -> list[OcrLine]:
        raise RuntimeError("segment fault in the fake recogniser (test)")
