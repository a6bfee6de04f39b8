"""Hunan's 项目绩效目标表 and Shaanxi's 某县财政支出项目绩效目标申报表 (target_declaration/hunan-2021).

填报单位(盖章):XXX on a line above the grid; 项目属性 as check boxes (新增□ 延续☑);
the year's funds on one row (年度资金总额, 其中：财政拨款, 其他资金; no 上年结转资金);
长期目标 | 年度目标 with their texts below; two indicator tables, 长期绩效指标 and
年度绩效指标, with 一级指标 | 二级指标 | 指标内容 | 指标值 | 备注 and no 三级指标.
The block label either spans its table's rows on the left or heads it as a
full-width row (then the table's header may repeat after a page break).
"""

from __future__ import annotations

import random
from decimal import Decimal

from models import Funds, Record
from samples.corpus.layout_common import Grid, finish, level_cells
from samples.corpus.sheet import Line, Sheet
from samples.variants.common import Form, draw_opts, fill, indicator, money, sentences, wan, who
from samples.variants.indicators import draw_names, measure
from samples.variants.pools import VariantPools

VARIANT = "target_declaration/hunan-2021"
LEVEL1S = ("成本指标", "产出指标", "效益指标", "满意度指标")
TABLES = (("long_term", "长期绩效指标"), ("annual", "年度绩效指标"))


def draw(rng: random.Random, part: str, pools: VariantPools, used: set[str], index: int = 0) -> Form:
    shaanxi = rng.random() < 0.4
    county = rng.choice(pools.shaanxi_counties if shaanxi else pools.hunan_counties)
    title = f"{county}财政支出项目绩效目标申报表" if shaanxi else "项目绩效目标表"
    year = rng.choice((2021, 2021, 2022) if shaanxi else (2020, 2021, 2021))
    department, unit, project, topic = who(rng, pools, county, provincial=False)
    appropriation = wan(rng, 5, 600)
    other = wan(rng, 1, 80) if rng.random() < 0.3 else Decimal("0.00")
    text = fill(rng, project, topic, unit, year, year + 2)
    rows, blanks = [], []
    for table, _ in TABLES:
        n = rng.randint(3, 6) if table == "long_term" else rng.randint(5, 9)
        for level1, level2, (name, unit_of) in draw_names(rng, part, pools, n, LEVEL1S, used):
            note = rng.choice(pools.remarks) if rng.random() < 0.15 else None
            if note is None:
                blanks.append(f"indicators[{len(rows)}].note")
            m = measure(rng, name, unit_of, pools, short=False)
            rows.append(indicator(level1, level2, name, target=m.whole(), note=note, table=table))
    rec = Record(
        form_type="target_declaration",
        year=year,
        project_name=project,
        department=department,
        implementing_unit=unit,
        reporting_unit=rng.choice((unit, department)),
        project_attribute=rng.choice(("新增", "延续", "延续")),
        funds=Funds(unit="万元", total=appropriation + other, current_year_appropriation=appropriation, other=other),
        long_term_goal=sentences(rng, pools.long_term_sentences, rng.randint(1, 3), text),
        goal=sentences(rng, pools.goal_sentences, rng.randint(2, 4), text),
        indicators=rows,
    )
    opts = draw_opts(rng, 7, repeat=True)
    return Form(VARIANT, rec, title, blanks=blanks, opts=opts, extras={"colon": rng.choice(("：", ":"))})


def _boxes(ticked: str | None) -> str:
    return "  ".join(f"{o}{'☑' if o == ticked else '□'}" for o in ("新增", "延续"))


def _table(grid: Grid, form: Form, table: str, label: str, first: int) -> int | None:
    """One indicator table; returns its header row when it may repeat, else None."""
    rec = form.record
    rows = [r for r in rec.indicators if r.table == table]
    banded = form.opts.repeat_header
    if banded:
        grid.full(label, bold=True)
        cols, spans = (0, 1, 2, 5, 6), (1, 1, 3, 1, 1)
    else:
        grid.add(0, label, rowspan=len(rows) + 1)
        cols, spans = (1, 2, 3, 5, 6), (1, 1, 2, 1, 1)
    header = grid.row
    for col, span, text in zip(cols, spans, ("一级指标", "二级指标", "指标内容", "指标值", "备注")):
        grid.add(col, text, span, bold=True)
    grid.next()
    part = rec.model_copy(update={"indicators": rows})
    level_cells(grid, part, grid.row, cols[0], cols[1], form.opts, spans[0], spans[1])
    for i, ind in enumerate(rows, first):
        grid.add(cols[2], ind.name_raw or "", spans[2], field=f"indicators[{i}].name_raw")
        grid.add(cols[3], ind.target or "", spans[3], field=f"indicators[{i}].target")
        grid.add(cols[4], ind.note or "", spans[4], field=f"indicators[{i}].note")
        grid.next()
    return header if banded else None


def sheet(form: Form, thousands: bool) -> Sheet:
    rec, grid = form.record, Grid(7)
    colon = form.extras["colon"]
    stamp = "（盖章）" if colon == "：" else "(盖章)"
    above = [
        Line(form.title, bold=True, scale=1.6),
        Line(f"（{rec.year}年度）", scale=1.05),
        Line(f"填报单位{stamp}{colon}{rec.reporting_unit}", align="left"),
    ]
    grid.add(0, "项目名称")
    grid.add(1, rec.project_name or "", 6, field="project_name")
    grid.next()
    grid.add(0, "主管部门")
    grid.add(1, rec.department or "", 2, field="department")
    grid.add(3, "实施单位")
    grid.add(4, rec.implementing_unit or "", 3, field="implementing_unit")
    grid.next()
    grid.add(0, "项目属性")
    grid.add(1, _boxes(rec.project_attribute), 2, field="project_attribute")
    grid.add(3, "项目期")
    grid.add(4, "三年" if "long_term" in {r.table for r in rec.indicators} else "一年", 3)
    grid.next()
    f = rec.funds
    grid.add(0, f"项目资金（{f.unit}）")
    values = (
        ("年度资金总额", f.total, "funds.total"),
        ("其中：财政拨款", f.current_year_appropriation, "funds.current_year_appropriation"),
        ("其他资金", f.other, "funds.other"),
    )
    for k, (label, value, path) in enumerate(values):
        grid.add(1 + 2 * k, label)
        grid.add(2 + 2 * k, money(value, thousands), field=path)
    grid.next()
    grid.add(0, "总体目标", rowspan=2)
    grid.add(1, "长期目标", 3)
    grid.add(4, "年度目标", 3)
    grid.add(1, rec.long_term_goal or "", 3, row=grid.row + 1, align="left", field="long_term_goal")
    grid.add(4, rec.goal or "", 3, row=grid.row + 1, align="left", field="goal")
    grid.next(2)
    headers, first = [], 0
    for table, label in TABLES:
        header = _table(grid, form, table, label, first)
        first += sum(r.table == table for r in rec.indicators)
        if header is not None:
            headers.append(header)
    widths = [1.1, 1.1, 1.2, 0.9, 1.0, 1.2, 1.0]
    return finish(grid, widths, form.opts, above, [], headers, name=rec.project_name or "")
