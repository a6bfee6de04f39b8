"""repair_sums changes what the filer wrote: only where one reading alone breaks a sum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.bench.scoring import read_gold
from extract.record.repair import repair_sums
from extract.record.validate import check_record
from models.vocabulary import load
from tests.conftest import SAMPLES

FRAMEWORK = load("framework")["framework"]


@pytest.fixture()
def self_eval():
    return read_gold(SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl")[0].model_copy(deep=True)


@pytest.fixture()
def declaration():
    return read_gold(SAMPLES / "text" / "seed_000_declarations.gold.jsonl")[0].model_copy(deep=True)


def _sure(record, doubtful: dict[str, float]) -> dict[str, float]:
    return {**{k: 1.0 for k in ("total_weight", "total_score", "funds.total.weight", "funds.total.score")}, **doubtful}


def test_one_misread_digit_with_the_least_confidence_is_corrected(self_eval):
    right = self_eval.indicators[2].weight
    self_eval.indicators[2].weight = right + 3  # one digit misread
    fixes = repair_sums(self_eval, _sure(self_eval, {"indicators[2].weight": 0.7}), FRAMEWORK)
    assert [(f.field, f.read, f.corrected) for f in fixes] == [("indicators[2].weight", right + 3, right)]
    assert self_eval.indicators[2].weight == right and check_record(self_eval, FRAMEWORK) == []


def test_no_single_least_sure_reading_means_no_repair(self_eval):
    self_eval.indicators[2].weight += 3
    confidence = _sure(self_eval, {"indicators[2].weight": 0.7, "indicators[3].weight": 0.7})
    assert repair_sums(self_eval, confidence, FRAMEWORK) == []


def test_a_correction_far_from_the_reading_is_not_made(declaration):
    declaration.funds.current_year_appropriation = Decimal("1.00")  # not a slip of 180000.00
    fixes = repair_sums(declaration, {"funds.current_year_appropriation": 0.5}, FRAMEWORK)
    assert fixes == [] and declaration.funds.current_year_appropriation == Decimal("1.00")


def test_a_declaration_total_misread_by_one_digit_is_corrected(declaration):
    declaration.funds.total = Decimal("130000.00")  # 8 read as 3
    (fix,) = repair_sums(declaration, {"funds.total": 0.6}, FRAMEWORK)
    assert fix.corrected == Decimal("180000.00") and declaration.funds.total == Decimal("180000.00")
