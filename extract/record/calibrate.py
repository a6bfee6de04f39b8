"""Calibrated confidence: a field's raw confidence mapped to how often such a field is right.

The ledger's raw confidence is the lowest of a field's signals (OCR scores,
label and vocabulary matches, shape and rule checks). It orders fields by
doubt but does not say how often a field is right; the mapping fitted on the
development corpus (`benchmarks/calibrate.py`, isotonic regression, one curve
for text-layer fields and one for OCR fields, and one for each family of OCR
fields, `field_family`) does, so that a confidence of
0.95 means right about 19 times in 20. The curves ship as package data
(`models/calibration/confidence.json`); without them the raw value is used.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from importlib import resources

CURVES_FILE = "confidence.json"

# Families of fields that a misreading affects alike, each with a curve of its own: a scanned amount
# is checked by the form's sums and a level-1 entry by the framework, while free text has nothing to
# check it against, so one raw confidence means different odds of being right.
_FAMILIES = (
    (
        "entry",
        re.compile(
            r"^(year|form_type|funds\.unit|grade|project_attribute|indicators\[\d+\]\.(level1|level2|nature|unit))$"
        ),
    ),
    ("amount", re.compile(r"^(funds\.[a-z_]+(\.[a-z_]+)?|indicators\[\d+\]\.(weight|score|level1_weight)|total_\w+)$")),
    ("text", re.compile(r"^(goal|outcome|long_term_goal|indicators\[\d+\]\.(target|actual|note|name|name_raw))$")),
)


def field_family(path: str) -> str:
    """amount, entry, text, or name (the header's names and the rest)."""
    return next((family for family, pattern in _FAMILIES if pattern.match(path)), "name")


@dataclass(frozen=True)
class Curve:
    """A monotone piecewise-linear map from raw to calibrated confidence, by its knots."""

    raw: tuple[float, ...]
    calibrated: tuple[float, ...]

    def __call__(self, value: float) -> float:
        if not self.raw:
            return value
        if value <= self.raw[0]:
            # Below the fitted range there is no evidence: never more sure than the raw value says.
            return min(value, self.calibrated[0])
        if value >= self.raw[-1]:
            return self.calibrated[-1]
        i = bisect_right(self.raw, value) - 1
        x0, x1, y0, y1 = self.raw[i], self.raw[i + 1], self.calibrated[i], self.calibrated[i + 1]
        return y0 + (y1 - y0) * (value - x0) / (x1 - x0) if x1 > x0 else y1


@dataclass(frozen=True)
class Calibration:
    """One curve per kind of page a field was read from (text_layer, ocr), and per kind and field
    family where the fit had enough fields of it ('ocr/amount')."""

    curves: dict[str, Curve] = field(default_factory=dict)
    fitted_on: str = ""

    def apply(self, raw: float, kind: str, family: str | None = None) -> float:
        """Through the curve of the kind of page and the field's family, else the kind's own."""
        curve = self.curves.get(f"{kind}/{family}") if family else None
        curve = curve or self.curves.get(kind)
        return round(curve(raw), 3) if curve is not None else raw

    @classmethod
    def load(cls) -> Calibration:
        """The packaged curves, or none (raw confidence) when no fit has been shipped."""
        files = resources.files("models").joinpath("calibration", CURVES_FILE)
        if not files.is_file():
            return cls()
        data = json.loads(files.read_text(encoding="utf-8"))
        curves = {
            kind: Curve(tuple(k[0] for k in knots), tuple(k[1] for k in knots))
            for kind, knots in data["curves"].items()
        }
        return cls(curves, data.get("fitted_on", ""))


def fit_isotonic(raw: list[float], right: list[bool], max_knots: int = 24, prior: float = 20.0) -> Curve:
    """Pool-adjacent-violators over fields sorted by raw confidence; the blocks' means are the knots.

    Each block's observed accuracy becomes the calibrated value at the block's
    mean raw confidence, shrunk towards that raw confidence by `prior` fields'
    worth of evidence (a block of three right fields is not proof of 1.0);
    blocks are merged until at most `max_knots` remain, so the curve
    generalises instead of memorising single fields.
    """
    pairs = sorted(zip(raw, right))
    blocks: list[list[float]] = []  # [sum of raw, sum of right, count]
    for x, y in pairs:
        blocks.append([x, float(y), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1] = [a + b for a, b in zip(blocks[-1], last)]
    while len(blocks) > max_knots:
        # Merge the two neighbours with the fewest fields between them: the least evidence.
        i = min(range(len(blocks) - 1), key=lambda k: blocks[k][2] + blocks[k + 1][2])
        blocks[i] = [a + b for a, b in zip(blocks[i], blocks.pop(i + 1))]
    knots, floor = [], 0.0
    for s, r, n in blocks:
        floor = max(floor, (r + prior * s / n) / (n + prior))  # shrinking can dent the order: keep it monotone
        knots.append((round(s / n, 4), round(floor, 4)))
    return Curve(tuple(k[0] for k in knots), tuple(k[1] for k in knots))
