"""The indicator table: a row per 三级指标, merged level cells, totals."""

from __future__ import annotations

import pytest

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
