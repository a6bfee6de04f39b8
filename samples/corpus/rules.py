"""The contract's rules (docs/records.md "Rules a valid record obeys") for gold.

Written again here rather than imported from extract/, so the corpus checks its
gold against the contract's text, not against the code it is meant to test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models import FundsRow, Record
from samples.corpus.pools import canonical, framework

RATE_TOLERANCE = Decimal("0.05")
SCORE_TOLERANCE = Decimal("0.01")


Scale = list[tuple[str, int]]  # (grade, lowest score), highest first
DEFAULT_SCALE: Scale = [("优", 90), ("良", 80), ("中", 60), ("差", 0)]


def grade_for(score: Decimal, scale: Scale = DEFAULT_SCALE) -> str:
    return next(grade for grade, low in scale if score >= low)


def funds_row_breaches(path: str, row: FundsRow) -> list[str]:
    """The rate is of the year's budget: 全年预算数, or 调整后预算数 where the form prints that instead."""
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


def sum_breaches(rec: Record) -> tuple[list[str], bool]:
    """A self-evaluation's totals against its funds row and indicators, and whether every weight
    and score was there to check (False: the rules that need them cannot run)."""
    total = rec.funds.total
    if not isinstance(total, FundsRow) or total.weight is None or total.score is None:
        return ["funds.total has no weight or score"], False
    rows = rec.indicators
    if any(r.weight is None or r.score is None for r in rows):
        return ["an indicator has no weight or score"], False
    out = []
    if rec.total_weight != total.weight + sum(r.weight for r in rows):
        out.append(f"total_weight {rec.total_weight} != the sum of weights")
    if rec.total_score != total.score + sum(r.score for r in rows):
        out.append(f"total_score {rec.total_score} != the sum of scores")
    out += [f"indicators[{i}]: score above weight" for i, r in enumerate(rows) if r.score > r.weight]
    return out, True


def _self_evaluation_breaches(rec: Record) -> list[str]:
    out: list[str] = []
    for line in ("total", "current_year_appropriation", "carryover", "other"):
        row = getattr(rec.funds, line)
        if not isinstance(row, FundsRow):
            out.append(f"funds.{line} is not a funds row")
            continue
        out += funds_row_breaches(f"funds.{line}", row)
    sums, whole = sum_breaches(rec)
    out += sums
    if not whole:
        return out
    total = rec.funds.total
    if total.score > total.weight:
        out.append("funds.total: score above weight")
    if rec.total_score is None or rec.grade != grade_for(rec.total_score):
        out.append(f"grade {rec.grade} does not follow total_score {rec.total_score}")
    return out


def breaches(rec: Record) -> list[str]:
    """Every contract rule the record breaks (gold must break none)."""
    out: list[str] = []
    frame = framework()
    for i, r in enumerate(rec.indicators):
        if r.level1 not in frame or r.level2 not in frame[r.level1]:
            out.append(f"indicators[{i}]: {r.level1}/{r.level2} not in the framework")
        if r.name_raw is None or r.name != canonical(r.name_raw):
            out.append(f"indicators[{i}]: name {r.name!r} is not the canonical name of {r.name_raw!r}")
    if rec.form_type == "target_declaration":
        f = rec.funds
        parts = [f.current_year_appropriation, f.carryover, f.other]
        if not all(isinstance(v, Decimal) for v in [f.total, *parts]):
            out.append("declaration funds are not amounts")
        elif f.total != sum(parts):
            out.append(f"funds.total {f.total} != {sum(parts)}")
        if rec.planned_start is None or rec.planned_end is None:
            out.append("planned dates missing")
        else:
            start, end = date.fromisoformat(rec.planned_start), date.fromisoformat(rec.planned_end)
            if start > end or start.year != rec.year or end.year != rec.year:
                out.append(f"planned dates {start}..{end} not inside {rec.year}")
    else:
        out += _self_evaluation_breaches(rec)
    return out
