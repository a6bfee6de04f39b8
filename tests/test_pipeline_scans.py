"""Scanned filings: OCR engine, grids found in images, and flags that catch errors.

The committed scans and freshly degraded unseen forms must meet the bar:
office scans >= 99.5% of fields right, poor >= 98%; at most 1 in 1,000
fields wrong and unflagged; at most 5% of right fields flagged.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pymupdf
import pytest

from extract.bench.scoring import evaluate, gold_path, read_gold
from extract.pipeline import Extractor
from samples.degrade import GRADES, degrade_pdf
from samples.generate import unseen_documents, write_scans
from tests.conftest import SAMPLES

BAR = {"clean": 0.995, "office": 0.995, "poor": 0.98}

pytestmark = [pytest.mark.ocr, pytest.mark.slow]


@pytest.fixture(scope="module")
def offline_extractor(monkeypatch_module) -> Extractor:
    """An extractor whose process cannot open a network connection."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted during OCR")

    monkeypatch_module.setattr(socket.socket, "connect", refuse)
    monkeypatch_module.setattr(socket, "create_connection", refuse)
    return Extractor()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _assert_bar(tally, grade: str) -> None:
    assert tally.forms_missed == 0 and tally.forms_invented == 0
    assert tally.accuracy >= BAR[grade], f"{grade}: {tally.accuracy:.4f}; silent: {tally.errors}"
    assert tally.silent_rate <= 0.001, f"{grade}: silent errors {tally.errors}"


def _assert_few_flags(tally, grade: str) -> None:
    assert tally.noise_rate <= 0.05, f"{grade}: {tally.right_flagged} right fields flagged"


# With one calibration curve per family of scanned fields (models/calibration, 2026-12-02) the
# committed scans and the unseen office scans are under the 5% bar; the unseen poor scans are not
# yet. Measured, and left visible: issue 10 is open.
OVER_FLAGGED = pytest.mark.xfail(reason="calibrated confidence flags more than 5% of right fields on poor unseen scans")


@pytest.fixture(scope="module")
def committed(offline_extractor):
    tallies = {}
    for grade in ("office", "poor"):
        files = sorted((SAMPLES / "scans" / grade).glob("*.pdf"))
        assert len(files) == 2
        tallies[grade] = evaluate(files, offline_extractor.extract_file)
    return tallies


@pytest.fixture(scope="module")
def unseen(offline_extractor, tmp_path_factory):
    work = tmp_path_factory.mktemp("unseen-scans")
    pdfs = unseen_documents(work / "text", n_forms=4, seed=777, fonts=("embedded",))
    return {
        grade: evaluate(write_scans(pdfs, work / "scans", [grade], seed=99), offline_extractor.extract_file)
        for grade in ("office", "poor")
    }


@pytest.mark.parametrize("grade", ["office", "poor"])
def test_committed_scans_meet_the_bar(committed, grade):
    _assert_bar(committed[grade], grade)


@pytest.mark.parametrize("grade", ["office", "poor"])
def test_committed_scans_flag_few_right_fields(committed, grade):
    _assert_few_flags(committed[grade], grade)


@pytest.mark.parametrize("grade", ["office", "poor"])
def test_unseen_scans_meet_the_bar(unseen, grade):
    _assert_bar(unseen[grade], grade)


@pytest.mark.parametrize("grade", ["office", pytest.param("poor", marks=OVER_FLAGGED)])
def test_unseen_scans_flag_few_right_fields(unseen, grade):
    _assert_few_flags(unseen[grade], grade)


def test_mixed_pdf_is_decided_page_by_page(offline_extractor, tmp_path: Path):
    """Page 1 keeps its text layer, page 2 is a scan: both are read."""
    text = SAMPLES / "text" / "seed_003_self_evaluations.pdf"
    scan = pymupdf.open(stream=degrade_pdf(text.read_bytes(), GRADES["office"], 3), filetype="pdf")
    mixed = pymupdf.open()
    mixed.insert_pdf(pymupdf.open(text), from_page=0, to_page=1)  # form 1: pages 1-2, text
    mixed.insert_pdf(scan, from_page=2, to_page=2)  # form 2: page 3, scanned
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    result = offline_extractor.extract_file(path)
    assert result.status == "done", result.error
    assert result.ocr_pages == 1
    gold = read_gold(gold_path(text))
    assert [r.project_name for r in result.records] == [g.project_name for g in gold[:2]]
    assert result.records[1].indicators[3].note == gold[1].indicators[3].note
    assert [r.source for r in result.records[0].source.reads] == ["text_layer", "text_layer"]
    (scanned,) = result.records[1].source.reads
    assert scanned.page == 3 and scanned.source == "ocr" and scanned.engine.startswith("rapidocr ")
    assert scanned.dpi == 200 and scanned.skew_degrees is not None


@pytest.mark.parametrize("suffix", ["png", "jpg", "tiff"])
def test_image_inputs(offline_extractor, tmp_path: Path, suffix: str):
    scan = pymupdf.open(SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf")
    images = [scan[i].get_pixmap(dpi=200) for i in (2,)]
    path = tmp_path / f"form.{suffix}"
    if suffix == "tiff":
        # A multi-page TIFF: the form's page, then a blank page.
        from PIL import Image

        frames = [Image.frombytes("RGB", (p.width, p.height), p.samples) for p in images]
        frames.append(Image.new("RGB", frames[0].size, "white"))
        frames[0].save(path, save_all=True, append_images=frames[1:])
    else:
        images[0].save(path)
    result = offline_extractor.extract_file(path)
    assert result.status == "done", result.error
    assert [r.project_name for r in result.records] == ["驻外办驻外工作经费"]
    assert result.records[0].funds.total.executed is not None
