"""Sichuan's 部门预算项目支出绩效自评表(2023年度) (self_evaluation/sichuan-2023).

A report number line above a 10-column grid; 预算执行情况(10分) with 年初预算 |
调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 over 总额 / 其中:财政资金 /
财政专户管理资金 / 单位资金 / 其他资金 (the rate is of 调整后预算数); 项目年度目标 |
年度目标完成情况; indicators with the target over three columns (指标性质 | 指标值 |
度量单位), 完成值, 权重, 得分, 未完成原因分析; 合计; 评价结论, 存在问题, 改进措施.
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

VARIANT = "self_evaluation/sichuan-2023"
TITLE = "部门预算项目支出绩效自评表"
LEVEL1S = ("成本指标", "产出指标", "效益指标", "满意度指标")
LINES = (
    ("total", "总额"),
    ("current_year_appropriation", "其中:财政资金"),
    ("special_account", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
    ("other", "其他资金"),
)
COLUMNS = ("initial_budget", "adjusted_budget", "executed", "execution_rate", "weight", "score", "reason")


def _line(initial: Decimal, adjusted: Decimal, executed: Decimal) -> FundsRow:
    rate = q2(executed / adjusted * 100) if adjusted else Decimal("0.00")
    return FundsRow(initial_budget=initial, adjusted_budget=adjusted, executed=executed, execution_rate=rate)


def _funds(rng: random.Random, pools: VariantPools, short: bool) -> Funds:
    parts = []
    for line, _ in LINES[1:]:
        if line != "current_year_appropriation" and rng.random() < 0.7:
            parts.append((Decimal("0.00"),) * 3)
            continue
        initial = wan(rng, 5, 900)
        adjusted = initial if rng.random() < 0.6 else q2(initial * Decimal(rng.randint(85, 120)) / 100)
        parts.append((initial, adjusted, q2(adjusted * Decimal(rng.randint(75 if short else 93, 100)) / 100)))
    total = _line(*(sum(col, Decimal("0.00")) for col in zip(*parts)))
    total.weight = Decimal(10)
    total.score = q2(min(total.execution_rate, Decimal(100)) * total.weight / 100)
    if total.execution_rate < 100:
        total.reason = rng.choice(pools.reasons)
    rows = {"total": total} | {line: _line(*p) for (line, _), p in zip(LINES[1:], parts)}
    return Funds(unit="万元", **rows)


def _conclusion(score: Decimal, year: int) -> str:
    verdict = "绩效目标完成情况较好" if score >= 90 else "绩效目标基本完成，仍有提升空间"
    return f"该项目{year}年度绩效自评得分{score}分，{verdict}。"


def draw(rng: random.Random, part: str, pools: VariantPools, used: set[str], index: int = 0) -> Form:
    year = rng.choice((2023, 2023, 2022))
    region = rng.choice(pools.sichuan_regions)
    department, unit, project, topic = who(rng, pools, region, provincial=region.endswith("省"))
    short = rng.random() < 0.4
    funds = _funds(rng, pools, short)
    named = draw_names(rng, part, pools, rng.randint(7, 12), LEVEL1S, used)
    rows, measures, blanks = [], [], []
    for (level1, level2, (name, unit_of)), weight in zip(named, split_weight(rng, len(named), 90, least=3)):
        falls_short = short and rng.random() < 0.4
        m = measure(rng, name, unit_of, pools, short=falls_short)
        note = rng.choice(pools.notes) if falls_short else None
        i = len(rows)
        if note is None:
            blanks.append(f"indicators[{i}].note")
        if m.unit is None:
            blanks.append(f"indicators[{i}].unit")
        rows.append(
            indicator(
                level1,
                level2,
                name,
                nature=m.op or "定性",
                target=m.whole(),
                unit=m.unit,
                actual=m.reached,
                weight=Decimal(weight),
                score=shortfall_score(rng, weight) if falls_short else Decimal(weight),
                note=note,
            )
        )
        measures.append(m)
    for line, _ in LINES:
        if getattr(funds, line).reason is None:
            blanks.append(f"funds.{line}.reason")
        if line != "total":
            blanks += [f"funds.{line}.weight", f"funds.{line}.score"]
    total_score = funds.total.score + sum(r.score for r in rows)
    text = fill(rng, project, topic, unit, year)
    k = rng.randint(2, 4)
    rec = Record(
        form_type="self_evaluation",
        year=year,
        project_name=project,
        department=department,
        implementing_unit=unit,
        funds=funds,
        goal=sentences(rng, pools.goal_sentences, k, text),
        outcome=sentences(rng, pools.outcome_sentences, k, text),
        indicators=rows,
        total_weight=Decimal(100),
        total_score=total_score,
        conclusion=_conclusion(total_score, year),
        problems=sentences(rng, pools.problems, rng.randint(1, 2), text),
        measures=sentences(rng, pools.measures, rng.randint(1, 2), text),
    )
    extras = {"number": f"{rng.randint(510000, 513400)}-{rng.randint(1, 999):03d}"}
    return Form(VARIANT, rec, TITLE, blanks=blanks, measures=measures, extras=extras, opts=draw_opts(rng, 10, True))


def _funds_rows(grid: Grid, rec: Record, thousands: bool) -> None:
    grid.add(0, "预算执行情况(10分)", rowspan=len(LINES) + 1)
    grid.add(1, "", 2)
    for i, head in enumerate(("年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因")):
        grid.add(3 + i, head)
    grid.next()
    for line, label in LINES:
        row = getattr(rec.funds, line)
        grid.add(1, label, 2)
        for i, column in enumerate(COLUMNS):
            value = getattr(row, column)
            if column == "reason":
                text = value or ""
            elif column in ("weight", "score"):
                text = money(value, False, none="—")
            else:
                text = money(value, thousands)
            grid.add(3 + i, text, field=f"funds.{line}.{column}", align="left" if column == "reason" else "center")
        grid.next()


def sheet(form: Form, thousands: bool) -> Sheet:
    rec, grid = form.record, Grid(10)
    above = [
        Line(f"{TITLE}({rec.year}年度)", bold=True, scale=1.5),
        Line(f"报表编号：{form.extras['number']}          金额单位：{rec.funds.unit}", align="right"),
    ]
    grid.add(0, "项目名称", 2)
    grid.add(2, rec.project_name or "", 8, field="project_name")
    grid.next()
    grid.add(0, "主管部门", 2)
    grid.add(2, rec.department or "", 3, field="department")
    grid.add(5, "实施单位", 2)
    grid.add(7, rec.implementing_unit or "", 3, field="implementing_unit")
    grid.next()
    _funds_rows(grid, rec, thousands)
    grid.add(0, "年度总体目标", 2, rowspan=2)
    grid.add(2, "项目年度目标", 4)
    grid.add(6, "年度目标完成情况", 4)
    grid.add(2, rec.goal or "", 4, row=grid.row + 1, align="left", field="goal")
    grid.add(6, rec.outcome or "", 4, row=grid.row + 1, align="left", field="outcome")
    grid.next(2)
    header = grid.row
    heads = (
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    )
    for col, text in enumerate(heads):
        grid.add(col, text, bold=True)
    grid.next()
    level_cells(grid, rec, grid.row, 0, 1, form.opts)
    for i, (ind, m) in enumerate(zip(rec.indicators, form.measures)):
        p = f"indicators[{i}]"
        cells = (ind.name_raw, ind.nature, m.value, ind.unit, ind.actual, str(ind.weight), str(ind.score), ind.note)
        keys = ("name_raw", "nature", "target", "unit", "actual", "weight", "score", "note")
        for col, (text, key) in enumerate(zip(cells, keys), 2):
            grid.add(col, text or "", field=f"{p}.{key}", align="left" if key == "note" else "center")
        grid.next()
    grid.add(0, "合计", 7)
    grid.add(7, str(rec.total_weight), field="total_weight")
    grid.add(8, str(rec.total_score), field="total_score")
    grid.add(9, "")
    grid.next()
    for label, text, path in (
        ("评价结论", rec.conclusion, "conclusion"),
        ("存在问题", rec.problems, "problems"),
        ("改进措施", rec.measures, "measures"),
    ):
        grid.add(0, label, 2)
        grid.add(2, text or "", 8, align="left", field=path)
        grid.next()
    widths = [1.0, 1.1, 1.5, 0.8, 0.9, 0.8, 0.9, 0.7, 0.7, 1.5]
    return finish(grid, widths, form.opts, above, [], [header], name=rec.project_name or "")
