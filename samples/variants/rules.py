"""The contract's rules (docs/records.md, "Rules a valid record obeys" and 1.2) for variant gold.

Written from the contract's text, not imported from extract/, as samples/corpus/rules.py
is: the gold is checked against the contract, not against the code it tests.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models import FundsRow, Record
from samples.corpus.pools import canonical, framework

RATE_TOLERANCE = Decimal("0.05")
SCORE_TOLERANCE = Decimal("0.01")
LINES = ("total", "current_year_appropriation", "carryover", "other", "special_account", "unit_funds")
Scale = list[tuple[str, int]]  # (grade, lowest score), highest first
DEFAULT_SCALE: Scale = [("优", 90), ("良", 80), ("中", 60), ("差", 0)]


def grade_for(score: Decimal, scale: Scale = DEFAULT_SCALE) -> str:
    return next(grade for grade, low in scale if score >= low)


def _row(path: str, row: FundsRow) -> list[str]:
    out = []
    budget = row.annual_budget if row.annual_budget is not None else row.adjusted_budget
    if None not in (row.executed, budget, row.execution_rate):
        expected = Decimal(0) if budget == 0 else row.executed / budget * 100
        if abs(row.execution_rate - expected) > RATE_TOLERANCE:
            out.append(f"{path}: execution rate {row.execution_rate} != {expected:.2f}")
    if None not in (row.execution_rate, row.weight, row.score):
        expected = min(row.execution_rate, Decimal(100)) * row.weight / 100
        if abs(row.score - expected) > SCORE_TOLERANCE:
            out.append(f"{path}: funds score {row.score} != {expected:.2f}")
    return out


def _self_evaluation(rec: Record, scale: Scale) -> list[str]:
    out: list[str] = []
    for line in LINES:
        row = getattr(rec.funds, line)
        if isinstance(row, FundsRow):
            out += _row(f"funds.{line}", row)
    total = rec.funds.total
    if not isinstance(total, FundsRow) or total.weight is None or total.score is None:
        return out + ["funds.total has no weight or score"]
    rows = rec.indicators
    if any(r.weight is None or r.score is None for r in rows):
        return out + ["an indicator has no weight or score"]
    if rec.total_weight != total.weight + sum(r.weight for r in rows):
        out.append(f"total_weight {rec.total_weight} != the sum of weights")
    if rec.total_score != total.score + sum(r.score for r in rows):
        out.append(f"total_score {rec.total_score} != the sum of scores")
    out += [f"indicators[{i}]: score above weight" for i, r in enumerate(rows) if r.score > r.weight]
    if rec.grade is not None and rec.grade != grade_for(rec.total_score, scale):
        out.append(f"grade {rec.grade} does not follow total_score {rec.total_score}")
    for level1 in {r.level1 for r in rows if r.level1_weight is not None}:
        mine = [r for r in rows if r.level1 == level1]
        if sum(r.weight for r in mine) != mine[0].level1_weight:
            out.append(f"{level1}: the weights of its rows do not add up to {mine[0].level1_weight}")
    return out


def _declaration(rec: Record, multi_year: bool) -> list[str]:
    out = []
    f = rec.funds
    parts = [v for v in (f.current_year_appropriation, f.carryover, f.other) if v is not None]
    if not isinstance(f.total, Decimal) or not all(isinstance(v, Decimal) for v in parts):
        out.append("declaration funds are not amounts")
    elif f.total != sum(parts):
        out.append(f"funds.total {f.total} != {sum(parts)}")
    if rec.planned_start is not None and rec.planned_end is not None:
        start, end = date.fromisoformat(rec.planned_start), date.fromisoformat(rec.planned_end)
        if start > end:
            out.append(f"planned start {start} after planned end {end}")
        inside = start.year == end.year == rec.year
        runs = start.year <= rec.year <= end.year
        if not (runs if multi_year else inside):
            out.append(f"planned dates {start}..{end} do not fit the year {rec.year}")
    return out


def breaches(
    rec: Record, scale: Scale = DEFAULT_SCALE, multi_year: bool = False, empty_level1: bool = False
) -> list[str]:
    """Every contract rule the gold record breaks (gold must break none).

    `empty_level1`: the form prints some level-1 cells empty (gold null, flagged by design).
    """
    out: list[str] = []
    frame = framework()
    for i, r in enumerate(rec.indicators):
        if r.level1 is None and empty_level1:
            if not any(r.level2 in names for names in frame.values()):
                out.append(f"indicators[{i}]: {r.level2} not in the framework")
        elif r.level1 not in frame or r.level2 not in frame[r.level1]:
            out.append(f"indicators[{i}]: {r.level1}/{r.level2} not in the framework")
        if r.name_raw is None or r.name != canonical(r.name_raw):
            out.append(f"indicators[{i}]: name {r.name!r} is not the canonical name of {r.name_raw!r}")
    if rec.form_type == "target_declaration":
        return out + _declaration(rec, multi_year)
    return out + _self_evaluation(rec, scale)
