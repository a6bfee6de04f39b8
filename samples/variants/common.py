"""What the variant printings share: a planned form, its content draws, and value printing.

Each variant module (shanghai, anhui, sichuan, hunan) draws a gold Record with
`draw(rng, part, pools, used, index)` (index: the form's number in its stream, for
cases every part must hold) and prints it as a Sheet with `sheet(form, thousands)`.
A Form also says what the checks need beyond the gold: which fields the form
prints blank (null, and not to be flagged), which it prints empty where a value
is due (flagged by design), and whether its project runs over several years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from models import Indicator, Record
from samples.corpus.layout_common import LayoutOptions
from samples.corpus.pools import Bureau, canonical
from samples.variants.indicators import Measure
from samples.variants.pools import VariantPools

CENT = Decimal("0.01")


@dataclass
class Form:
    variant: str  # the definition id the extractor must name
    record: Record  # gold, without its source
    title: str  # the printed title (locates the form in the PDF)
    blanks: list[str] = field(default_factory=list)  # printed blank: gold null, never flagged
    flags: list[str] = field(default_factory=list)  # printed empty where a value is due: flagged
    multi_year: bool = False  # planned dates run past the form's year
    extras: dict = field(default_factory=dict)  # printed but not in the contract (project funds split)
    measures: list[Measure] = field(default_factory=list)  # per indicator row, as drawn
    opts: LayoutOptions = field(default_factory=LayoutOptions)  # width jitter, repeats, row splitting

    def describe(self) -> dict:
        return {
            "variant": self.variant,
            "title": self.title,
            "project_name": self.record.project_name,
            "blanks": self.blanks,
            "flags": self.flags,
            "multi_year": self.multi_year,
            "indicators": len(self.record.indicators),
        }


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def wan(rng: random.Random, lo: float = 5, hi: float = 900) -> Decimal:
    """An amount in 万元, to two places."""
    return q2(Decimal(rng.randint(int(lo * 100), int(hi * 100))) / 100)


def who(rng: random.Random, pools: VariantPools, region: str, provincial: bool) -> tuple[str, str, str, str]:
    """Department, implementing unit, project name and topic, for a region."""
    bureau: Bureau = rng.choice(pools.bureaus)
    department = region + (bureau.province_name if provincial else bureau.city_name)
    unit = department if rng.random() < 0.15 else region + rng.choice(bureau.units)
    topic = rng.choice(bureau.topics)
    return department, unit, topic + rng.choice(pools.suffixes), topic


def sentences(rng: random.Random, pool: tuple[str, ...], k: int, fill: dict) -> str:
    return "".join(s.format(**fill) for s in rng.sample(pool, min(k, len(pool))))


def fill(rng: random.Random, project: str, topic: str, unit: str, year: int, end: int | None = None) -> dict:
    return {
        "project": project,
        "topic": topic,
        "unit": unit,
        "year": year,
        "end": end or year + 2,
        "n": rng.choice((2, 3, 5, 8, 12, 30)),
        "pct": rng.choice((85, 90, 95)),
    }


def indicator(level1: str | None, level2: str, name: str, **values) -> Indicator:
    return Indicator(level1=level1, level2=level2, name_raw=name, name=canonical(name), **values)


def money(value: Decimal | None, thousands: bool, zero: str = "0.00", none: str = "") -> str:
    """An amount as printed: `zero` for a zero, `none` for a null, else with or without separators."""
    if value is None:
        return none
    if value == 0:
        return zero
    return f"{value:,}" if thousands else str(value)


def draw_opts(rng: random.Random, n_cols: int, repeat: bool) -> LayoutOptions:
    """Width jitter, whether rows may split across pages, whether the indicator header repeats."""
    return LayoutOptions(
        split_rows=rng.random() < 0.7,
        repeat_header=repeat and rng.random() < 0.6,
        width_jitter=[round(rng.uniform(0.85, 1.2), 3) for _ in range(n_cols)],
    )
