"""A repaired or partly read file is never a plain `done`: a warning in the store, a review item on each record."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pymupdf

from extract.ingest.run import run_ingest
from extract.settings import Settings
from tests.conftest import SAMPLES

GOOD = SAMPLES / "text" / "seed_003_self_evaluations.pdf"  # 4 forms on 5 text pages


def _files(out: Path) -> dict[str, tuple[str, str | None, list[str]]]:
    with sqlite3.connect(out / "filings.sqlite") as conn:
        rows = conn.execute(
            "select p.path, f.status, f.error, f.warnings from files f join file_paths p on p.sha256 = f.sha256"
        ).fetchall()
    return {Path(path).name: (status, error, json.loads(warnings or "[]")) for path, status, error, warnings in rows}


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_repaired_file_is_done_with_a_warning_and_its_records_flagged(tmp_path):
    good = GOOD.read_bytes()
    trailer = good.rfind(b"trailer")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "repaired.pdf").write_bytes(good[:trailer] + b"%%EOF\n")  # xref trailer cut: rebuilt
    summary = run_ingest([str(tmp_path / "in")], tmp_path / "out", Settings())
    assert summary.done == 1 and summary.records == 4
    status, _, warnings = _files(tmp_path / "out")["repaired.pdf"]
    assert status == "done" and any("repaired on reading" in w for w in warnings)
    for record in _records(tmp_path / "out"):
        (item,) = [i for i in record["review"] if i["field"] == "source.pages"]
        assert "damaged and repaired on reading: pages may be missing" in item["reason"]


def test_a_page_that_cannot_be_read_is_left_out_and_the_rest_is_read(tmp_path):
    doc = pymupdf.open(GOOD)
    page = doc.new_page()
    # A page showing an image whose dictionary says 20000 x 20000 pixels: refused before decoding.
    page.insert_image(page.rect, stream=pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 4, 4)).tobytes("png"))
    images = page.get_images()
    doc.xref_set_key(images[0][0], "Width", "20000")
    doc.xref_set_key(images[0][0], "Height", "20000")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "partial.pdf").write_bytes(doc.tobytes())
    with zipfile.ZipFile(folder / "bundle.zip", "w") as archive:
        archive.write(GOOD, "inner/good.pdf")
    summary = run_ingest([str(folder)], tmp_path / "out", Settings())
    assert summary.done == 2 and summary.failed == 0
    status, _, warnings = _files(tmp_path / "out")["partial.pdf"]
    assert status == "done" and any(w.startswith("page 6 could not be read (it shows an image of") for w in warnings)
    flagged = [r for r in _records(tmp_path / "out") if any(i["field"] == "source.pages" for i in r["review"])]
    assert len(flagged) == 4  # partial.pdf's forms; the zip's good copy is read cleanly
    assert all(
        "page 6 of the file could not be read" in i["reason"]
        for r in flagged
        for i in r["review"]
        if i["field"] == "source.pages"
    )
