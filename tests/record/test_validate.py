"""The contract's rules hold on the gold records and catch injected errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.bench.scoring import read_gold
from extract.record.validate import check_record
from models.vocabulary import load
from tests.conftest import SAMPLES

FRAMEWORK = load("framework")["framework"]


@pytest.fixture(scope="module")
def gold():
    return (
        read_gold(SAMPLES / "text" / "seed_000_declarations.gold.jsonl"),
        read_gold(SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl"),
    )


def test_gold_records_obey_every_rule(gold):
    for records in gold:
        for record in records:
            assert check_record(record, FRAMEWORK) == []


def test_misread_amount_breaks_the_funds_sum(gold):
    record = gold[0][0].model_copy(deep=True)
    record.funds.current_year_appropriation = Decimal("130000.00")  # 8 read as 3
    (breach,) = check_record(record, FRAMEWORK)
    assert "funds.current_year_appropriation" in breach.fields


def test_misread_digits_break_self_evaluation_rules(gold):
    record = gold[1][0].model_copy(deep=True)
    record.funds.total.execution_rate = Decimal("78.77")
    record.indicators[3].score = Decimal("8.00")  # above its weight 5.00
    record.grade = "良"
    fields = {f for breach in check_record(record, FRAMEWORK) for f in breach.fields}
    assert {"funds.total.execution_rate", "indicators[3].score", "total_score", "grade"} <= fields


def test_unknown_framework_level_is_reported(gold):
    record = gold[0][1].model_copy(deep=True)
    record.indicators[0].level2 = "经济成本"
    (breach,) = check_record(record, FRAMEWORK)
    assert breach.fields == ("indicators[0].level2",)
