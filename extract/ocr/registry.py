"""OCR engines by name: the settings name one, the registry builds it."""

from __future__ import annotations

from collections.abc import Callable

from extract.errors import OcrUnavailableError
from extract.ocr.base import OcrEngine
from extract.settings import OcrSettings


def _rapidocr(settings: OcrSettings) -> OcrEngine:
    from extract.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine(
        threads=settings.threads,
        dropped_character_score=settings.dropped_character_score,
        wide_gap=settings.wide_gap,
        lead_em=settings.lead_em,
        trail_em=settings.trail_em,
        device=settings.device,
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


def check_device(settings: OcrSettings) -> str | None:
    """Why the settings' device cannot be used here, or None when it can (the CPU always can)."""
    if settings.device == "cpu":
        return None
    if settings.engine != "rapidocr":
        return f"--device {settings.device} runs rapidocr's models only; --engine {settings.engine} runs on the CPU"
    from extract.ocr.rapid import cuda_available

    if not cuda_available():
        import onnxruntime

        providers = ", ".join(onnxruntime.get_available_providers())
        return (
            f"--device cuda needs ONNX Runtime's CUDAExecutionProvider, and this one has only {providers} "
            "(no GPU here, or onnxruntime without CUDA: install onnxruntime-gpu on a machine with one); "
            "leave --device out to run on the CPU"
        )
    return None


def create_engine(settings: OcrSettings) -> OcrEngine:
    if settings.device != "cpu":
        why = check_device(settings)
        if why is not None:
            raise OcrUnavailableError(why)
    try:
        factory = ENGINES[settings.engine]
    except KeyError:
        raise OcrUnavailableError(
            f"unknown OCR engine '{settings.engine}'; choose one of {', '.join(ENGINES)}"
        ) from None
    return factory(settings)
