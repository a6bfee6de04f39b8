"""Shanghai's 2026 declaration (target_declaration/shanghai-2026).

Title and year are the first two full-width rows of an 8-column grid; the
project's funds (项目资金总额, 其中：财政资金, 其他资金) stand beside the year's
(年度资金申请总额, 其中：当年财政拨款, 上年结转资金, 其他资金); 项目总目标 and
年度总体目标 side by side with their texts below; dates printed 2026/1/1, zero
amounts printed 0. Some filers leave a merged level-1 cell empty (gold null,
flagged by design), and a 阶段性项目 runs past the form's year.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from models import Funds, Record
from samples.corpus.layout_common import Grid, finish, level_cells
from samples.corpus.sheet import Sheet
from samples.variants.common import CENT, Form, draw_opts, fill, indicator, money, q2, sentences, who
from samples.variants.indicators import draw_names, measure
from samples.variants.pools import VariantPools

VARIANT = "target_declaration/shanghai-2026"
TITLE = "财政项目支出绩效目标申报表"
LEVEL1S = ("成本指标", "产出指标", "效益指标", "满意度指标")
_MONTH_ENDS = ((6, 30), (9, 30), (11, 30), (12, 31), (12, 31))


def _dates(rng: random.Random, year: int, multi: bool) -> tuple[date, date]:
    if multi:
        return date(year - rng.choice((0, 1)), rng.choice((1, 3, 7)), 1), date(year + rng.choice((1, 2)), 12, 31)
    month, day = rng.choice(_MONTH_ENDS)
    return date(year, rng.choice((1, 1, 1, 3)), 1), date(year, month, day)


def _yuan(rng: random.Random, lo: int, hi: int) -> Decimal:
    return Decimal(rng.randint(lo, hi) * 1000).quantize(CENT)


def draw(rng: random.Random, part: str, pools: VariantPools, used: set[str], index: int = 0) -> Form:
    year = rng.choice((2026, 2026, 2025))
    district = rng.choice(pools.shanghai_districts)
    department, unit, project, topic = who(rng, pools, f"上海市{district}", provincial=False)
    multi = index % 3 == 0  # every third form a multi-year 阶段性项目, the first of each stream among them
    start, end = _dates(rng, year, multi)
    appropriation = _yuan(rng, 20, 1800)
    carryover = _yuan(rng, 5, 300) if rng.random() < 0.3 else Decimal(0)
    other = _yuan(rng, 5, 200) if rng.random() < 0.25 else Decimal(0)
    total = appropriation + carryover + other
    years = end.year - start.year + 1
    project_total = q2(total * years) if multi else total
    project_other = other * years if multi else other
    text = fill(rng, project, topic, unit, year, end.year)
    rows, measures, blanks = [], [], []
    for i, (level1, level2, (name, unit_of)) in enumerate(
        draw_names(rng, part, pools, rng.randint(6, 12), LEVEL1S, used)
    ):
        m = measure(rng, name, unit_of, pools, short=False)
        note = rng.choice(pools.remarks) if rng.random() < 0.2 else None
        if note is None:
            blanks.append(f"indicators[{i}].note")
        rows.append(indicator(level1, level2, name, target=m.whole(), note=note))
        measures.append(m)
    rec = Record(
        form_type="target_declaration",
        year=year,
        project_name=project,
        department=department,
        implementing_unit=unit,
        project_nature="阶段性项目" if multi else rng.choice(("经常性项目", "一次性项目")),
        project_category=rng.choice(pools.categories),
        planned_start=start.isoformat(),
        planned_end=end.isoformat(),
        funds=Funds(
            unit="元",
            project_total=project_total,
            total=total,
            current_year_appropriation=appropriation,
            carryover=carryover,
            other=other,
        ),
        long_term_goal=sentences(rng, pools.long_term_sentences, rng.randint(1, 3), text),
        goal=sentences(rng, pools.goal_sentences, rng.randint(2, 4), text),
        indicators=rows,
    )
    flags = []
    if index % 2 == 1:  # every other form: a filer left one merged level-1 cell empty
        level1 = rng.choice(sorted({r.level1 for r in rows}))
        for i, r in enumerate(rows):
            if r.level1 == level1:
                r.level1 = None
                flags.append(f"indicators[{i}].level1")
    return Form(
        VARIANT,
        rec,
        TITLE,
        blanks=blanks,
        flags=flags,
        multi_year=multi,
        extras={"project_fiscal": project_total - project_other, "project_other": project_other},
        measures=measures,
        opts=draw_opts(rng, 8, repeat=True),
    )


def _slash(iso: str | None) -> str:
    d = date.fromisoformat(iso) if iso else None
    return f"{d.year}/{d.month}/{d.day}" if d else ""


def _funds(grid: Grid, form: Form, thousands: bool) -> None:
    f, top = form.record.funds, grid.row

    def amount(value: Decimal | None) -> str:
        return money(value, thousands, zero="0")

    grid.add(0, f"项目资金（{f.unit}）", rowspan=4)
    grid.add(1, "项目资金总额", row=top)
    grid.add(2, amount(f.project_total), 2, row=top, field="funds.project_total")
    grid.add(1, "其中：财政资金", rowspan=2, row=top + 1)
    grid.add(2, amount(form.extras["project_fiscal"]), 2, rowspan=2, row=top + 1)
    grid.add(1, "其他资金", row=top + 3)
    grid.add(2, amount(form.extras["project_other"]), 2, row=top + 3)
    annual = (
        ("年度资金申请总额", f.total, "funds.total"),
        ("其中：当年财政拨款", f.current_year_appropriation, "funds.current_year_appropriation"),
        ("上年结转资金", f.carryover, "funds.carryover"),
        ("其他资金", f.other, "funds.other"),
    )
    for i, (label, value, path) in enumerate(annual):
        grid.add(4, label, 2, row=top + i)
        grid.add(6, amount(value), 2, row=top + i, field=path)
    grid.next(4)


def sheet(form: Form, thousands: bool) -> Sheet:
    rec, grid = form.record, Grid(8)
    grid.full(TITLE, bold=True, scale=1.5)
    grid.full(f"（{rec.year}年度）")
    grid.add(0, "项目名称")
    grid.add(1, rec.project_name or "", 7, field="project_name")
    grid.next()
    pairs = (
        (("主管部门", rec.department, "department"), ("实施单位", rec.implementing_unit, "implementing_unit")),
        (("项目性质", rec.project_nature, "project_nature"), ("项目类别", rec.project_category, "project_category")),
        (
            ("计划开始日期", _slash(rec.planned_start), "planned_start"),
            ("计划完成日期", _slash(rec.planned_end), "planned_end"),
        ),
    )
    for (la, va, pa), (lb, vb, pb) in pairs:
        grid.add(0, la)
        grid.add(1, va or "", 3, field=pa)
        grid.add(4, lb)
        grid.add(5, vb or "", 3, field=pb)
        grid.next()
    _funds(grid, form, thousands)
    grid.add(0, "项目绩效目标", rowspan=2)
    grid.add(1, "项目总目标", 3)
    grid.add(4, "年度总体目标", 4)
    grid.add(1, rec.long_term_goal or "", 3, row=grid.row + 1, align="left", field="long_term_goal")
    grid.add(4, rec.goal or "", 4, row=grid.row + 1, align="left", field="goal")
    grid.next(2)
    label_column = not form.opts.repeat_header
    if label_column:
        grid.add(0, "绩效指标", rowspan=len(rec.indicators) + 1)
        cols, spans = (1, 2, 3, 5, 7), (1, 1, 2, 2, 1)
    else:
        grid.full("绩效指标", bold=True)
        cols, spans = (0, 1, 2, 5, 7), (1, 1, 3, 2, 1)
    header = grid.row
    for col, span, text in zip(cols, spans, ("一级指标", "二级指标", "三级指标", "年度指标值", "备注")):
        grid.add(col, text, span, bold=True)
    grid.next()
    level_cells(grid, rec, grid.row, cols[0], cols[1], form.opts, spans[0], spans[1])
    for i, ind in enumerate(rec.indicators):
        grid.add(cols[2], ind.name_raw or "", spans[2], field=f"indicators[{i}].name_raw")
        grid.add(cols[3], ind.target or "", spans[3], field=f"indicators[{i}].target")
        grid.add(cols[4], ind.note or "", spans[4], field=f"indicators[{i}].note")
        grid.next()
    widths = [1.1, 1.3, 1.0, 1.0, 1.1, 0.9, 1.2, 1.0]
    return finish(grid, widths, form.opts, [], [], [header], name=rec.project_name or "")
