"""Exports are safe to open in a spreadsheet: no XLSX cell is a formula, CSV text cells are escaped (OWASP)."""

from __future__ import annotations

import csv
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from extract.bench.scoring import read_gold
from extract.ingest.columns import column_of, columns
from extract.ingest.export import export
from extract.ingest.store import Store, sqlite_url
from extract.ingest.writers import FORMULA_START, csv_safe, write_csv
from samples.generate import write_document
from samples.render import Style
from tests.conftest import SAMPLES
from tests.ingest.conftest import save_all

HOSTILE = {
    "project_name": '=HYPERLINK("http://x","y")',
    "notes": ["@SUM(A1)", "+1+2", "-3-4"],
}


@pytest.fixture(scope="module")
def hostile_store(extractor, sample_results, tmp_path_factory) -> Store:
    """The bundled samples (targets such as '=100.00(%)') and a form printed with hostile values."""
    folder = tmp_path_factory.mktemp("hostile")
    record = read_gold(SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl")[0]
    record.project_name = HOSTILE["project_name"]
    for indicator, note in zip(record.indicators, HOSTILE["notes"]):
        indicator.note = note
    pdf = write_document(folder / "printed", "hostile", [record], Style())
    result = extractor.extract_file(pdf)
    assert result.records[0].project_name == HOSTILE["project_name"]
    assert [i.note for i in result.records[0].indicators[:3]] == HOSTILE["notes"]
    store = Store(sqlite_url(folder))
    save_all(store, [*sample_results, result])
    yield store
    store.close()


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{column_of(k): v for k, v in row.items()} for row in csv.DictReader(handle)]


def test_no_xlsx_cell_is_a_formula(hostile_store, tmp_path):
    from openpyxl import load_workbook

    (path,) = export(hostile_store, "xlsx", tmp_path)
    book = load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    texts.append(cell.value)
    assert HOSTILE["project_name"] in texts and "@SUM(A1)" in texts and "=100.00(%)" in texts  # shown as written
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_csv_text_cells_that_would_run_as_formulas_are_escaped_by_default(hostile_store, tmp_path):
    export(hostile_store, "csv", tmp_path / "safe")
    forms_rows = _csv_rows(tmp_path / "safe" / "forms.csv")
    indicator_rows = _csv_rows(tmp_path / "safe" / "indicators.csv")
    assert "'" + HOSTILE["project_name"] in {r["project_name"] for r in forms_rows}
    notes = {r["note"] for r in indicator_rows}
    assert {"'@SUM(A1)", "'+1+2", "'-3-4"} <= notes
    assert "'=100.00(%)" in {r["target"] for r in indicator_rows}
    for name in ("forms", "indicators", "funds", "review"):
        text = {column for column, kind in columns(name) if kind == "string"}
        for row in _csv_rows(tmp_path / "safe" / f"{name}.csv"):
            for column in text:
                assert not row[column].startswith(FORMULA_START), (name, column, row[column])
    export(hostile_store, "csv", tmp_path / "raw", csv_raw=True)
    raw = _csv_rows(tmp_path / "raw" / "forms.csv")
    assert HOSTILE["project_name"] in {r["project_name"] for r in raw}


def test_numbers_are_never_escaped_and_every_formula_start_is(tmp_path):
    cols = [("record_id", "string"), ("executed", "decimal"), ("row", "int"), ("note", "string"), ("x0", "float")]
    rows = [
        {"record_id": "a:0", "executed": Decimal("-12.50"), "row": -1, "note": start + "x", "x0": -0.5}
        for start in FORMULA_START
    ]
    got = _csv_rows(write_csv(tmp_path / "t.csv", cols, rows))
    assert {r["executed"] for r in got} == {"-12.50"} and {r["row"] for r in got} == {"-1"}
    assert {r["x0"] for r in got} == {"-0.5"}
    assert sorted(r["note"] for r in got) == sorted("'" + s + "x" for s in FORMULA_START)
    assert csv_safe("100%") == "100%" and csv_safe("=1") == "'=1"
