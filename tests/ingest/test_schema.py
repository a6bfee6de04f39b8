"""The published record schema is the models' and holds every record we write; the export docs are the code's."""

from __future__ import annotations

import json

import jsonschema
import pytest

from extract.cli import main
from extract.ingest.columns import columns_markdown, postgres_ddl
from extract.ingest.export import export
from extract.ingest.schema import record_schema, schema_text
from extract.ingest.store import Store, sqlite_url
from tests.conftest import ROOT, SAMPLES
from tests.ingest.conftest import save_all

SCHEMA_FILE = ROOT / "docs" / "record.schema.json"
EXPORTS_DOC = ROOT / "docs" / "exports.md"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _valid(validator, data: dict) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_committed_schema_is_the_models(capsys):
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/record.schema.json differs from the models: run `filing-extract schema > docs/record.schema.json`"
    )
    schema = record_schema()
    assert schema["$schema"].endswith("2020-12/schema") and schema["$id"].endswith(schema["x-schema-version"])
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_text()


def test_every_gold_record_of_the_samples_is_valid(validator):
    lines = [line for path in sorted((SAMPLES / "text").glob("*.gold.jsonl")) for line in path.read_text().splitlines()]
    assert len(lines) == 11
    for line in lines:
        _valid(validator, json.loads(line))


def test_every_record_the_pipeline_extracts_and_the_store_exports_is_valid(validator, sample_results, tmp_path):
    extracted = [record for result in sample_results for record in result.records]
    assert len(extracted) == 11
    for record in extracted:
        _valid(validator, json.loads(record.model_dump_json()))
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results)
    (path,) = export(store, "jsonl", tmp_path / "out")
    store.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 11
    for line in lines:
        data = json.loads(line)
        assert data["record_id"].endswith(":" + str(data["record_id"].rsplit(":", 1)[1])) and data["revision"] == 1
        _valid(validator, data)


def test_the_schema_refuses_what_the_contract_does(validator):
    good = json.loads((SAMPLES / "text" / "seed_000_declarations.gold.jsonl").read_text().splitlines()[0])
    for broken in (
        {**good, "year": "2024"},
        {**good, "total_weight": 12.5},  # a decimal is a string of digits, never a float
        {**good, "total_weight": "12,5"},
        {**good, "form_type": "invoice"},
        {**good, "unknown_field": 1},
    ):
        assert list(validator.iter_errors(broken)), broken


def test_the_export_docs_list_every_column_with_its_type():
    doc = EXPORTS_DOC.read_text(encoding="utf-8")
    start, end = "<!-- columns: filing-extract schema --columns -->\n", "<!-- end of columns -->"
    assert start in doc and end in doc
    assert doc.split(start, 1)[1].split(end, 1)[0] == columns_markdown(), (
        "docs/exports.md's column reference differs from the code: paste `filing-extract schema --columns` there"
    )
    ddl = postgres_ddl()
    assert "CREATE TABLE IF NOT EXISTS forms" in ddl and "total_score numeric" in ddl and "deleted boolean" in ddl
