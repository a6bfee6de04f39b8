"""OCR engines by name: the settings name one, the registry builds it."""

from __future__ import annotations

from collections.abc import Callable

from extract.errors import OcrUnavailableError
from extract.ocr.base import OcrEngine
from extract.settings import OcrSettings


def _rapidocr(settings: OcrSettings) -> OcrEngine:
    from extract.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine(
        threads=settings.threads, dropped_character_score=settings.dropped_character_score, wide_gap=settings.wide_gap
    )


def _paddleocr(settings: OcrSettings) -> OcrEngine:
    from extract.ocr.paddle import PaddleOcrEngine

    return PaddleOcrEngine(settings.model_dir)


def _tesseract(settings: OcrSettings) -> OcrEngine:
    from extract.ocr.tesseract import TesseractEngine

    return TesseractEngine()


ENGINES: dict[str, Callable[[OcrSettings], OcrEngine]] = {
    "rapidocr": _rapidocr,
    "paddleocr": _paddleocr,
    "tesseract": _tesseract,
}


def create_engine(settings: OcrSettings) -> OcrEngine:
    try:
        factory = ENGINES[settings.engine]
    except KeyError:
        raise OcrUnavailableError(
            f"unknown OCR engine '{settings.engine}'; choose one of {', '.join(ENGINES)}"
        ) from None
    return factory(settings)
