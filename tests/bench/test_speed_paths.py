"""What the speed work must keep: the same text from batched recognition, the cores split, no OCR
stack for a text file, and `--device cuda` refused where there is no GPU. No timings here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extract.ingest.executors.ray import actor_settings
from extract.ocr.rapid import BATCH_SPREAD, MAX_BATCH, MIN_RATIO, cuda_available, width_batches
from extract.settings import OcrSettings, Settings
from tests.conftest import ROOT, SAMPLES, run_cli

TEXT_PDF = SAMPLES / "text" / "seed_003_self_evaluations.pdf"
SCAN_PDF = SAMPLES / "scans" / "clean" / "seed_003_self_evaluations.pdf"


def test_width_batches_take_every_crop_once_in_batches_of_similar_width():
    ratios = [0.5, 12.0, 2.5, 2.6, 40.0, 3.0, 1.0, 2.1, 7.0, 7.5, 7.2, 7.1, 7.3, 7.4, 7.6, 7.7, 7.8, 7.9]
    batches = width_batches(ratios)
    assert sorted(i for b in batches for i in b) == list(range(len(ratios)))
    for batch in batches:
        assert len(batch) <= MAX_BATCH
        widths = [max(ratios[i], MIN_RATIO) for i in batch]
        assert max(widths) <= BATCH_SPREAD * min(widths)
    assert width_batches([]) == []


@pytest.fixture(scope="module")
def page_crops():
    """The line crops the pipeline sends the recogniser for page 1 of a clean scan, and the engine."""
    from extract.grid.rules import find_tables
    from extract.pipeline import Extractor
    from extract.read.document import open_document
    from extract.read.imaging import render_gray
    from extract.read.scan import _ocr_by_grid, prepare_scan

    extractor = Extractor(Settings())
    engine = extractor.engine()
    document = open_document(SCAN_PDF)
    try:
        gray = render_gray(document.doc[0], 200)
    finally:
        document.close()
    scan = prepare_scan(gray, 1, 200, "test", extractor.settings.scan)
    tables = find_tables(scan.content.rules, 1, extractor.settings.grid)
    sent: list = []

    class Recorder:  # what the grid sends the recogniser (lone marks are read by their shape, not sent)
        name, version = engine.name, engine.version

        def read_lines(self, crops):
            sent.extend(crops)
            return engine.read_lines(crops)

    _ocr_by_grid(Recorder(), scan, tables, extractor.settings.scan)
    return sent, engine


def test_batched_recognition_reads_what_rapidocrs_own_loop_reads(page_crops):
    from rapidocr.ch_ppocr_rec import TextRecInput

    crops, engine = page_crops
    assert len(crops) > 20
    ours = engine.read_lines(crops)
    theirs = engine._rec(TextRecInput(img=[engine._rgb(c) for c in crops], return_word_box=True))
    assert [line.text for line in ours] == list(theirs.txts)
    assert all(0.0 <= s <= 1.0 for line in ours for s in (line.score, *line.char_scores))


def test_actor_threads_split_the_cores_like_local_workers():
    assert actor_settings(Settings(), 4, 16).ocr.threads == 4
    assert actor_settings(Settings(), 2, 32, node_cores=16).ocr.threads == 16  # no more than one node has
    assert actor_settings(Settings(), 8, 4).ocr.threads == 1  # at least one
    assert actor_settings(Settings(), 1, 2).ocr.threads == 2  # an explicit count: the actor reserves it
    pinned = Settings(ocr=OcrSettings(threads=3))
    assert actor_settings(pinned, 4, 16) is pinned


def test_a_text_layer_file_never_loads_the_ocr_stack():
    script = (
        "import json, sys\n"
        "from extract.cli import _skip_pymupdf_extras\n"
        "_skip_pymupdf_extras()  # as the CLI does: pymupdf.layout would load numpy and ONNX Runtime\n"
        "from extract.pipeline import Extractor\n"
        f"result = Extractor().extract_file({str(TEXT_PDF)!r})\n"
        "heavy = ('cv2', 'rapidocr', 'onnxruntime', 'sqlalchemy', 'pandas', 'numpy')\n"
        "print(json.dumps([result.status, sorted({m.split('.')[0] for m in sys.modules} & set(heavy))]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    status, loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert status == "done" and loaded == []


def test_cli_blocks_pymupdf_layout_and_reads_a_text_file_the_same():
    script = (
        "import sys\n"
        "from extract.cli import main\n"
        f"code = main(['extract', {str(TEXT_PDF)!r}])\n"
        "print('LOADED', 'pymupdf.layout' in sys.modules and sys.modules['pymupdf.layout'] is not None,"
        " file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED False" in proc.stderr
    assert len(json.loads(proc.stdout)) >= 1  # stdout is the records, and nothing else


def test_device_must_be_cpu_or_cuda():
    with pytest.raises(ValueError, match="cpu or cuda"):
        OcrSettings(device="tpu")


@pytest.mark.skipif(cuda_available(), reason="this machine has a CUDA GPU: the option works here")
def test_device_cuda_without_a_gpu_exits_2_and_says_why():
    proc = run_cli("extract", str(TEXT_PDF), "--device", "cuda", timeout=120)
    assert proc.returncode == 2
    assert "CUDAExecutionProvider" in proc.stderr and "onnxruntime-gpu" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.skipif(cuda_available(), reason="this machine has a CUDA GPU: the engine builds there")
def test_engine_on_cuda_without_a_gpu_is_refused_with_the_reason():
    from extract.errors import OcrUnavailableError
    from extract.ocr.registry import create_engine

    with pytest.raises(OcrUnavailableError, match="CUDAExecutionProvider"):
        create_engine(OcrSettings(device="cuda"))
