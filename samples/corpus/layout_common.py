"""What the two form layouts share: the drawn layout options, a row-by-row grid
builder, value formatting, the header-field block and the title.

Options are drawn per form so one file mixes layouts, as a bundle of filings
from different offices would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from models import Record
from samples.corpus.sheet import Align, Cell, Line, Sheet

TITLES = {"target_declaration": "财政项目支出绩效目标申报表", "self_evaluation": "财政项目支出绩效自评表"}
_INLINE_CANDIDATES = ("项目名称", "主管部门", "实施单位", "项目性质", "项目类别")


@dataclass
class LayoutOptions:
    """How one form is laid out; every choice is recorded in the manifest."""

    title_in_grid: bool = False
    inline_fields: list[str] = field(default_factory=list)  # printed as 项目名称：XXX in one cell
    header_pack: str = "seed"  # how header fields share rows: seed | wide | narrow
    funds_style: str = "seed"  # seed | simple | across
    goal_style: str = "seed"  # seed | header | label
    indicator_style: str = "label_column"  # label_column | full_width (declaration)
    repeat_header: bool = False
    merge_levels: bool = True
    split_rows: bool = True  # rows may break across pages (where the printer can)
    thousands: bool = True
    date_style: str = "iso"
    year_style: str = "（{year}年度）"
    lines_above: list[str] = field(default_factory=list)  # unit | money_unit
    lines_below: bool = False
    label_aliases: bool = False
    checkbox_row: bool = False  # 项目属性 新增□ 延续☑ (declaration)
    checkbox_ticked: str = "延续"
    width_jitter: list[float] = field(default_factory=list)


def draw_options(rng: random.Random, form_type: str) -> LayoutOptions:
    self_eval = form_type == "self_evaluation"
    opts = LayoutOptions(
        title_in_grid=rng.random() < 0.3,
        inline_fields=[
            f for f in _INLINE_CANDIDATES if rng.random() < 0.2 and not (self_eval and f in ("项目性质", "项目类别"))
        ],
        header_pack=rng.choice(("seed", "seed", "wide", "narrow")),
        funds_style=rng.choice(("seed", "seed", "simple", "across") if not self_eval else ("seed", "seed", "simple")),
        goal_style=rng.choice(("seed", "seed", "header", "label")),
        indicator_style=rng.choice(("label_column", "full_width")),
        merge_levels=rng.random() < 0.8,
        split_rows=rng.random() < 0.7,
        thousands=rng.random() < 0.6,
        date_style=rng.choice(("iso", "iso", "cn", "cn0", "slash", "dot")),
        year_style=rng.choice(("（{year}年度）",) * 4 + ("({year}年度)", "{year}年度")),
        lines_above=[k for k in ("unit", "money_unit") if rng.random() < 0.3],
        lines_below=rng.random() < 0.3,
        label_aliases=rng.random() < 0.25,
        checkbox_row=not self_eval and rng.random() < 0.2,
        checkbox_ticked=rng.choice(("新增", "延续")),
        width_jitter=[round(rng.uniform(0.8, 1.25), 3) for _ in range(8 if self_eval else 6)],
    )
    opts.repeat_header = rng.random() < 0.6 and (self_eval or opts.indicator_style == "full_width")
    return opts


class Grid:
    """Cells added row by row; `row` is the next free row."""

    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.cells: list[Cell] = []
        self.row = 0

    def add(
        self,
        col: int,
        text: str,
        colspan: int = 1,
        rowspan: int = 1,
        *,
        row: int | None = None,
        align: Align = "center",
        bold: bool = False,
        scale: float = 1.0,
        field: str | None = None,
    ) -> Cell:
        cell = Cell(self.row if row is None else row, col, text, rowspan, colspan, align, bold, scale, field)
        self.cells.append(cell)
        return cell

    def full(self, text: str, **kw) -> Cell:
        """One cell across the whole row, then the next row."""
        cell = self.add(0, text, self.n_cols, **kw)
        self.row += 1
        return cell

    def next(self, rows: int = 1) -> None:
        self.row += rows


def amount(value: Decimal | None, opts: LayoutOptions) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if opts.thousands else str(value)


def print_date(iso: str | None, opts: LayoutOptions) -> str:
    if iso is None:
        return ""
    d = date.fromisoformat(iso)
    return {
        "iso": iso,
        "cn": f"{d.year}年{d.month}月{d.day}日",
        "cn0": f"{d.year}年{d.month:02d}月{d.day:02d}日",
        "slash": f"{d.year}/{d.month}/{d.day}",
        "dot": f"{d.year}.{d.month:02d}.{d.day:02d}",
    }[opts.date_style]


def label(name: str, opts: LayoutOptions) -> str:
    """A header label, or its printed alias (labels.json) when the options say so."""
    aliases = {"主管部门": "主管部门（单位）", "实施单位": "项目实施单位", "计划完成日期": "计划结束日期"}
    return aliases.get(name, name) if opts.label_aliases else name


def header_fields(grid: Grid, pairs: list[list[tuple[str, str, str]]], opts: LayoutOptions) -> None:
    """Rows of (label, value, field) pairs spread over the grid's columns.

    A row of k pairs splits the columns into k equal groups (label then value); a
    pair listed in opts.inline_fields prints as one cell `label：value`.
    """
    for row_pairs in pairs:
        k = len(row_pairs)
        span = grid.n_cols // k
        for i, (lab, value, path) in enumerate(row_pairs):
            start = i * span
            width = span if i < k - 1 else grid.n_cols - start
            if lab in opts.inline_fields:
                grid.add(start, f"{label(lab, opts)}：{value}", width, align="left", field=path)
            else:
                grid.add(start, label(lab, opts))
                grid.add(start + 1, value, width - 1, field=path)
        grid.next()


def title_and_lines(grid: Grid, rec: Record, opts: LayoutOptions, filler: str) -> tuple[list[Line], list[Line]]:
    """Title and year (above the grid or its first rows) and the extra lines.

    The title is always the first thing a form prints (locate.py relies on it),
    so with the title inside the grid the extra lines become grid rows too.
    """
    title = TITLES[rec.form_type]
    year = opts.year_style.format(year=rec.year)
    extra = []
    if "unit" in opts.lines_above:
        extra.append(Line(f"填报单位（盖章）：{rec.implementing_unit}", align="left"))
    if "money_unit" in opts.lines_above:
        extra.append(Line(f"单位：{rec.funds.unit}", align="right"))
    above: list[Line] = []
    if opts.title_in_grid:
        grid.full(title, bold=True, scale=1.5)
        grid.full(year)
        for line in extra:
            grid.full(line.text, align=line.align)
    else:
        above = [Line(title, bold=True, scale=1.6), Line(year, scale=1.05), *extra]
    below = []
    if opts.lines_below:
        below.append(
            Line(
                f"填表人：{filler}    联系电话：0{731 + len(filler)}-8{rec.year % 100:02d}61234"
                f"    单位负责人（签字）：",
                align="left",
            )
        )
    return above, below


def level_cells(
    grid: Grid, rec: Record, first: int, col1: int, col2: int, opts: LayoutOptions, span1: int = 1, span2: int = 1
) -> None:
    """Level-1 and level-2 cells: merged over their runs of rows, or one a row."""
    rows = rec.indicators
    keys = ((col1, span1, lambda r: (r.level1,), "level1"), (col2, span2, lambda r: (r.level1, r.level2), "level2"))
    for col, span, key, name in keys:
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i]) != key(rows[start]) or not opts.merge_levels:
                text = getattr(rows[start], name) or ""
                grid.add(col, text, span, rowspan=i - start, row=first + start, field=f"indicators[{start}].{name}")
                start = i


def finish(
    grid: Grid,
    widths: list[float],
    opts: LayoutOptions,
    above: list[Line],
    below: list[Line],
    header_rows: list[int],
    name: str,
) -> Sheet:
    if opts.width_jitter:
        widths = [w * j for w, j in zip(widths, opts.width_jitter)]
    keep = set() if opts.split_rows else set(range(grid.row))
    sheet = Sheet(
        widths=widths,
        cells=grid.cells,
        above=above,
        below=below,
        header_rows=header_rows if opts.repeat_header else [],
        keep_rows=keep,
        name=name,
    )
    sheet.validate()
    return sheet
