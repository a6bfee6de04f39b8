"""The contract's rules (docs/records.md): each broken rule names its fields.

A record that breaks a rule is still emitted; the fields involved go to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models import FundsRow, Record

RATE_TOLERANCE = Decimal("0.05")  # printed amounts are rounded (contract)
SCORE_TOLERANCE = Decimal("0.01")  # a score is printed to 2 places from the rate
SUM_TOLERANCE = Decimal("0.005")

FUNDS_LINES = ("total", "current_year_appropriation", "carryover", "other")


@dataclass(frozen=True)
class Breach:
    fields: tuple[str, ...]
    reason: str


def grade_for(score: Decimal) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def check_declaration_funds(rec: Record) -> list[Breach]:
    f = rec.funds
    parts = [f.current_year_appropriation, f.carryover, f.other]
    if not isinstance(f.total, Decimal) or not all(isinstance(p, Decimal) for p in parts):
        return []
    if abs(f.total - sum(parts)) > SUM_TOLERANCE:
        return [
            Breach(
                tuple(f"funds.{n}" for n in FUNDS_LINES),
                f"total {f.total} ≠ current-year {parts[0]} + carryover {parts[1]} + other {parts[2]}",
            )
        ]
    return []


def check_funds_row(path: str, row: FundsRow) -> list[Breach]:
    out = []
    if None not in (row.executed, row.annual_budget, row.execution_rate):
        if row.annual_budget == 0:
            expected = Decimal(0)
        else:
            expected = row.executed / row.annual_budget * 100
        if abs(row.execution_rate - expected) > RATE_TOLERANCE:
            out.append(
                Breach(
                    (f"{path}.execution_rate", f"{path}.executed", f"{path}.annual_budget"),
                    f"execution rate {row.execution_rate} ≠ executed {row.executed} / "
                    f"annual budget {row.annual_budget} × 100 = {expected:.2f}",
                )
            )
    if None not in (row.execution_rate, row.weight, row.score):
        expected = min(row.execution_rate, Decimal(100)) * row.weight / 100
        if abs(row.score - expected) > SCORE_TOLERANCE:
            out.append(
                Breach(
                    (f"{path}.score", f"{path}.execution_rate", f"{path}.weight"),
                    f"funds score {row.score} ≠ min(rate, 100) × weight / 100 = {expected:.2f}",
                )
            )
    return out


def check_self_evaluation(rec: Record) -> list[Breach]:
    out: list[Breach] = []
    for line in FUNDS_LINES:
        row = getattr(rec.funds, line)
        if isinstance(row, FundsRow):
            out += check_funds_row(f"funds.{line}", row)
    total = rec.funds.total if isinstance(rec.funds.total, FundsRow) else FundsRow()
    rows = rec.indicators
    for key, part in (("weight", "weight"), ("score", "score")):
        stated = getattr(rec, f"total_{key}")
        head = getattr(total, part)
        values = [getattr(r, part) for r in rows]
        if stated is None or head is None or None in values:
            continue
        expected = head + sum(values, Decimal(0))
        if abs(stated - expected) > SUM_TOLERANCE:
            fields = (f"total_{key}", f"funds.total.{part}") + tuple(
                f"indicators[{i}].{part}" for i in range(len(rows))
            )
            out.append(Breach(fields, f"total {key} {stated} ≠ funds {key} + indicator {key}s = {expected}"))
    for i, r in enumerate(rows):
        if r.score is not None and r.weight is not None and r.score > r.weight:
            out.append(
                Breach(
                    (f"indicators[{i}].score", f"indicators[{i}].weight"),
                    f"score {r.score} exceeds its weight {r.weight}",
                )
            )
    if total.score is not None and total.weight is not None and total.score > total.weight:
        out.append(
            Breach(
                ("funds.total.score", "funds.total.weight"),
                f"funds score {total.score} exceeds its weight {total.weight}",
            )
        )
    if rec.total_score is not None and rec.grade is not None:
        expected_grade = grade_for(rec.total_score)
        if rec.grade != expected_grade:
            out.append(
                Breach(
                    ("grade", "total_score"),
                    f"grade {rec.grade} does not follow total score {rec.total_score} (expected {expected_grade})",
                )
            )
    return out


def check_framework(rec: Record, framework: dict[str, list[str]]) -> list[Breach]:
    level2s = {name for names in framework.values() for name in names}
    out = []
    for i, r in enumerate(rec.indicators):
        if r.level1 not in framework:
            out.append(
                Breach(
                    (f"indicators[{i}].level1",), f"level-1 indicator '{r.level1}' is not in the indicator framework"
                )
            )
        if r.level2 not in level2s:
            out.append(
                Breach(
                    (f"indicators[{i}].level2",), f"level-2 indicator '{r.level2}' is not in the indicator framework"
                )
            )
    return out


def check_dates(rec: Record) -> list[Breach]:
    if rec.planned_start is None or rec.planned_end is None:
        return []
    out = []
    start, end = date.fromisoformat(rec.planned_start), date.fromisoformat(rec.planned_end)
    if start > end:
        out.append(Breach(("planned_start", "planned_end"), f"planned start {start} is after planned end {end}"))
    if rec.year is not None:
        for path, day in (("planned_start", start), ("planned_end", end)):
            if day.year != rec.year:
                out.append(Breach((path, "year"), f"{path} {day} is outside the form's year {rec.year}"))
    return out


def check_record(rec: Record, framework: dict[str, list[str]]) -> list[Breach]:
    out = check_framework(rec, framework) + check_dates(rec)
    if rec.form_type == "target_declaration":
        out += check_declaration_funds(rec)
    else:
        out += check_self_evaluation(rec)
    return out
