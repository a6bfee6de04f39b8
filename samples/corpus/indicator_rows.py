"""Indicator rows: names under the framework, targets and actuals in printed shapes.

Targets follow what filed forms print: an operator, a value and a unit in
brackets (`≥90.00(%)`, `=1.00(次)`, `≤5(个)`), a percentage with a word
(`100%及时`), or free text (`按计划完成`). The unit is guessed from the name, so a
rate gets a percentage and a count gets 次 or 个, as a person filling the form would.
"""

from __future__ import annotations

import random
from decimal import Decimal

from models import Indicator
from samples.corpus.pools import Pools, canonical, framework, vocabulary_names

# (name endings or parts, unit choices, operator choices, value range)
_UNIT_RULES: list[tuple[tuple[str, ...], tuple[str, ...], str, tuple[int, int]]] = [
    (("事故", "投诉", "差错", "故障", "隐患", "不合格"), ("次", "起", "%"), "≤=", (0, 3)),
    (("满意度", "满意率"), ("%",), "≥", (80, 98)),
    (("率", "比例", "盖度"), ("%",), "≥=", (85, 100)),
    (("人次",), ("人次",), "≥", (50, 5000)),
    (("人数",), ("人",), "≥", (20, 3000)),
    (("次数", "场次", "起数"), ("次", "场"), "≥=", (1, 60)),
    (("面积",), ("平方米", "亩", "公顷"), "≥", (100, 20000)),
    (("长度", "里程"), ("公里",), "≥", (5, 400)),
    (
        ("数量", "个数", "批次", "台件数", "宗数", "品种数", "点数", "点位数"),
        ("个", "批次", "台", "套", "宗", "种"),
        "≥=",
        (3, 800),
    ),
    (("时间", "时限", "时长"), ("天", "小时", "个工作日"), "≤", (1, 30)),
    (("年限",), ("年",), "≥", (5, 30)),
    (("成本", "单价", "标准", "上限", "控制数"), ("元", "万元"), "≤", (50, 90000)),
    (("投资", "增收", "损失", "消费", "金额", "资金"), ("万元",), "≥", (10, 5000)),
]
_PERCENT_WORDS = ("及时", "合格", "覆盖", "达标", "完成")  # the first in the name wins
_DONE = ("达成指标", "已完成", "完成", "达到预期", "基本达成", "全部完成")


def _rule_for(name: str):
    for parts, units, ops, span in _UNIT_RULES:
        if any(p in name for p in parts):
            return units, ops, span
    return None


def _number(rng: random.Random, value: int, places: int) -> str:
    return f"{value:.{places}f}" if places else str(value)


def target_and_actual(rng: random.Random, name: str, pools: Pools) -> tuple[str, str]:
    """One row's printed target and (self-evaluation) actual value."""
    rule = _rule_for(name)
    if rule is not None and rule[2] == (0, 3) and rng.random() < 0.4:
        text = rng.choice(("0次", "零事故", "无", "不发生"))
        return text, rng.choice(("0次", "达成指标", text))
    if rule is None or rng.random() < 0.15:
        target = rng.choice(pools.text_targets)
        return target, rng.choice(_DONE + (target,))
    units, ops, (lo, hi) = rule
    unit, op = rng.choice(units), rng.choice(ops)
    value = rng.randint(lo, hi)
    if unit == "%" and rng.random() < 0.25:
        word = next((w for w in _PERCENT_WORDS if w in name), rng.choice(_PERCENT_WORDS[3:]))
        return f"100%{word}", rng.choice(("100%", "达成指标", "100.00(%)"))
    places = rng.choice((0, 2, 2))
    shape = rng.random()
    if shape < 0.6:
        target = f"{op}{_number(rng, value, places)}({unit})"
    elif shape < 0.75:
        target = f"{op}{_number(rng, value, places)}（{unit}）"
    else:
        target = f"{op}{_number(rng, value, places)}{unit}"
    achieved = value + rng.choice((0, 0, 1, 2, -1)) * max(1, value // 20)
    if unit == "%":
        achieved = min(achieved, 100)
    if op == "≤":
        achieved = max(0, value - rng.choice((0, 1)) * max(1, value // 10))
    if rng.random() < 0.15:
        return target, rng.choice(_DONE)
    return target, f"{_number(rng, max(achieved, 0), 2)}({unit})"


def _names_under(level2: str, part: str, pools: Pools) -> list[str]:
    return vocabulary_names(part).get(level2, []) + list(pools.invented.get(level2, ()))


def _variant(rng: random.Random, name: str) -> str:
    """How a vocabulary name may be printed: full- or half-width brackets."""
    if "（" in name and rng.random() < 0.5:
        return name.replace("（", "(").replace("）", ")")
    return name


def _plan(rng: random.Random, n_rows: int, room: dict[str, int]) -> list[tuple[str, str]]:
    """(level1, level2) for each row, grouped in framework order, n_rows long;
    no level-2 gets more rows than it has names (`room`)."""
    frame = framework()
    groups: list[tuple[str, str]] = [("成本指标", rng.choice(frame["成本指标"][:1] * 3 + frame["成本指标"][1:]))]
    for level2 in rng.sample(frame["产出指标"], rng.randint(2, len(frame["产出指标"]))):
        groups.append(("产出指标", level2))
    for level2 in rng.sample(frame["效益指标"], rng.randint(1, len(frame["效益指标"]))):
        groups.append(("效益指标", level2))
    if rng.random() < 0.8:
        groups.append(("满意度指标", "服务对象满意度指标"))
    order = list(frame)
    groups.sort(key=lambda g: (order.index(g[0]), frame[g[0]].index(g[1])))
    while len(groups) > n_rows:
        groups.pop(rng.randrange(1, len(groups)))
    counts = [1] * len(groups)
    for _ in range(n_rows - len(groups)):
        open_ = [i for i, g in enumerate(groups) if counts[i] < room.get(g[1], 0)]
        if not open_:
            break
        counts[rng.choice(open_)] += 1
    return [g for g, k in zip(groups, counts) for _ in range(k)]


def indicator_rows(rng: random.Random, part: str, pools: Pools, n_rows: int, self_eval: bool) -> list[Indicator]:
    """n_rows distinct rows; about half the names come from the vocabulary."""
    rows: list[Indicator] = []
    used: set[str] = set()
    room = {
        level2: len({canonical(n) for n in _names_under(level2, part, pools)})
        for names in framework().values()
        for level2 in names
    }
    for level1, level2 in _plan(rng, n_rows, room):
        vocab = [n for n in vocabulary_names(part).get(level2, []) if canonical(n) not in used]
        invented = [n for n in pools.invented.get(level2, ()) if n not in used]
        if vocab and (not invented or rng.random() < 0.5):
            name = rng.choice(vocab)
        else:
            name = rng.choice(invented)
        used.add(canonical(name))
        raw = _variant(rng, name)
        target, actual = target_and_actual(rng, raw, pools)
        rows.append(
            Indicator(
                level1=level1,
                level2=level2,
                name_raw=raw,
                name=canonical(raw),
                target=target,
                actual=actual if self_eval else None,
            )
        )
    return rows


def spread_weights(rng: random.Random, n: int, total: int = 90) -> list[Decimal]:
    """n whole-number weights of at least 2 that add up to `total`."""
    weights = [2] * n
    favoured = [rng.choice((1, 1, 2, 4)) for _ in range(n)]
    for _ in range(total - 2 * n):
        weights[rng.choices(range(n), favoured)[0]] += 1
    return [Decimal(w).quantize(Decimal("0.01")) for w in weights]
