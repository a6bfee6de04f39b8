"""The contract's rules (docs/records.md): each broken rule names its fields.

A record that breaks a rule is still emitted; the fields involved go to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models import FundsRow, Record
from models.forms import Grade, Rules

RATE_TOLERANCE = Decimal("0.05")  # printed amounts are rounded (contract)
SCORE_TOLERANCE = Decimal("0.01")  # a score is printed to 2 places from the rate
SUM_TOLERANCE = Decimal("0.005")

FUNDS_LINES = ("total", "current_year_appropriation", "carryover", "other", "special_account", "unit_funds")
PARTS = FUNDS_LINES[1:]
# The contract's grade scale, for a definition that gives none.
DEFAULT_GRADES = [Grade(grade=g, min_score=Decimal(m)) for g, m in (("优", 90), ("良", 80), ("中", 60), ("差", 0))]


@dataclass(frozen=True)
class Breach:
    fields: tuple[str, ...]
    reason: str


def grade_for(score: Decimal, grades: list[Grade] | None = None) -> str:
    """The grade a total score earns on a scale given highest first."""
    scale = grades or DEFAULT_GRADES
    return next((g.grade for g in scale if score >= g.min_score), scale[-1].grade)


def check_declaration_funds(rec: Record) -> list[Breach]:
    """total = the sum of its parts; a part the form does not print (null) counts as nothing."""
    f = rec.funds
    parts = {name: getattr(f, name) for name in PARTS if isinstance(getattr(f, name), Decimal)}
    if not isinstance(f.total, Decimal) or not parts:
        return []
    if abs(f.total - sum(parts.values(), Decimal(0))) > SUM_TOLERANCE:
        named = " + ".join(f"{name} {value}" for name, value in parts.items())
        return [Breach(("funds.total", *(f"funds.{n}" for n in parts)), f"total {f.total} ≠ {named}")]
    return []


def check_funds_row(path: str, row: FundsRow) -> list[Breach]:
    out = []
    # The rate is of the year's budget: 全年预算数, or 调整后预算数 where the form prints that instead.
    budget_field = "annual_budget" if row.annual_budget is not None else "adjusted_budget"
    budget = getattr(row, budget_field)
    if None not in (row.executed, budget, row.execution_rate):
        expected = Decimal(0) if budget == 0 else row.executed / budget * 100
        if abs(row.execution_rate - expected) > RATE_TOLERANCE:
            out.append(
                Breach(
                    (f"{path}.execution_rate", f"{path}.executed", f"{path}.{budget_field}"),
                    f"execution rate {row.execution_rate} ≠ executed {row.executed} / "
                    f"budget {budget} × 100 = {expected:.2f}",
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


def check_self_evaluation(rec: Record, grades: list[Grade]) -> list[Breach]:
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
        if stated is None:
            continue
        unread = [i for i, v in enumerate(values) if v is None]
        if head is None or unread:
            # The printed total stands unchecked: a misread total would pass unseen.
            missing = ["the funds row"] * (head is None) + [f"indicator {i + 1}" for i in unread[:5]]
            fields = (f"total_{key}",) + (("grade",) if key == "score" and rec.grade is not None else ())
            out.append(
                Breach(
                    fields,
                    f"total {key} {stated} could not be checked against the rows: {', '.join(missing)} has no {key}",
                )
            )
            continue
        expected = head + sum(values, Decimal(0))
        if abs(stated - expected) > SUM_TOLERANCE:
            # The table as a whole too: a row may have been lost or read twice, not only misread.
            fields = ("indicators", f"total_{key}", f"funds.total.{part}") + tuple(
                f"indicators[{i}].{part}" for i in range(len(rows))
            )
            out.append(
                Breach(
                    fields,
                    f"total {key} {stated} ≠ funds {key} + indicator {key}s = {expected}: "
                    "a value is misread, or a row is missing or doubled",
                )
            )
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
    return out + check_grade(rec, grades)


def check_grade(rec: Record, grades: list[Grade]) -> list[Breach]:
    """The grade is one of the form's scale, and follows the total score on it."""
    scale = grades or DEFAULT_GRADES
    out = []
    if rec.grade is not None and rec.grade not in {g.grade for g in scale}:
        names = "/".join(g.grade for g in scale)
        return [Breach(("grade",), f"grade '{rec.grade}' is not on this form's scale ({names})")]
    if rec.total_score is not None and rec.grade is not None:
        expected_grade = grade_for(rec.total_score, scale)
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


def check_dates(rec: Record, within_year: bool = True) -> list[Breach]:
    """Start before end; both inside the form's year, or (a multi-year project) its span overlaps the year."""
    if rec.planned_start is None or rec.planned_end is None:
        return []
    out = []
    start, end = date.fromisoformat(rec.planned_start), date.fromisoformat(rec.planned_end)
    if start > end:
        out.append(Breach(("planned_start", "planned_end"), f"planned start {start} is after planned end {end}"))
    if rec.year is None:
        return out
    if within_year:
        for path, day in (("planned_start", start), ("planned_end", end)):
            if day.year != rec.year:
                out.append(Breach((path, "year"), f"{path} {day} is outside the form's year {rec.year}"))
    elif start.year > rec.year or end.year < rec.year:
        out.append(
            Breach(
                ("planned_start", "planned_end", "year"),
                f"the project ({start} to {end}) does not run in the form's year {rec.year}",
            )
        )
    return out


def check_record(rec: Record, framework: dict[str, list[str]], rules: Rules | None = None) -> list[Breach]:
    rules = rules or Rules()
    out = check_framework(rec, framework) + check_dates(rec, rules.dates_within_year)
    if rec.form_type == "target_declaration":
        out += check_declaration_funds(rec)
    else:
        out += check_self_evaluation(rec, rules.grades)
    return out
