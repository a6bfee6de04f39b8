"""Value normalisation, and the contract's rules catching injected errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.scoring import read_gold
from extract.validate import check_record
from extract.values import parse_date, parse_decimal, parse_unit, parse_year
from models.vocabulary import load
from tests.conftest import SAMPLES

FRAMEWORK = load("framework")["framework"]


@pytest.mark.parametrize("text,value", [
    ("180,000.00", "180000.00"), ("7.28", "7.28"), ("6,300,000.00", "6300000.00"),
    ("100", "100"), ("-", None), ("", None), (" 0.00 ", "0.00"), ("１２.５０", "12.50"),
])
def test_decimals_keep_their_scale(text, value):
    got, problem = parse_decimal(text)
    assert problem is None
    assert (str(got) if got is not None else None) == value


@pytest.mark.parametrize("text", ["7.2B", "1,23.00", "12..5", "达成指标"])
def test_bad_numbers_say_why(text):
    got, problem = parse_decimal(text)
    assert got is None and text in problem


@pytest.mark.parametrize("text,iso", [("2024-01-01", "2024-01-01"), ("2024/1/1", "2024-01-01"),
                                      ("2024年12月31日", "2024-12-31"), ("20240630", "2024-06-30")])
def test_dates(text, iso):
    assert parse_date(text) == (iso, None)


def test_year_and_unit():
    assert parse_year("（2024年度）") == 2024
    assert parse_unit("项目资金（万元）") == "万元"
    assert parse_unit("项目资金(元)") == "元"


@pytest.fixture(scope="module")
def gold():
    return (read_gold(SAMPLES / "text" / "seed_000_declarations.gold.jsonl"),
            read_gold(SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl"))


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
