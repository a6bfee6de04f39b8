"""The committed text-layer samples come out exactly as their gold records."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.bench.scoring import read_gold
from tests.conftest import SAMPLES, comparable

TEXT_SAMPLES = sorted((SAMPLES / "text").glob("*.pdf"))


def test_samples_exist():
    assert [p.name for p in TEXT_SAMPLES] == ["seed_000_declarations.pdf", "seed_003_self_evaluations.pdf"]


@pytest.mark.parametrize("pdf", TEXT_SAMPLES, ids=lambda p: p.name)
def test_whole_records_equal_gold(extractor, pdf: Path):
    gold = read_gold(pdf.with_suffix("").with_suffix(".gold.jsonl"))
    result = extractor.extract_file(pdf)
    assert result.status == "done", result.error
    assert len(result.records) == len(gold)
    for got, want in zip(result.records, gold):
        assert comparable(got.model_dump_json()) == comparable(want.model_dump_json())


def test_every_field_has_a_confidence(extractor):
    result = extractor.extract_file(SAMPLES / "text" / "seed_003_self_evaluations.pdf")
    record = result.records[0]
    assert record.confidence["project_name"] == 1.0
    assert record.confidence["funds.total.executed"] == 1.0
    assert "indicators[11].score" in record.confidence
    assert all(0.0 <= c <= 1.0 for c in record.confidence.values())


def test_forms_that_overflow_keep_their_pages(extractor):
    gold = read_gold(SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl")
    assert gold[0].source.pages == [1, 2], "the sample must exercise a form running over a page break"
    result = extractor.extract_file(SAMPLES / "text" / "seed_003_self_evaluations.pdf")
    assert result.records[0].source.pages == [1, 2]
    assert result.records[0].indicators[-1].level1 == "效益指标"
