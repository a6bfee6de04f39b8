"""Indicator rows of the variant forms: names under the framework, targets in each printing's shape.

A row is drawn once as a measure (comparator, value, unit, the value reached)
and printed the way its variant prints it: whole (`≥95%`) on a declaration or
an Anhui self-evaluation, over three columns (指标性质 `≥` | 指标值 `95` |
度量单位 `%`) on a Sichuan one, where a qualitative row's nature is `定性`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from samples.corpus.pools import canonical, framework
from samples.variants.pools import Named, VariantPools, names_under

# unit -> (comparators, value range)
_SCALES: dict[str, tuple[str, tuple[int, int]]] = {
    "%": ("≥≥=", (85, 98)),
    "天": ("≤", (5, 30)),
    "元": ("≤", (50, 3000)),
    "万元": ("≤", (20, 900)),
    "人次": ("≥", (200, 6000)),
    "公里": ("≥", (5, 300)),
    "亩": ("≥", (100, 8000)),
    "平方米": ("≥", (500, 30000)),
    "吨": ("≥", (5, 400)),
    "年": ("≥", (5, 20)),
}
_COUNT = ("≥=", (3, 300))  # 个 场 台 户 份 次


@dataclass
class Measure:
    """One row's target as drawn: op None for a qualitative target (value is its words)."""

    op: str | None
    value: str
    unit: str | None
    reached: str  # the value reached, as printed in 实际完成值 / 完成值 (no unit)
    reached_words: bool = False  # reached is words (达到预期), not a number

    def whole(self) -> str:
        """The target printed in one cell: ≥95%, =12个, 按期完成."""
        return f"{self.op}{self.value}{self.unit}" if self.op else self.value

    def actual(self) -> str:
        """The value reached printed in one cell, with its unit: 96%, 12个, 达到预期."""
        if self.reached_words or self.unit is None:
            return self.reached
        return f"{self.reached}{self.unit}"


LOWER_BETTER = ("故障", "事故", "投诉", "隐患", "差错", "流失")  # names whose target is a ceiling


def measure(rng: random.Random, name: str, unit: str, pools: VariantPools, short: bool) -> Measure:
    """A target for `name` in `unit` and what was reached; `short`: the row fell short of it."""
    if any(word in name for word in LOWER_BETTER):
        value = rng.randint(0, 5) if unit == "%" else rng.randint(0, 3)
        reached = value + 1 if short else max(0, value - rng.choice((0, 1)))
        return Measure("≤", str(value), unit if unit != "text" else "次", str(reached))
    if unit == "text":
        target = rng.choice(pools.text_targets)
        reached = rng.choice(pools.text_actuals) if short else rng.choice((target, *pools.text_actuals))
        return Measure(None, target, None, reached, reached_words=True)
    ops, (lo, hi) = _SCALES.get(unit, _COUNT)
    op = rng.choice(ops)
    value = 100 if unit == "%" and op == "=" else rng.randint(lo, hi)
    if op == "≤":
        reached = value + max(1, value // 10) if short else value - rng.choice((0, 0, 1)) * max(1, value // 10)
    elif short:
        reached = value - max(1, value // 10)
    else:
        reached = value + rng.choice((0, 0, 0, 1)) * max(1, value // 50)
    if unit == "%":
        reached = min(reached, 100)
    return Measure(op, str(value), unit, str(max(reached, 0)))


def level_plan(
    rng: random.Random, n_rows: int, level1s: tuple[str, ...], room: dict[str, int]
) -> list[tuple[str, str]]:
    """(level1, level2) for each of n_rows rows, in framework order, every level-1 of `level1s` present."""
    frame = framework()
    groups: list[tuple[str, str]] = []
    for level1 in level1s:
        options = [l2 for l2 in frame[level1] if room.get(l2, 0)]
        k = 1 if level1 in ("成本指标", "满意度指标") else rng.randint(2, min(3, len(options)))
        groups += [(level1, l2) for l2 in rng.sample(options, min(k, len(options)))]
    order = list(frame)
    groups.sort(key=lambda g: (order.index(g[0]), frame[g[0]].index(g[1])))
    counts = [1] * len(groups)
    for _ in range(n_rows - len(groups)):
        open_ = [i for i, g in enumerate(groups) if counts[i] < room[g[1]] and g[0] != "满意度指标"]
        if not open_:
            break
        counts[rng.choice(open_)] += 1
    return [g for g, k in zip(groups, counts) for _ in range(k)]


def draw_names(
    rng: random.Random, part: str, pools: VariantPools, n_rows: int, level1s: tuple[str, ...], used: set[str]
) -> list[tuple[str, str, Named]]:
    """(level1, level2, (name, unit)) rows with names distinct from each other and from `used`."""
    room = {l2: len(names_under(l2, part, pools)) for names in framework().values() for l2 in names}
    out = []
    for level1, level2 in level_plan(rng, n_rows, level1s, room):
        left = [nu for nu in names_under(level2, part, pools) if canonical(nu[0]) not in used]
        if not left:
            continue
        named = rng.choice(left)
        used.add(canonical(named[0]))
        out.append((level1, level2, named))
    return out


def split_weight(rng: random.Random, n: int, total: int, least: int = 2) -> list[int]:
    """n whole weights of at least `least` adding up to `total`."""
    weights = [least] * n
    for _ in range(total - least * n):
        weights[rng.randrange(n)] += 1
    return weights


def shortfall_score(rng: random.Random, weight: int) -> Decimal:
    """A score below its weight, as graders print it: whole, or to a half point."""
    lost = rng.choice((Decimal("0.5"), Decimal(1), Decimal(1), Decimal(2)))
    return max(Decimal(0), Decimal(weight) - min(lost, Decimal(weight) / 2))
