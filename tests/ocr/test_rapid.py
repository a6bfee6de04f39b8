"""rapidocr: the models inside its wheel, no network, one engine per process."""

from __future__ import annotations

import socket

import pymupdf
import pytest

from extract.errors import OcrUnavailableError
from extract.ocr.rapid import RapidOcrEngine
from extract.ocr.registry import create_engine
from extract.pipeline import Extractor
from extract.read.imaging import render_gray
from extract.settings import OcrSettings
from tests.conftest import SAMPLES

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

SCAN = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"


@pytest.fixture()
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted during OCR")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_engine_runs_offline_from_the_models_in_its_wheel(no_network):
    engine = create_engine(OcrSettings())
    assert isinstance(engine, RapidOcrEngine) and engine.version.count(".") >= 1
    packaged = RapidOcrEngine.model_files()
    assert packaged and all("site-packages" in str(p) or "dist-packages" in str(p) for p in packaged)
    for used in engine.loaded_model_paths():
        assert used in packaged, f"{used} is not a model file inside the rapidocr wheel"
    with pymupdf.open(SCAN) as doc:
        gray = render_gray(doc[0], 200)
    text = "".join(line.text for line in engine.read(gray))
    assert "项目名称" in text and "绩效自评表" in text


def test_one_engine_per_extractor_not_per_page():
    before = RapidOcrEngine.builds
    result = Extractor().extract_file(SCAN)
    assert result.status == "done" and result.ocr_pages == 5
    assert RapidOcrEngine.builds == before + 1, "one engine per process, not per page"


def test_an_unknown_engine_names_the_ones_there_are():
    with pytest.raises(OcrUnavailableError, match="choose one of rapidocr, paddleocr, tesseract"):
        create_engine(OcrSettings(engine="abbyy"))
