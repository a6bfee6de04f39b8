"""Random but realistic gold records of both form types.

Everything comes from one random.Random, so a part is the same on every run.
Amounts keep the scale they are printed with; the contract's sums hold
exactly (funds total = its parts; weights 10 + 90 = 100; scores add up; grade
follows the total score), and content.make_record checks every rule before
returning, so no gold record can break one.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from models import Funds, FundsRow, Record
from samples.corpus.indicator_rows import indicator_rows, spread_weights
from samples.corpus.pools import Pools
from samples.corpus.rules import breaches, grade_for

D = Decimal
CENT = D("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _amount(rng: random.Random, unit: str, lo: int = 1, whole: bool = False) -> Decimal:
    """An amount as printed: 万元 to two places; 元 sometimes whole, sometimes in hundreds."""
    if unit == "万元":
        return q2(D(rng.randint(lo * 100, 500000)) / 100)
    value = D(rng.randint(lo * 100, 900000) * rng.choice((1, 10, 100)))
    return value if whole else q2(value)


def _sentences(rng: random.Random, pool: tuple[str, ...], k: int, fill: dict[str, object]) -> str:
    picked = rng.sample(pool, min(k, len(pool)))
    return "".join(s.format(**fill) for s in picked)


def _who(rng: random.Random, pools: Pools, year: int) -> tuple[str, str, str, str]:
    """Department, implementing unit, project name and its topic."""
    region = rng.choice(pools.regions)
    bureau = rng.choice(pools.bureaus)
    provincial = region.endswith(("省", "自治区"))
    department = region + (bureau.province_name if provincial else bureau.city_name)
    unit = department if rng.random() < 0.15 else region + rng.choice(bureau.units)
    topic = rng.choice(bureau.topics)
    prefix = f"{year}年" if rng.random() < 0.1 else ""
    return department, unit, prefix + topic + rng.choice(pools.suffixes), topic


def _text_fill(rng: random.Random, project: str, topic: str, unit: str, year: int) -> dict[str, object]:
    return {
        "project": project,
        "topic": topic,
        "unit": unit,
        "year": year,
        "n": rng.choice((3, 5, 8, 12, 20, 36, 120)),
        "pct": rng.choice((85, 90, 95)),
    }


def _dates(rng: random.Random, year: int) -> tuple[str, str]:
    start = date(year, 1, 1) + timedelta(days=rng.choice((0, 0, 0, rng.randint(0, 180))))
    if rng.random() < 0.5:
        end = date(year, 12, 31)
    else:
        end = start + timedelta(days=rng.randint(30, (date(year, 12, 31) - start).days or 30))
        end = min(end, date(year, 12, 31))
    return start.isoformat(), end.isoformat()


def _declaration(rng: random.Random, part: str, pools: Pools, year: int, n_rows: int) -> Record:
    unit = rng.choice(("元", "元", "万元"))
    whole = unit == "元" and rng.random() < 0.3
    appropriation = _amount(rng, unit, whole=whole)
    zero = D(0) if whole else D("0.00")
    carryover = _amount(rng, unit, whole=whole) if rng.random() < 0.3 else zero
    other = _amount(rng, unit, whole=whole) if rng.random() < 0.2 else zero
    start, end = _dates(rng, year)
    return Record(
        form_type="target_declaration",
        year=year,
        project_nature=rng.choice(pools.natures),
        project_category=rng.choice(pools.categories),
        planned_start=start,
        planned_end=end,
        funds=Funds(
            unit=unit,
            total=appropriation + carryover + other,
            current_year_appropriation=appropriation,
            carryover=carryover,
            other=other,
        ),
        indicators=indicator_rows(rng, part, pools, n_rows, self_eval=False),
    )


def _funds_line(initial: Decimal, annual: Decimal, executed: Decimal) -> FundsRow:
    rate = D("0.00") if annual == 0 else q2(executed / annual * 100)
    return FundsRow(initial_budget=initial, annual_budget=annual, executed=executed, execution_rate=rate)


def _self_funds(rng: random.Random, unit: str, performance: str) -> tuple[Funds, Decimal]:
    low = {"good": 88, "fair": 70, "poor": 30}[performance]
    lines = []
    for share in ("current", "carryover", "other"):
        if share != "current" and rng.random() < 0.75:
            lines.append((D("0.00"), D("0.00"), D("0.00")))
            continue
        initial = _amount(rng, unit)
        annual = initial if rng.random() < 0.7 else q2(initial * D(rng.randint(80, 120)) / 100)
        top = 10000 if rng.random() < 0.95 else 10400
        spent = q2(annual * D(rng.randint(low * 100, top)) / 10000)
        lines.append((initial, annual, spent))
    sums = [sum(col, D("0.00")) for col in zip(*lines)]
    total = _funds_line(*sums)
    total.weight = D("10.00")
    total.score = q2(min(total.execution_rate, D(100)) * total.weight / 100)
    parts = [_funds_line(*line) for line in lines]
    for row in parts[1:]:
        if row.annual_budget == 0 and rng.random() < 0.25:  # printed as '-' throughout
            row.initial_budget = row.annual_budget = row.executed = row.execution_rate = None
    return Funds(
        unit=unit, total=total, current_year_appropriation=parts[0], carryover=parts[1], other=parts[2]
    ), total.score


def _self_evaluation(rng: random.Random, part: str, pools: Pools, year: int, n_rows: int) -> Record:
    performance = rng.choices(("good", "fair", "poor"), (6, 3, 1))[0]
    funds, funds_score = _self_funds(rng, rng.choice(("万元", "万元", "元")), performance)
    rows = indicator_rows(rng, part, pools, n_rows, self_eval=True)
    lose = {"good": 0.12, "fair": 0.35, "poor": 0.7}[performance]
    for row, weight in zip(rows, spread_weights(rng, len(rows))):
        row.weight = weight
        row.score = weight
        if rng.random() < lose:
            row.score = q2(weight * D(rng.choice(("0", "0.5", "0.6", "0.8", "0.9"))))
            row.note = "".join(rng.sample(pools.notes, rng.choice((1, 1, 2, 3))))
    total_score = funds_score + sum(r.score for r in rows)
    return Record(
        form_type="self_evaluation",
        year=year,
        funds=funds,
        indicators=rows,
        total_weight=D("100.00"),
        total_score=total_score,
        grade=grade_for(total_score),
    )


def make_record(rng: random.Random, part: str, pools: Pools, form_type: str, long_text: bool = False) -> Record:
    """One gold record (no source yet); `long_text` makes goal and outcome tall."""
    year = rng.randint(2018, 2026)
    n_rows = rng.randint(6, 20)
    build = _declaration if form_type == "target_declaration" else _self_evaluation
    rec = build(rng, part, pools, year, n_rows)
    department, unit, project, topic = _who(rng, pools, year)
    rec.department, rec.implementing_unit, rec.project_name = department, unit, project
    fill = _text_fill(rng, project, topic, unit, year)
    k = rng.randint(9, 14) if long_text else rng.randint(2, 6)
    rec.goal = _sentences(rng, pools.goal_sentences, k, fill)
    if form_type == "self_evaluation":
        rec.outcome = _sentences(rng, pools.outcome_sentences, min(k, 7), fill)
    problems = breaches(rec)
    if problems:
        raise AssertionError(f"generated gold breaks the contract: {problems}")
    return rec


def make_document(rng: random.Random, part: str, pools: Pools, n_forms: int) -> list[Record]:
    """n_forms records for one file; project names distinct, none inside another."""
    records: list[Record] = []
    while len(records) < n_forms:
        form_type = rng.choice(("target_declaration", "self_evaluation"))
        rec = make_record(rng, part, pools, form_type, long_text=rng.random() < 0.35)
        names = [r.project_name or "" for r in records]
        name = rec.project_name or ""
        if any(name in other or other in name for other in names):
            continue
        if any(name in (r.goal or "") + (r.outcome or "") for r in records):
            continue
        records.append(rec)
    return records
