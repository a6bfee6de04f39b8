"""Does a confidence mean what it says? Reliability tables and the flag threshold's trade-off.

Every scored field that carries a confidence becomes a `Judged` (its
confidence, the kind of page it was read from, right or not, flagged or not).
The reliability table says, per confidence band, how often fields were right;
the sweep says, per threshold, what share of fields would be flagged and how
many wrong fields would pass unflagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from extract.bench.scoring import FormScore
from extract.record.calibrate import field_family
from models import Record

BANDS = (0.0, 0.5, 0.7, 0.85, 0.9, 0.95, 0.98, 0.99, 1.0)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.88, 0.9, 0.93, 0.95, 0.97, 0.99)


@dataclass(frozen=True)
class Judged:
    confidence: float
    kind: str  # text_layer, ocr
    right: bool
    flagged: bool
    family: str = "name"  # extract.record.calibrate.field_family: amount, entry, text, name


def judged_fields(got: Record, score: FormScore) -> list[Judged]:
    """The scored fields of one extracted form that have a confidence of their own."""
    reads = {r.page: r.source for r in (got.source.reads if got.source else [])}
    out = []
    for f in score.fields:
        conf = got.confidence.get(f.path)
        if conf is None:
            continue
        place = got.provenance.get(f.path)
        kind = reads.get(place.page, "text_layer") if place else next(iter(reads.values()), "text_layer")
        out.append(Judged(conf, kind, f.right, f.flagged, field_family(f.path)))
    return out


def reliability(fields: list[Judged]) -> list[dict]:
    """Per confidence band: fields, right, observed accuracy, the band's mean confidence."""
    rows = []
    for lo, hi in pairwise(BANDS):
        inside = [f for f in fields if lo <= f.confidence < hi or (hi == 1.0 and f.confidence == 1.0)]
        right = sum(f.right for f in inside)
        rows.append(
            {
                "band": f"{lo:.2f}-{hi:.2f}",
                "fields": len(inside),
                "right": right,
                "accuracy": right / len(inside) if inside else None,
                "mean_confidence": sum(f.confidence for f in inside) / len(inside) if inside else None,
            }
        )
    return rows


def sweep(fields: list[Judged]) -> list[dict]:
    """Per threshold: share of fields flagged, right fields flagged, wrong fields left unflagged."""
    n = len(fields) or 1
    rows = []
    for t in THRESHOLDS:
        flagged = [f for f in fields if f.confidence < t]
        silent = sum(1 for f in fields if f.confidence >= t and not f.right)
        rows.append(
            {
                "threshold": t,
                "flagged_share": len(flagged) / n,
                "right_flagged": sum(f.right for f in flagged),
                "wrong_unflagged": silent,
                "wrong_unflagged_share": silent / n,
            }
        )
    return rows


def calibration(group: str, profile: str, fields: list[Judged], flag_below: float) -> dict:
    """One profile's calibration report: its reliability table and the threshold sweep, by kind of page."""
    kinds = sorted({f.kind for f in fields})
    return {
        "group": group,
        "profile": profile,
        "fields": len(fields),
        "kinds": {k: sum(f.kind == k for f in fields) for k in kinds},
        "flag_below": flag_below,
        "reliability": reliability(fields),
        "sweep": sweep(fields),
    }
