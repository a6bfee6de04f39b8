"""Bad inputs get a clear message; the rest of the batch survives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from tests.conftest import ROOT, SAMPLES, run_cli

pytestmark = pytest.mark.slow  # each case runs the CLI in a subprocess

GOOD = SAMPLES / "text" / "seed_003_self_evaluations.pdf"


def _not_a_pdf(path: Path) -> None:
    path.write_text("Quarterly report\nThis is plain text, not a PDF.\n")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _encrypted(path: Path) -> None:
    doc = pymupdf.open(GOOD)
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")


def _no_form(path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Meeting minutes, no form here.", fontsize=12)
    doc.save(path)


def _truncated(path: Path) -> None:
    data = GOOD.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CASES = {
    "not_a_pdf": (_not_a_pdf, "is not a PDF"),
    "empty": (_empty, "is empty (0 bytes)"),
    "encrypted": (_encrypted, "password protected"),
    "no_form": (_no_form, "no 财政项目支出绩效目标申报表 or 绩效自评表 was found"),
    "truncated": (_truncated, "truncated"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_reported_and_batch_goes_on(tmp_path: Path, case: str):
    make, message = CASES[case]
    bad = tmp_path / f"{case}.pdf"
    make(bad)
    good = tmp_path / "good.pdf"
    shutil.copy(GOOD, good)
    out = tmp_path / "out"
    proc = run_cli("ingest", str(bad), str(good), "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr
    assert f"{case}.pdf" in proc.stderr
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # the good file's four forms
    assert all(json.loads(line)["form_type"] == "self_evaluation" for line in lines)


def test_encrypted_message_says_how_to_decrypt(tmp_path: Path):
    bad = tmp_path / "locked.pdf"
    _encrypted(bad)
    proc = run_cli("extract", str(bad))
    assert proc.returncode == 1
    assert "qpdf --decrypt" in proc.stderr
    assert proc.stdout == ""


def test_extract_prints_json_only_on_stdout():
    proc = run_cli("extract", str(GOOD))
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert [r["project_name"] for r in records] == [
        "合作交流工作业务费",
        "驻外办驻外工作经费",
        "机关服务费",
        "合作交流专项工作经费",
    ]


def test_ingest_without_inputs_is_a_usage_error(tmp_path: Path):
    (tmp_path / "empty_folder").mkdir()
    proc = run_cli("ingest", str(tmp_path / "empty_folder"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "no PDF or image files found" in proc.stderr


def test_ocr_engine_that_cannot_run_exits_4_with_a_fix(tmp_path: Path):
    scan = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"
    env = dict(os.environ, PATH=str(tmp_path))  # no tesseract binary on the PATH
    proc = subprocess.run(
        [sys.executable, "-m", "extract", "extract", str(scan), "--engine", "tesseract"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 4
    assert "apt-get install tesseract-ocr" in proc.stderr
