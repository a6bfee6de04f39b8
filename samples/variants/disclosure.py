"""The negative case: a budget disclosure's 项目支出绩效目标表, one row a project.

Departments publish their projects' targets in one table (项目名称 | 主管部门 |
实施单位 | 资金总额 | 年度绩效目标 | 一级指标 | 二级指标 | 三级指标 | 指标值), each
project's cells spanning its indicator rows. It carries a form's labels and a
title the declaration's definitions know, but it is not a form: the extractor
must refuse it as a multi-project budget table. It has no gold records.
"""

from __future__ import annotations

import random

from models import Funds, Record
from samples.corpus.layout_common import Grid, finish, level_cells
from samples.corpus.sheet import Line, Sheet
from samples.variants.common import Form, draw_opts, fill, indicator, money, sentences, wan, who
from samples.variants.indicators import draw_names, measure
from samples.variants.pools import VariantPools

TITLE = "项目支出绩效目标表"
HEADS = ("项目名称", "主管部门", "实施单位", "资金总额", "年度绩效目标", "一级指标", "二级指标", "三级指标", "指标值")
LEVEL1S = ("产出指标", "效益指标", "满意度指标")


def draw(rng: random.Random, part: str, pools: VariantPools) -> tuple[list[Form], int]:
    """Several projects of one department, and the year of the disclosure."""
    year = rng.choice((2023, 2024, 2025))
    region = rng.choice(pools.sichuan_regions + tuple(f"上海市{d}" for d in pools.shanghai_districts))
    projects, names = [], set()
    while len(projects) < rng.randint(4, 6):
        department, unit, project, topic = who(rng, pools, region, provincial=region.endswith("省"))
        if project in names:
            continue
        names.add(project)
        rows = []
        for level1, level2, (name, unit_of) in draw_names(rng, part, pools, rng.randint(3, 5), LEVEL1S, set()):
            rows.append(indicator(level1, level2, name, target=measure(rng, name, unit_of, pools, short=False).whole()))
        rec = Record(
            form_type="target_declaration",
            year=year,
            project_name=project,
            department=department,
            implementing_unit=unit,
            funds=Funds(unit="万元", total=wan(rng, 10, 900)),
            goal=sentences(rng, pools.goal_sentences, rng.randint(1, 2), fill(rng, project, topic, unit, year)),
            indicators=rows,
        )
        projects.append(Form("disclosure", rec, TITLE, opts=draw_opts(rng, len(HEADS), repeat=True)))
    return projects, year


def sheet(projects: list[Form], year: int) -> Sheet:
    grid = Grid(len(HEADS))
    above = [Line(TITLE, bold=True, scale=1.6), Line(f"（{year}年度）"), Line("单位：万元", align="right")]
    for col, text in enumerate(HEADS):
        grid.add(col, text, bold=True)
    grid.next()
    for form in projects:
        rec, n = form.record, len(form.record.indicators)
        values = (rec.project_name, rec.department, rec.implementing_unit, money(rec.funds.total, False), rec.goal)
        for col, text in enumerate(values):
            grid.add(col, text or "", rowspan=n, align="left" if col == 4 else "center")
        level_cells(grid, rec, grid.row, 5, 6, form.opts)
        for ind in rec.indicators:
            grid.add(7, ind.name_raw or "")
            grid.add(8, ind.target or "")
            grid.next()
    widths = [1.4, 1.2, 1.2, 0.8, 2.2, 0.9, 1.0, 1.3, 1.0]
    return finish(grid, widths, projects[0].opts, above, [], [0], name="budget disclosure")
