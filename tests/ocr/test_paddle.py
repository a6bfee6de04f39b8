"""Native PaddleOCR, in its own environment, on the same ONNX files as rapidocr."""

from __future__ import annotations

import json
import os
import subprocess

import pymupdf
import pytest

from extract.bench.scoring import gold_path, read_gold, score_form
from tests import paddle_env
from tests.conftest import ROOT, SAMPLES, run_cli

pytestmark = [pytest.mark.paddle, pytest.mark.ocr, pytest.mark.slow]


@pytest.fixture(scope="module")
def paddle_python():
    py, why = paddle_env.ensure()
    if py is None:
        # Not skipped quietly: the run says plainly that this engine was not tested.
        pytest.fail(
            f"the paddleocr virtual environment could not be made, so the paddleocr engine is NOT tested: {why}"
        )
    return py


def test_paddleocr_engine_reads_a_scanned_form(paddle_python, tmp_path):
    models = tmp_path / "models"
    proc = run_cli("paddle-models", str(models))
    assert proc.returncode == 0, proc.stderr
    for name in ("PP-OCRv6_small_det", "PP-OCRv6_small_rec"):
        assert (models / name / "inference.yml").read_text(encoding="utf-8").startswith("Global:")

    scan = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"
    page = tmp_path / "form.png"
    pymupdf.open(scan)[2].get_pixmap(dpi=200).save(page)  # form 2: one page
    env = dict(os.environ, PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK="True")
    proc = subprocess.run(
        [
            str(paddle_python),
            "-m",
            "extract",
            "extract",
            str(page),
            "--engine",
            "paddleocr",
            "--model-dir",
            str(models),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (got,) = json.loads(proc.stdout)
    want = read_gold(gold_path(scan))[1]
    from models import Record

    score = score_form(Record.model_validate(got), want)
    scored = [f for f in score.fields if not f.path.startswith("source.")]
    right = sum(f.right for f in scored)
    assert right / len(scored) >= 0.98, [f.path for f in score.wrong]
    assert all(f.flagged for f in score.wrong if not f.path.startswith("source.")), score.wrong
