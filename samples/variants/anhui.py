"""Anhui's 2022 self-evaluation (self_evaluation/anhui-2022).

项目资金(万元) with 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 over
年度资金总额: / 其中:本年财政拨款 / 上年结转资金 / 其他资金; 预期目标 | 实际完成情况;
level-1 cells printed with their weight (产出指标(50分)); whole weights (10, not
10.00); every zero left blank (gold null, not flagged); the department printed
after its numeric code (101001 安徽省某某厅).
"""

from __future__ import annotations

import random
from decimal import Decimal

from models import Funds, FundsRow, Record
from samples.corpus.layout_common import Grid, finish, level_cells
from samples.corpus.sheet import Line, Sheet
from samples.variants.common import Form, draw_opts, fill, indicator, money, q2, sentences, wan, who
from samples.variants.indicators import draw_names, measure, shortfall_score, split_weight
from samples.variants.pools import VariantPools
from samples.variants.rules import grade_for

VARIANT = "self_evaluation/anhui-2022"
TITLE = "项目支出绩效自评表"
# level-1 weights (the funds line carries the other 10)
SPLITS = ({"产出指标": 50, "效益指标": 30, "满意度指标": 10}, {"产出指标": 40, "效益指标": 40, "满意度指标": 10})
LINES = ("total", "current_year_appropriation", "carryover", "other")
COLUMNS = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")


def _line(initial: Decimal, annual: Decimal, executed: Decimal) -> FundsRow:
    rate = q2(executed / annual * 100) if annual else Decimal(0)
    return FundsRow(initial_budget=initial, annual_budget=annual, executed=executed, execution_rate=rate)


def _funds(rng: random.Random, short: bool) -> tuple[Funds, list[str]]:
    parts = []
    for share in ("current", "carryover", "other"):
        if share != "current" and rng.random() < 0.7:
            parts.append((Decimal(0), Decimal(0), Decimal(0)))
            continue
        initial = wan(rng, 10, 800) if share != "carryover" else Decimal(0)
        annual = initial or wan(rng, 5, 200)
        if rng.random() < 0.3:
            annual = q2(annual * Decimal(rng.randint(90, 115)) / 100)
        spent = q2(annual * Decimal(rng.randint(70 if short else 92, 100)) / 100)
        parts.append((initial, annual, spent))
    total = _line(*(sum(col, Decimal(0)) for col in zip(*parts)))
    total.weight = Decimal(10)
    total.score = q2(min(total.execution_rate, Decimal(100)) * total.weight / 100)
    rows = {"total": total} | {line: _line(*p) for line, p in zip(LINES[1:], parts)}
    blanks = []
    for line, row in rows.items():
        for column in COLUMNS:
            if getattr(row, column) == 0 or (line != "total" and column in ("weight", "score")):
                setattr(row, column, None)  # printed blank
                blanks.append(f"funds.{line}.{column}")
    return Funds(unit="万元", **rows), blanks


def draw(rng: random.Random, part: str, pools: VariantPools, used: set[str], index: int = 0) -> Form:
    year = rng.choice((2022, 2022, 2021, 2023))
    department, unit, project, topic = who(rng, pools, "安徽省", provincial=True)
    code = f"{rng.randint(101, 399)}{rng.randint(1, 30):03d}"
    short = rng.random() < 0.4
    funds, blanks = _funds(rng, short)
    split = rng.choice(SPLITS)
    named = draw_names(rng, part, pools, rng.randint(7, 13), tuple(split), used)
    rows, measures = [], []
    for level1 in split:
        mine = [n for n in named if n[0] == level1]
        for (_, level2, (name, unit_of)), weight in zip(mine, split_weight(rng, len(mine), split[level1])):
            falls_short = short and rng.random() < 0.4
            m = measure(rng, name, unit_of, pools, short=falls_short)
            score = shortfall_score(rng, weight) if falls_short else Decimal(weight)
            note = rng.choice(pools.notes) if falls_short else None
            if note is None:
                blanks.append(f"indicators[{len(rows)}].note")
            rows.append(
                indicator(
                    level1,
                    level2,
                    name,
                    target=m.whole(),
                    actual=m.actual(),
                    weight=Decimal(weight),
                    score=score,
                    note=note,
                    level1_weight=Decimal(split[level1]),
                )
            )
            measures.append(m)
    total_score = funds.total.score + sum(r.score for r in rows)
    text = fill(rng, project, topic, unit, year)
    k = rng.randint(2, 4)
    rec = Record(
        form_type="self_evaluation",
        year=year,
        project_name=project,
        department=f"{code} {department}",
        implementing_unit=unit,
        funds=funds,
        goal=sentences(rng, pools.goal_sentences, k, text),
        outcome=sentences(rng, pools.outcome_sentences, k, text),
        indicators=rows,
        total_weight=Decimal(100),
        total_score=total_score,
        grade=grade_for(total_score),
    )
    return Form(VARIANT, rec, TITLE, blanks=blanks, measures=measures, opts=draw_opts(rng, 8, repeat=True))


def _number(value: Decimal | None, thousands: bool) -> str:
    return money(value, thousands, zero="", none="")


def sheet(form: Form, thousands: bool) -> Sheet:
    rec, grid = form.record, Grid(8)
    above = [Line(TITLE, bold=True, scale=1.6), Line(f"（{rec.year}年度）", scale=1.05)]
    grid.add(0, "项目名称")
    grid.add(1, rec.project_name or "", 7, field="project_name")
    grid.next()
    grid.add(0, "主管部门")
    grid.add(1, rec.department or "", 3, field="department")
    grid.add(4, "实施单位")
    grid.add(5, rec.implementing_unit or "", 3, field="implementing_unit")
    grid.next()
    grid.add(0, f"项目资金({rec.funds.unit})", rowspan=5)
    grid.add(1, "")
    for i, head in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        grid.add(2 + i, head)
    grid.next()
    labels = ("年度资金总额:", "其中:本年财政拨款", "上年结转资金", "其他资金")
    for line, label in zip(LINES, labels):
        row = getattr(rec.funds, line)
        grid.add(1, label)
        for i, column in enumerate(COLUMNS):
            grid.add(2 + i, _number(getattr(row, column), thousands), field=f"funds.{line}.{column}")
        grid.next()
    grid.add(0, "年度总体目标", rowspan=2)
    grid.add(1, "预期目标", 4)
    grid.add(5, "实际完成情况", 3)
    grid.add(1, rec.goal or "", 4, row=grid.row + 1, align="left", field="goal")
    grid.add(5, rec.outcome or "", 3, row=grid.row + 1, align="left", field="outcome")
    grid.next(2)
    header = grid.row
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    for col, text in enumerate(heads):
        grid.add(col, text, bold=True)
    grid.next()
    printed = rec.model_copy(deep=True)
    for ind in printed.indicators:
        ind.level1 = f"{ind.level1}({ind.level1_weight}分)"
    level_cells(grid, printed, grid.row, 0, 1, form.opts)
    for i, ind in enumerate(rec.indicators):
        p = f"indicators[{i}]"
        for col, (value, key) in enumerate(
            ((ind.name_raw, "name_raw"), (ind.target, "target"), (ind.actual, "actual")), 2
        ):
            grid.add(col, value or "", field=f"{p}.{key}")
        grid.add(5, _number(ind.weight, False), field=f"{p}.weight")
        grid.add(6, _number(ind.score, False), field=f"{p}.score")
        grid.add(7, ind.note or "", align="left", field=f"{p}.note")
        grid.next()
    grid.add(0, "总分", 5)
    grid.add(5, _number(rec.total_weight, False), field="total_weight")
    grid.add(6, _number(rec.total_score, False), field="total_score")
    grid.add(7, "")
    grid.next()
    grid.add(0, "评分等级", 5)
    grid.add(5, rec.grade or "", 3, field="grade")
    grid.next()
    widths = [1.1, 1.2, 1.6, 1.2, 1.1, 0.7, 0.7, 1.8]
    return finish(grid, widths, form.opts, above, [], [header], name=rec.project_name or "")
