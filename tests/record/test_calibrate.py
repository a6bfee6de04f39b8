"""Calibrated confidence: fitted on fields with known outcomes, never surer than the evidence."""

from __future__ import annotations

import random

from extract.record.calibrate import Calibration, Curve, field_family, fit_isotonic


def test_the_fitted_curve_follows_observed_accuracy_and_is_monotone():
    rng = random.Random(1)
    raw = [rng.random() for _ in range(5000)]
    right = [rng.random() < 0.5 + 0.5 * x**3 for x in raw]  # a raw 0.9 is right about 86% of the time
    curve = fit_isotonic(raw, right)
    assert all(a <= b for a, b in zip(curve.calibrated, curve.calibrated[1:]))
    assert abs(curve(0.9) - (0.5 + 0.5 * 0.9**3)) < 0.05
    assert len(curve.raw) <= 24


def test_no_evidence_below_the_fitted_range_means_no_more_sure_than_raw():
    curve = fit_isotonic([0.95, 0.97, 0.99, 1.0] * 50, [True] * 200)
    assert curve(0.4) <= 0.4  # a broken rule stays a flag, however good the fitted fields were
    assert curve(1.0) > 0.99


def test_without_shipped_curves_confidence_is_raw():
    assert Calibration().apply(0.37, "ocr") == 0.37
    assert Calibration({"ocr": Curve((0.5, 1.0), (0.3, 0.9))}).apply(0.75, "ocr") == 0.6


def test_a_field_family_with_a_curve_of_its_own_uses_it_and_the_rest_use_their_kinds():
    calibration = Calibration({"ocr": Curve((0.5, 1.0), (0.3, 0.9)), "ocr/amount": Curve((0.5, 1.0), (0.9, 1.0))})
    assert calibration.apply(0.75, "ocr", field_family("funds.total.executed")) == 0.95
    assert calibration.apply(0.75, "ocr", field_family("goal")) == 0.6
    assert calibration.apply(0.75, "ocr") == 0.6


def test_fields_fall_into_the_families_their_checks_make_alike():
    families = {
        "amount": ["funds.total.executed", "funds.carryover", "indicators[3].weight", "total_score"],
        "entry": ["year", "funds.unit", "grade", "indicators[0].level1", "indicators[2].unit"],
        "text": ["goal", "indicators[1].name_raw", "indicators[1].target", "indicators[4].note"],
        "name": ["project_name", "department", "planned_start"],
    }
    assert {f: [field_family(p) for p in paths] for f, paths in families.items()} == {
        f: [f] * len(paths) for f, paths in families.items()
    }
