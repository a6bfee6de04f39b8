"""Sheets for the two form types, built from a gold Record and layout options.

The declaration uses six columns and the self-evaluation eight, as the seed
forms do; every block (header fields, funds, goal, indicators, totals) has a few
variants seen on forms from different offices, chosen by LayoutOptions.
"""

from __future__ import annotations

from models import FundsRow, Record
from samples.corpus.layout_common import (
    Grid,
    LayoutOptions,
    amount,
    finish,
    header_fields,
    level_cells,
    print_date,
    title_and_lines,
)
from samples.corpus.sheet import Sheet

_TARGET_LABELS = ("年度(/项目)指标值", "年度指标值", "年度（/项目）指标值")
_FUNDS_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分")


def _declaration_header(grid: Grid, rec: Record, opts: LayoutOptions) -> None:
    name = ("项目名称", rec.project_name or "", "project_name")
    nature = ("项目性质", rec.project_nature or "", "project_nature")
    category = ("项目类别", rec.project_category or "", "project_category")
    dept = ("主管部门", rec.department or "", "department")
    unit = ("实施单位", rec.implementing_unit or "", "implementing_unit")
    start = ("计划开始日期", print_date(rec.planned_start, opts), "planned_start")
    end = ("计划完成日期", print_date(rec.planned_end, opts), "planned_end")
    packs = {
        "seed": [[name, nature, category], [dept, unit], [start, end]],
        "wide": [[name], [dept, unit], [nature, category], [start, end]],
        "narrow": [[name], [dept], [unit], [nature, category], [start, end]],
    }
    header_fields(grid, packs[opts.header_pack], opts)
    if opts.checkbox_row:
        grid.add(0, "项目属性")
        boxes = "    ".join(f"{o}{'☑' if o == opts.checkbox_ticked else '□'}" for o in ("新增", "延续"))
        grid.add(1, boxes, 5, align="left", field="project_attribute")
        grid.next()


def _declaration_funds(grid: Grid, rec: Record, opts: LayoutOptions) -> None:
    f = rec.funds
    values = [
        (f.total, "funds.total"),
        (f.current_year_appropriation, "funds.current_year_appropriation"),
        (f.carryover, "funds.carryover"),
        (f.other, "funds.other"),
    ]
    head = f"项目资金（{f.unit}）"
    top = grid.row
    if opts.funds_style == "across":
        grid.add(0, head, rowspan=2)
        for col, (text, span) in zip(
            (1, 2, 3, 4), (("年度资金总额", 1), ("当年财政拨款", 1), ("上年结转资金", 1), ("其他资金", 2))
        ):
            grid.add(col, text, span)
            grid.add(col, amount(values[col - 1][0], opts), span, row=top + 1, field=values[col - 1][1])
        grid.next(2)
        return
    grid.add(0, head, rowspan=4)
    if opts.funds_style == "seed":
        grid.add(1, "项目资金总额", row=top)
        grid.add(1, "其中：财政资金", rowspan=2, row=top + 1)
        grid.add(1, "其他资金", row=top + 3)
        labels = ("年度资金申请总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
        for i, (text, (value, path)) in enumerate(zip(labels, values)):
            grid.add(2, text, 2, row=top + i)
            grid.add(4, amount(value, opts), 2, row=top + i, field=path)
    else:
        labels = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
        for i, (text, (value, path)) in enumerate(zip(labels, values)):
            grid.add(1, text, 3, row=top + i)
            grid.add(4, amount(value, opts), 2, row=top + i, field=path)
    grid.next(4)


def _declaration_goal(grid: Grid, rec: Record, opts: LayoutOptions) -> None:
    goal = rec.goal or ""
    if opts.goal_style == "seed":
        grid.add(0, "项目绩效目标", rowspan=2)
        grid.add(1, "项目总目标", rowspan=2)
        grid.add(2, "年度总体目标", 4)
        grid.add(2, goal, 4, row=grid.row + 1, align="left", field="goal")
        grid.next(2)
    elif opts.goal_style == "header":
        grid.full("年度总体目标", bold=True)
        grid.full(goal, align="left", field="goal")
    else:
        grid.add(0, "年度绩效目标")
        grid.add(1, goal, 5, align="left", field="goal")
        grid.next()


def declaration_sheet(rec: Record, opts: LayoutOptions, filler: str = "") -> Sheet:
    grid = Grid(6)
    above, below = title_and_lines(grid, rec, opts, filler)
    _declaration_header(grid, rec, opts)
    _declaration_funds(grid, rec, opts)
    _declaration_goal(grid, rec, opts)
    target_label = _TARGET_LABELS[len(rec.project_name or "") % len(_TARGET_LABELS)]
    n = len(rec.indicators)
    if opts.indicator_style == "label_column":
        grid.add(0, "绩效指标", rowspan=n + 1)
        cols = (1, 2, 3, 4)
        spans = (1, 1, 1, 2)
    else:
        grid.full("绩效指标", bold=True)
        cols, spans = (0, 1, 2, 4), (1, 1, 2, 2)
    header = grid.row
    for col, span, text in zip(cols, spans, ("一级指标", "二级指标", "三级指标", target_label)):
        grid.add(col, text, span, bold=True)
    grid.next()
    level_cells(grid, rec, grid.row, cols[0], cols[1], opts, spans[0], spans[1])
    for i, ind in enumerate(rec.indicators):
        grid.add(cols[2], ind.name_raw or "", spans[2], field=f"indicators[{i}].name_raw")
        grid.add(cols[3], ind.target or "", spans[3], field=f"indicators[{i}].target")
        grid.next()
    repeat = [header] if opts.indicator_style == "full_width" else []
    return finish(grid, [1.0, 1.5, 1.6, 1.6, 1.3, 1.5], opts, above, below, repeat, name=rec.project_name or "")


def _funds_line(
    grid: Grid, first_col: int, text: str, row: FundsRow | None, path: str, opts: LayoutOptions, span: int
) -> None:
    grid.add(first_col, text, span)
    row = row or FundsRow()
    values = (row.initial_budget, row.annual_budget, row.executed, row.weight, row.execution_rate, row.score)
    keys = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")
    for i, (value, key) in enumerate(zip(values, keys)):
        grid.add(2 + i, amount(value, opts), field=f"{path}.{key}")
    grid.next()


def _self_funds(grid: Grid, rec: Record, opts: LayoutOptions) -> None:
    f = rec.funds
    head = f"项目资金（{f.unit}）"
    heads = list(_FUNDS_HEADS)
    if opts.label_aliases:
        heads[3], heads[4] = "分值", "执行率"
    lines = (
        ("年度资金总额", f.total, "funds.total"),
        ("其中：当年财政拨款", f.current_year_appropriation, "funds.current_year_appropriation"),
        ("上年结转资金", f.carryover, "funds.carryover"),
        ("其他资金", f.other, "funds.other"),
    )
    if opts.funds_style == "seed":
        grid.add(0, head, rowspan=5)
        grid.add(1, "")
        first, span = 1, 1
    else:
        grid.add(0, head, 2)
        first, span = 0, 2
    for i, text in enumerate(heads):
        grid.add(2 + i, text)
    grid.next()
    for text, row, path in lines:
        _funds_line(grid, first, text, row if isinstance(row, FundsRow) else None, path, opts, span)


def _self_goal(grid: Grid, rec: Record, opts: LayoutOptions) -> None:
    goal, outcome = rec.goal or "", rec.outcome or ""
    if opts.goal_style == "seed":
        grid.add(0, "年度总体目标", rowspan=2)
        grid.add(1, "预期目标", 4)
        grid.add(5, "实际完成情况", 3)
        grid.add(1, goal, 4, row=grid.row + 1, align="left", field="goal")
        grid.add(5, outcome, 3, row=grid.row + 1, align="left", field="outcome")
        grid.next(2)
    elif opts.goal_style == "header":
        for head, text, path in (("预期目标", goal, "goal"), ("实际完成情况", outcome, "outcome")):
            grid.full(head, bold=True)
            grid.full(text, align="left", field=path)
    else:
        for head, text, path in (("预期目标", goal, "goal"), ("实际完成情况", outcome, "outcome")):
            grid.add(0, head)
            grid.add(1, text, 7, align="left", field=path)
            grid.next()


def self_evaluation_sheet(rec: Record, opts: LayoutOptions, filler: str = "") -> Sheet:
    grid = Grid(8)
    above, below = title_and_lines(grid, rec, opts, filler)
    header_fields(
        grid,
        [
            [("项目名称", rec.project_name or "", "project_name")],
            [
                ("主管部门", rec.department or "", "department"),
                ("实施单位", rec.implementing_unit or "", "implementing_unit"),
            ],
        ],
        opts,
    )
    _self_funds(grid, rec, opts)
    _self_goal(grid, rec, opts)
    header = grid.row
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    for col, text in enumerate(heads):
        grid.add(col, text, bold=True)
    grid.next()
    level_cells(grid, rec, grid.row, 0, 1, opts)
    for i, ind in enumerate(rec.indicators):
        p = f"indicators[{i}]"
        grid.add(2, ind.name_raw or "", field=f"{p}.name_raw")
        grid.add(3, ind.target or "", field=f"{p}.target")
        grid.add(4, ind.actual or "", field=f"{p}.actual")
        grid.add(5, amount(ind.weight, opts), field=f"{p}.weight")
        grid.add(6, amount(ind.score, opts), field=f"{p}.score")
        grid.add(7, ind.note or "", align="left", field=f"{p}.note")
        grid.next()
    total_label = "合计" if opts.label_aliases else "总分"
    grid.add(0, total_label, 5)
    grid.add(5, amount(rec.total_weight, opts), field="total_weight")
    grid.add(6, amount(rec.total_score, opts), field="total_score")
    grid.add(7, "")
    grid.next()
    grid.add(0, "自评等级" if opts.label_aliases else "评分等级", 5)
    grid.add(5, rec.grade or "", 3, field="grade")
    grid.next()
    return finish(
        grid, [1.0, 1.0, 1.6, 1.3, 1.1, 0.75, 0.75, 1.9], opts, above, below, [header], name=rec.project_name or ""
    )


def build_sheet(rec: Record, opts: LayoutOptions, filler: str = "") -> Sheet:
    build = declaration_sheet if rec.form_type == "target_declaration" else self_evaluation_sheet
    return build(rec, opts, filler)
