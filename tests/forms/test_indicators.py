"""The indicator table: a row per 三级指标, merged level cells, totals."""

from __future__ import annotations

import pytest

from extract.datamodel.geometry import Box, Word
from extract.forms.indicators import read_indicators
from extract.forms.labels import read_fields
from extract.forms.stitch import stitch
from tests.builders import form_table, table
from tests.forms.conftest import HEADS, SELF_EVALUATION


@pytest.fixture()
def read(vocab, self_eval):
    def _read(ftable):
        _, labelled = read_fields(ftable, self_eval, [], 0.8)
        return read_indicators(ftable, self_eval, vocab, labelled)

    return _read


def test_rows_columns_and_totals(read):
    ind = read(form_table(SELF_EVALUATION))
    assert [r.values["name_raw"].text for r in ind.rows] == ["任务完成率", "档案数字化页数"]
    second = ind.rows[1].values
    assert second["target"].text == "≥1000(页)" and second["actual"].text == "900(页)"
    assert second["weight"].text == "45.00" and second["score"].text == "40.00" and second["note"].text == "部分滞后"
    assert ind.totals["total_weight"].text == "100.00" and ind.totals["total_score"].text == "93.00"


def test_a_merged_level_cell_gives_its_text_to_every_row_it_spans(read):
    ind = read(form_table(SELF_EVALUATION))
    assert [r.values["level1"].text for r in ind.rows] == ["产出指标", "产出指标"]
    assert [r.values["level2"].text for r in ind.rows] == ["数量指标", "数量指标"]


def test_a_header_repeated_on_the_next_page_is_not_a_row(read):
    head = [(0, i, 1, 1, h) for i, h in enumerate(HEADS)]
    row = [(1, 0, 1, 1, "产出指标"), (1, 1, 1, 1, "数量指标"), (1, 2, 1, 1, "甲"), (1, 3, 1, 1, "≥1(个)")]
    part2 = head + [(1, 0, 1, 1, "产出指标"), (1, 1, 1, 1, "质量指标"), (1, 2, 1, 1, "乙"), (1, 3, 1, 1, "=1(个)")]
    stitched = stitch([table(head + row, page=1), table(part2, page=2)], column_snap=4.0)
    ind = read(stitched)
    assert [r.values["name_raw"].text for r in ind.rows] == ["甲", "乙"]


def test_a_level_name_cut_by_a_page_break_is_joined(read):
    head = [(0, i, 1, 1, h) for i, h in enumerate(HEADS[:4])]
    part1 = head + [(1, 0, 1, 1, "效益"), (1, 1, 1, 1, "社会效益指标"), (1, 2, 1, 1, "甲"), (1, 3, 1, 1, "好")]
    part2 = [(0, 0, 1, 1, "指标"), (0, 1, 1, 1, "社会效益指标"), (0, 2, 1, 1, "乙"), (0, 3, 1, 1, "好")]
    ind = read(stitch([table(part1, page=1), table(part2, page=2, top=40)], column_snap=4.0))
    assert [r.values["level1"].text for r in ind.rows] == ["效益指标", "效益指标"]


def test_no_header_no_rows(read):
    ind = read(form_table([(0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "x")]))
    assert ind.rows == [] and ind.totals == {}


def test_the_rest_of_a_row_cut_by_a_page_break_joins_its_row(read):
    head = [(0, i, 1, 1, h) for i, h in enumerate(HEADS)]
    row = [
        (1, 0, 1, 1, "产出指标"),
        (1, 1, 1, 1, "数量指标"),
        (1, 2, 1, 1, "甲"),
        (1, 3, 1, 1, "≥1(个)"),
        (1, 4, 1, 1, "1(个)"),
        (1, 5, 1, 1, "5"),
        (1, 6, 1, 1, "5"),
        (1, 7, 1, 1, "受天气影响，下"),
    ]
    rest = [
        (1, 0, 1, 1, ""),
        (1, 1, 1, 1, ""),
        (1, 2, 1, 1, ""),
        (1, 3, 1, 1, ""),
        (1, 4, 1, 1, ""),
        (1, 5, 1, 1, ""),
        (1, 6, 1, 1, ""),
        (1, 7, 1, 1, "年度改进。"),
    ]
    stitched = stitch([table(head + row, page=1), table(head + rest, page=2)], column_snap=4.0)
    (only,) = read(stitched).rows
    assert only.values["note"].text == "受天气影响，下年度改进。"


def _with_lines(ftable, row, col, lines, width=60.0):
    """Give a cell of `ftable` its text as separate lines of words, centred in the cell like print."""
    cell = next(c for c in ftable.cells if c.row == row and c.col == col)
    words, y = [], cell.box.y0 + 2
    for text in lines:
        w = 9.0 * len(text)
        x0 = cell.box.x0 + (cell.box.x1 - cell.box.x0 - w) / 2
        words.append(Word(text, Box(x0, y, x0 + w, y + 9), 1.0))
        y += 11
    cell.words, cell.text = words, "".join(lines)


def _two_rows_in_one(ftable, targets):
    for cell in ftable.cells:
        if cell.row == 11 and 2 <= cell.col <= 6:
            cell.box = Box(cell.box.x0, cell.box.y0, cell.box.x0 + 90, cell.box.y0 + 40)
    _with_lines(ftable, 11, 2, ["单位成本", "预算控制率"])
    _with_lines(ftable, 11, 3, targets)
    _with_lines(ftable, 11, 4, ["20(万元)", "100%"])
    _with_lines(ftable, 11, 5, ["20.00", "25.00"])
    _with_lines(ftable, 11, 6, ["20.00", "20.00"])
    _with_lines(ftable, 11, 7, [])


def test_two_rows_read_as_one_are_split_and_flagged(read):
    """Short lines in every cell of one row: a rule between two rows was lost; the lines split."""
    ftable = form_table(SELF_EVALUATION)
    _two_rows_in_one(ftable, ["≤24(万元)", "100%达标"])
    ind = read(ftable)
    assert [r.values["name_raw"].text for r in ind.rows] == ["任务完成率", "单位成本", "预算控制率"]
    assert [r.values["target"].text for r in ind.rows[1:]] == ["≤24(万元)", "100%达标"]
    assert [r.values["weight"].text for r in ind.rows[1:]] == ["20.00", "25.00"]
    assert [r.values["level1"].text for r in ind.rows] == ["产出指标"] * 3
    doubts = dict(ind.doubts)
    assert "split at their line break" in doubts["indicators[1]"] and "indicators[2]" in doubts


def test_two_rows_that_do_not_split_cleanly_flag_the_table(read):
    ftable = form_table(SELF_EVALUATION)
    _two_rows_in_one(ftable, ["≤24(万元)", "100%达标", "≥9(次)"])  # three entries beside two names
    ind = read(ftable)
    assert len(ind.rows) == 2
    assert "two rows may have been read as one" in dict(ind.doubts)["indicators"]


def test_a_wrapped_name_and_target_are_not_two_rows(read):
    ftable = form_table(SELF_EVALUATION)
    _with_lines(ftable, 11, 2, ["档案数字化页", "数"])  # fills the cell: wrapped
    _with_lines(ftable, 11, 3, ["≥1000", "(页)"])  # a unit continues its number
    assert "indicators" not in dict(read(ftable).doubts)


def test_a_row_without_a_name_is_flagged(read):
    specs = [s if s[:2] != (11, 2) else (11, 2, 1, 1, "") for s in SELF_EVALUATION]
    doubts = dict(read(form_table(specs)).doubts)
    assert "indicator row 2 has no name" in doubts["indicators"]


def test_a_header_read_into_a_value_flags_the_row(read):
    specs = [s if s[:2] != (10, 4) else (10, 4, 1, 1, "100(%)实际完成值") for s in SELF_EVALUATION]
    doubts = dict(read(form_table(specs)).doubts)
    assert "holds the header '实际完成值'" in doubts["indicators[0]"]


def test_a_table_the_variant_prints_that_gave_no_row_flags_the_indicators(library, vocab):
    """Hunan prints 长期绩效指标 and 年度绩效指标: a scan that lost the long-term table's header
    yields only annual rows, and the record must say its long-term rows are missing."""
    hunan = library.by_id["target_declaration/hunan-2021"]
    heads = ["一级指标", "二级指标", "指标内容", "指标值", "备注"]
    specs = [
        (0, 0, 1, 5, "年度绩效指标"),
        *[(1, i, 1, 1, h) for i, h in enumerate(heads)],
        (2, 0, 1, 1, "产出指标"),
        (2, 1, 1, 1, "数量指标"),
        (2, 2, 1, 1, "任务完成率"),
        (2, 3, 1, 1, "≥91%"),
        (2, 4, 1, 1, ""),
    ]
    ftable = form_table(specs)
    _, labelled = read_fields(ftable, hunan, [], 0.8)
    ind = read_indicators(ftable, hunan, vocab, labelled)
    assert [r.table for r in ind.rows] == ["annual"]
    assert "prints the table '长期绩效指标'" in dict(ind.doubts)["indicators"]
