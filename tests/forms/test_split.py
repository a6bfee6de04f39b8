"""Splitting a document into forms by printed title, with the year line and tables."""

from __future__ import annotations

from extract.forms.split import split_forms
from tests.builders import layout, line, table


def split(pages, library):
    return split_forms(pages, library, 0.8, 0.8).forms


def test_each_title_opens_a_form_that_keeps_the_tables_below_it(library):
    first = table([(0, 0, 1, 1, "项目名称")], top=120)
    second = table([(0, 0, 1, 1, "项目名称")], top=500)
    pages = [
        layout(
            1,
            [first, second],
            [
                line("财政项目支出绩效目标申报表", y=60),
                line("（2024年度）", y=90),
                line("财政项目支出绩效自评表", y=420),
            ],
        )
    ]
    regions = split(pages, library)
    assert [r.form_type for r in regions] == ["target_declaration", "self_evaluation"]
    assert regions[0].tables == [first] and regions[1].tables == [second]
    assert regions[0].year_line.text == "（2024年度）" and regions[1].year_line is None


def test_a_form_runs_on_over_the_next_page(library):
    part1, part2 = table([(0, 0, 1, 1, "a")], top=120), table([(0, 0, 1, 1, "b")], page=2, top=40)
    pages = [layout(1, [part1], [line("财政项目支出绩效自评表", y=60)]), layout(2, [part2], [])]
    (region,) = split(pages, library)
    assert region.tables == [part1, part2] and region.pages == [1, 2]


def test_a_cover_title_opens_nothing_and_tables_before_a_title_are_dropped(library):
    stray = table([(0, 0, 1, 1, "x")], top=100)
    form = table([(0, 0, 1, 1, "y")], top=400)
    pages = [
        layout(
            1,
            [stray, form],
            [line("上海市人民政府2024年度项目绩效目标汇总表", y=40), line("财政项目支出绩效目标申报表", y=350)],
        )
    ]
    (region,) = split(pages, library)
    assert region.tables == [form]


def test_no_title_no_form(library):
    assert split([layout(1, [table([(0, 0, 1, 1, "x")])], [line("会议纪要")])], library) == []


def test_a_title_and_year_printed_inside_the_grid_open_the_form(library):
    grid = table(
        [
            (0, 0, 1, 4, "财政项目支出绩效目标申报表"),
            (1, 0, 1, 4, "（2026年度）"),
            (2, 0, 1, 1, "项目名称"),
            (2, 1, 1, 3, "某项目"),
        ],
        top=60,
    )
    (region,) = split([layout(1, [grid], [])], library)
    assert region.form_type == "target_declaration" and region.title.text == "财政项目支出绩效目标申报表"
    assert region.year_line.text == "（2026年度）" and region.tables == [grid]


def test_a_form_whose_title_did_not_print_opens_at_its_header_labels(library):
    first = table([(0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "甲"), (1, 0, 1, 1, "全年执行数"), (2, 0, 1, 1, "一级指标")])
    second = table(
        [
            (0, 0, 1, 1, "项目名称"),
            (0, 1, 1, 1, "乙"),
            (1, 0, 1, 1, "全年预算数"),
            (2, 0, 1, 1, "实际完成值"),
            (3, 0, 1, 1, "年初预算数"),
        ],
        page=2,
    )
    found = split([layout(1, [first], [line("财政项目支出绩效自评表", y=40)]), layout(2, [second], [])], library)
    assert [r.form_type for r in found] == ["self_evaluation", "self_evaluation"]
    assert found[1].title is None and found[1].tables == [second]


def test_a_table_with_form_labels_before_any_title_is_an_orphan_not_dropped(library):
    stray = table([(0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "甲")])
    result = split_forms([layout(1, [stray], [])], library, 0.8, 0.8)
    assert result.forms == [] and result.orphans == [stray]


def test_lines_between_title_and_grid_are_kept_for_their_labels(library):
    grid = table([(0, 0, 1, 1, "项目名称")], top=150)
    (region,) = split(
        [
            layout(
                1,
                [grid],
                [line("项目绩效目标表", y=40), line("(2021年度)", y=70), line("填报单位(盖章):某某局", y=100)],
            )
        ],
        library,
    )
    assert [ln.text for ln in region.lines] == ["填报单位(盖章):某某局"]


def test_a_title_row_inside_a_grid_ends_one_form_and_opens_the_next(library):
    """Excel prints a sheet of two forms as one grid: the first form's last rows, then the second's
    title and year rows. The rows above the title stay with the first form."""
    first = table([(0, 0, 1, 1, "项目名称"), (0, 1, 1, 3, "甲项目")], top=60)
    # The title row lies past the rows a title printed at a grid's top may take (TITLE_ROWS).
    grid_low = table(
        [
            (0, 0, 1, 1, "满意度指标"),
            (0, 1, 1, 3, "服务对象满意度"),
            (1, 0, 1, 1, "效益指标"),
            (1, 1, 1, 3, "可持续影响"),
            (2, 0, 1, 1, "产出指标"),
            (2, 1, 1, 3, "数量"),
            (3, 0, 1, 4, "财政项目支出绩效目标申报表"),
            (4, 0, 1, 4, "（2026年度）"),
            (5, 0, 1, 1, "项目名称"),
            (5, 1, 1, 3, "乙项目"),
        ],
        page=2,
        top=40,
    )
    pages = [layout(1, [first], [line("财政项目支出绩效目标申报表", y=20)]), layout(2, [grid_low], [])]
    one, two = split(pages, library)
    assert one.pages == [1, 2] and two.pages == [2]
    tail = one.tables[1]
    assert [c.text for c in tail.cells if c.col == 0] == ["满意度指标", "效益指标", "产出指标"]
    assert tail.box.y1 == grid_low.row_edges[3] and tail.n_rows == 3
    assert two.title_in_grid and two.title.text == "财政项目支出绩效目标申报表"
    assert two.year_line.text == "（2026年度）"
    assert [c.text for c in two.tables[0].cells if c.row == 2] == ["项目名称", "乙项目"]
