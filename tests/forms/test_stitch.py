"""Stitching a form's tables across page breaks into one logical table."""

from __future__ import annotations

from extract.forms.stitch import stitch
from tests.builders import table


def test_rows_run_on_and_cut_spanning_cells_are_paired():
    # Page 1 ends inside a level-1 cell spanning rows 1-2; page 2 continues it.
    part1 = table(
        [
            (0, 0, 1, 1, "一级指标"),
            (0, 1, 1, 1, "三级指标"),
            (1, 0, 2, 1, "产出指标"),
            (1, 1, 1, 1, "甲"),
            (2, 1, 1, 1, "乙"),
        ],
        page=1,
    )
    part2 = table([(0, 0, 2, 1, ""), (0, 1, 1, 1, "丙"), (1, 1, 1, 1, "丁")], page=2, top=40)
    stitched = stitch([part1, part2], column_snap=4.0)
    assert stitched.n_rows == 5 and stitched.n_cols == 2
    continued = stitched.cell_at(3, 0)
    assert continued.row == 3 and continued.text == ""
    assert stitched.text_of(continued) == "产出指标", "the cut cell's empty part takes its other part's text"
    assert stitched.cell_at(4, 1).text == "丁"


def test_parts_on_the_same_page_are_not_paired():
    a = table([(0, 0, 1, 1, "x")], page=1, top=100)
    b = table([(0, 0, 1, 1, "")], page=1, top=300)
    stitched = stitch([a, b], column_snap=4.0)
    assert stitched.continuation == {}


def test_columns_a_few_points_apart_are_one_edge():
    a = table([(0, 0, 1, 1, "x"), (0, 1, 1, 1, "y")], page=1)
    b = table([(0, 0, 1, 1, "z"), (0, 1, 1, 1, "w")], page=2, col_width=61.0)  # 1-2 pt drift
    stitched = stitch([a, b], column_snap=4.0)
    assert stitched.n_cols == 2
    assert stitched.cell_at(1, 1).text == "w"


def test_run_on_text_joins_both_parts_in_page_order():
    part1 = table([(0, 0, 1, 1, "头"), (1, 0, 1, 1, "指")], page=1)
    part2 = table([(0, 0, 1, 1, "标")], page=2)
    stitched = stitch([part1, part2], column_snap=4.0)
    assert stitched.run_on_text(stitched.cell_at(2, 0)) == "指标"


def test_a_row_cut_in_two_by_the_break_is_one_row():
    part1 = table([(0, 0, 1, 1, "甲"), (0, 1, 1, 1, "完成率"), (1, 0, 1, 1, "乙"), (1, 1, 1, 1, "服务对象满")], page=1)
    part1.open_bottom = True
    part2 = table([(0, 0, 1, 1, ""), (0, 1, 1, 1, "意度"), (1, 0, 1, 1, "丙"), (1, 1, 1, 1, "及时率")], page=2, top=40)
    part2.open_top = True
    stitched = stitch([part1, part2], column_snap=4.0)
    assert stitched.n_rows == 3
    assert stitched.cell_at(1, 1).text == "服务对象满意度" and stitched.cell_at(2, 1).text == "及时率"


def test_a_spanning_cell_resumes_under_a_repeated_header_and_over_three_pages():
    head = [(0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "三级指标")]
    part1 = table([*head, (1, 0, 1, 1, "效益指标"), (1, 1, 1, 1, "甲")], page=1)
    part2 = table([*head, (1, 0, 2, 1, ""), (1, 1, 1, 1, "乙"), (2, 1, 1, 1, "丙")], page=2)
    part3 = table([*head, (1, 0, 1, 1, ""), (1, 1, 1, 1, "丁")], page=3)
    stitched = stitch([part1, part2, part3], column_snap=4.0)
    assert stitched.part_starts == [2, 5]
    assert [stitched.text_of(stitched.cell_at(r, 0)) for r in (3, 4, 6)] == ["效益指标"] * 3


def test_a_header_repeated_with_an_ocr_slip_is_a_header_and_the_cut_cell_resumes_under_it():
    """Page 2 repeats the header, its first cell misread (级指标 for 一级指标): the cut level-1 cell of
    page 1's last row continues in page 2's first data row, not in the header."""
    head = [(0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "指标内容"), (0, 3, 1, 1, "指标值")]
    part1 = table([*head, (1, 0, 1, 1, ""), (1, 1, 1, 1, ""), (1, 2, 1, 1, "资金拨付及时率"), (1, 3, 1, 1, "=100%")])
    slipped = [(0, 0, 1, 1, "级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "指标内容"), (0, 3, 1, 1, "指标值")]
    rest = [(1, 0, 1, 1, "产出指标"), (1, 1, 1, 1, "时效指标"), (1, 2, 1, 1, "任务完成及时率"), (1, 3, 1, 1, "≥94%")]
    part2 = table([*slipped, *rest], page=2, top=40)
    stitched = stitch([part1, part2], column_snap=4.0)
    cut = stitched.cell_at(1, 0)
    assert stitched.text_of(cut) == "产出指标", "the cut cell takes the text of the row under the header"
    assert stitched.text_of(stitched.cell_at(1, 2)) == "资金拨付及时率"
