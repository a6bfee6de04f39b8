"""The ledger keeps the lowest confidence, every distinct reason, and where values were read."""

from __future__ import annotations

from extract.datamodel.form import MISSING, Extracted
from extract.datamodel.geometry import Box
from extract.record.ledger import Ledger
from extract.settings import ConfidenceSettings


def test_lowest_confidence_and_distinct_reasons_win():
    ledger = Ledger(ConfidenceSettings())
    ledger.note("x", 0.9, "a")
    ledger.note("x", 0.5, "b")
    ledger.note("x", 0.7, "a")
    assert ledger.confidence["x"] == 0.5 and ledger.reasons["x"] == ["a", "b"]


def test_a_missing_field_is_zero_and_an_optional_one_is_not_noted():
    ledger = Ledger(ConfidenceSettings())
    ledger.seen("goal", MISSING)
    ledger.seen("note", MISSING, required=False)
    assert ledger.confidence == {"goal": 0.0}


def test_a_parent_path_is_placed_by_its_fields_on_their_first_page():
    ledger = Ledger(ConfidenceSettings())
    ledger.seen("funds.total.executed", Extracted("1", 2, Box(10, 10, 20, 20)))
    ledger.seen("funds.total.score", Extracted("1", 2, Box(30, 10, 40, 20)))
    ledger.seen("funds.total.weight", Extracted("1", 3, Box(0, 0, 5, 5)))
    assert ledger.place_of("funds.total") == (2, Box(10, 10, 40, 20))
    assert ledger.place_of("goal") is None
