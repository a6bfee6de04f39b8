"""Archive-scale ingestion: resume after SIGKILL, duplicates, zips, workers, exports."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from extract.bench.scoring import read_gold
from extract.ingest.export import column_of, export
from extract.ingest.store import Store, forms, funds, indicators, review, sqlite_url
from samples.generate import unseen_documents, write_document, write_scans
from samples.render import Style
from tests.conftest import ROOT, SAMPLES, run_cli

pytestmark = pytest.mark.slow  # whole batches through the CLI

TEXT = SAMPLES / "text"


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]


def _done_files(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from files where status = 'done'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_mid_batch_then_resume_loses_nothing_and_duplicates_nothing(tmp_path: Path):
    inputs = tmp_path / "archive"
    texts = unseen_documents(tmp_path / "text", n_forms=6, seed=5150, fonts=("embedded",))
    scans = write_scans(texts[:3], tmp_path / "scans", ["office"], seed=1)
    inputs.mkdir()
    for i, path in enumerate(texts + scans):
        shutil.copy(path, inputs / f"{i:02d}_{path.name}")
    expected_forms = sum(
        len(path.with_name(path.stem + ".gold.jsonl").read_text().splitlines()) for path in texts + scans
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract", "ingest", str(inputs), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = out / "filings.sqlite"
    deadline = time.time() + 300
    while _done_files(db) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the batch finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _done_files(db)
    assert 2 <= killed_at < len(texts + scans)

    again = run_cli("ingest", str(inputs), "--out", str(out), "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert f"{killed_at} skipped" in again.stderr
    records = _records(out)
    assert len(records) == expected_forms
    keys = [(r["source"]["sha256"], r["source"]["pages"][0]) for r in records]
    assert len(set(keys)) == len(keys), "a form was stored twice"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from forms").fetchone()[0] == expected_forms
        assert conn.execute("select count(*) from files where status = 'done'").fetchone()[0] == len(texts + scans)


def test_same_bytes_under_two_names_and_in_a_zip_are_read_once(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TEXT / "seed_003_self_evaluations.pdf", folder / "a.pdf")
    shutil.copy(TEXT / "seed_003_self_evaluations.pdf", folder / "copy of a.pdf")
    with zipfile.ZipFile(folder / "bundle.zip", "w") as archive:
        archive.write(TEXT / "seed_003_self_evaluations.pdf", "inner/a.pdf")
        archive.write(TEXT / "seed_000_declarations.pdf", "inner/b.pdf")
    out = tmp_path / "out"
    proc = run_cli("ingest", str(folder), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "2 files done" in proc.stderr
    assert len(_records(out)) == 4 + 7
    with sqlite3.connect(out / "filings.sqlite") as conn:
        paths = sorted(p for (p,) in conn.execute("select path from file_paths"))
    assert len(paths) == 4
    assert any(p.endswith("bundle.zip!inner/a.pdf") for p in paths)
    assert any(p.endswith("copy of a.pdf") for p in paths)
    # A second run does nothing new; --force redoes everything.
    assert "2 skipped" in run_cli("ingest", str(folder), "--out", str(out)).stderr
    forced = run_cli("ingest", str(folder), "--out", str(out), "--force")
    assert "2 files done" in forced.stderr and len(_records(out)) == 11


def test_broken_file_is_recorded_and_the_batch_goes_on(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    shutil.copy(TEXT / "seed_003_self_evaluations.pdf", folder / "good.pdf")
    out = tmp_path / "out"
    proc = run_cli("ingest", str(folder), "--out", str(out))
    assert proc.returncode == 1
    assert "1 files done, 1 failed" in proc.stderr
    with sqlite3.connect(out / "filings.sqlite") as conn:
        status, error = conn.execute(
            "select status, error from files f join file_paths p on f.sha256 = p.sha256 where p.path like '%broken.pdf'"
        ).fetchone()
    assert status == "failed" and "PDF" in error
    assert len(_records(out)) == 4


def test_two_workers_give_the_same_records_in_input_order(tmp_path: Path):
    one = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "one"), "--workers", "1")
    two = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "two"), "--workers", "2")
    assert one.returncode == two.returncode == 0
    # When each run stored a record (updated_at) is not what it read.
    strip = lambda rs: [{k: v for k, v in r.items() if k not in ("confidence", "updated_at")} for r in rs]  # noqa: E731
    assert strip(_records(tmp_path / "one")) == strip(_records(tmp_path / "two"))
    assert _records(tmp_path / "one")[0]["form_type"] == "target_declaration"


def _form_that_breaks_a_sum(out: Path) -> Path:
    """A self-evaluation whose printed total score is one more than its parts: flagged, for the review table."""
    record = read_gold(TEXT / "seed_003_self_evaluations.gold.jsonl")[0]
    record.total_score += 1
    return write_document(out / "flagged", "broken_sum", [record], Style())


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ingested")
    unseen = unseen_documents(out / "unseen", n_forms=3, seed=8)
    proc = run_cli("ingest", str(TEXT), *map(str, unseen), str(_form_that_breaks_a_sum(out)), "--out", str(out / "run"))
    assert proc.returncode == 0, proc.stderr
    return out / "run"


def _store_tables(run: Path) -> dict[str, list[dict]]:
    store = Store(sqlite_url(run))
    try:
        return {
            name: store.rows(t)
            for name, t in (("forms", forms), ("indicators", indicators), ("funds", funds), ("review", review))
        }
    finally:
        store.close()


def _normal(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).lower()  # the CSV writes true / false
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(got_rows: list[dict], want_rows: list[dict], decimal_cols=()) -> None:
    assert len(got_rows) == len(want_rows)
    key = lambda row: tuple(str(row.get(k)) for k in ("record_id", "row", "line", "field"))  # noqa: E731
    for got, want in zip(sorted(got_rows, key=key), sorted(want_rows, key=key)):
        for key, value in want.items():
            if key == "record_json":
                continue
            if key in decimal_cols and value is not None:
                assert Decimal(str(got[key])) == Decimal(value), key
            elif key in FLOATS and value is not None:
                assert float(got[key]) == pytest.approx(value), key
            else:
                assert _normal(got[key]) == _normal(value), (key, got[key], value)


def test_export_jsonl_round_trip(ingested, tmp_path):
    (path,) = export(Store(sqlite_url(ingested)), "jsonl", tmp_path)
    assert path.read_text(encoding="utf-8") == (ingested / "records.jsonl").read_text(encoding="utf-8")
    no_review = export(Store(sqlite_url(ingested)), "jsonl", tmp_path / "bare", with_review=False)[0]
    assert all(json.loads(line)["review"] == [] for line in no_review.read_text(encoding="utf-8").splitlines())


FLOATS = {"confidence", "x0", "y0", "x1", "y1"}
DECIMALS = {
    "total_weight",
    "total_score",
    "amount",
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "execution_rate",
    "score",
}


def test_export_csv_round_trip(ingested, tmp_path):
    proc = run_cli("export", str(ingested), "--format", "csv", "--csv-raw", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    tables = _store_tables(ingested)
    for name, rows in tables.items():
        with (tmp_path / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            heads = next(reader)
            got = [dict(zip(map(column_of, heads), line)) for line in reader]
        assert "project_name 项目名称" in heads or name != "forms"
        _same(got, rows, DECIMALS)
    assert tables["review"], "the broken sum must be in the review table"


def test_export_xlsx_round_trip(ingested, tmp_path):
    from openpyxl import load_workbook

    assert run_cli("export", str(ingested), "--format", "xlsx", "--out", str(tmp_path)).returncode == 0
    book = load_workbook(tmp_path / "filings.xlsx")
    assert book.sheetnames == ["forms", "indicators", "funds", "review"]
    for name, rows in _store_tables(ingested).items():
        values = list(book[name].values)
        got = [dict(zip(map(column_of, values[0]), row)) for row in values[1:]]
        _same(got, rows, DECIMALS)


def test_export_parquet_keeps_decimals(ingested, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert run_cli("export", str(ingested), "--format", "parquet", "--out", str(tmp_path)).returncode == 0
    for name, rows in _store_tables(ingested).items():
        table = pq.read_table(tmp_path / f"{name}.parquet")
        if "score" in table.column_names:
            assert pa.types.is_decimal(table.schema.field("score").type)
        _same(table.to_pylist(), rows, DECIMALS)


def test_export_without_review_leaves_flags_out(ingested, tmp_path):
    assert run_cli("export", str(ingested), "--format", "csv", "--no-review", "--out", str(tmp_path)).returncode == 0
    assert not (tmp_path / "review.csv").exists()
