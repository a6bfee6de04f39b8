"""The contract's rules (docs/records.md, "Rules a valid record obeys" and 1.2) for variant gold.

Written from the contract's text, not imported from extract/: the gold is checked against the
contract, not against the code it tests. What the variants share with the corpus forms (funds
rows, the totals' sums, grades) is samples/corpus/rules.py's; what only variants print is here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models import FundsRow, Record
from samples.corpus.pools import canonical, framework
from samples.corpus.rules import DEFAULT_SCALE, Scale, funds_row_breaches, grade_for, sum_breaches

LINES = ("total", "current_year_appropriation", "carryover", "other", "special_account", "unit_funds")


def _self_evaluation(rec: Record, scale: Scale) -> list[str]:
    out: list[str] = []
    for line in LINES:
        row = getattr(rec.funds, line)
        if isinstance(row, FundsRow):
            out += funds_row_breaches(f"funds.{line}", row)
    sums, whole = sum_breaches(rec)
    out += sums
    if not whole:
        return out
    rows = rec.indicators
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
