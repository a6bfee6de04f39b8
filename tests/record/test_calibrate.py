"""Calibrated confidence: fitted on fields with known outcomes, never surer than the evidence."""

from __future__ import annotations

import random

from extract.record.calibrate import Calibration, Curve, fit_isotonic


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
