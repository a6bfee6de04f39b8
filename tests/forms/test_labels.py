"""Fields by printed label: to the right, below, or under the funds columns."""

from __future__ import annotations

from extract.forms.labels import find_labels, read_fields
from extract.forms.stitch import stitch
from tests.builders import form_table, table
from tests.forms.conftest import SELF_EVALUATION


def test_labels_lead_to_their_values(self_eval):
    fields, _ = read_fields(form_table(SELF_EVALUATION), self_eval, [], 0.8)
    got = {path: value.text for path, value in fields.items()}
    assert got["project_name"] == "档案数字化经费"
    assert got["department"] == "南京市档案局" and got["implementing_unit"] == "南京市档案馆"
    assert got["goal"] == "完成档案数字化" and got["outcome"] == "基本完成"
    assert got["grade"] == "优" and got["funds.unit"] == "万元"


def test_funds_lines_read_under_their_column_headers(self_eval):
    fields, _ = read_fields(form_table(SELF_EVALUATION), self_eval, [], 0.8)
    assert fields["funds.total.executed"].text == "8.00"
    assert fields["funds.total.execution_rate"].text == "80.00"
    assert fields["funds.current_year_appropriation.weight"].text == "-"
    assert fields["funds.other.annual_budget"].text == "0.00"
    # The indicator table's 分值/得分 further down never stand in for the funds columns.
    assert fields["funds.total.score"].text == "8.00"


def test_every_value_keeps_its_page_and_box(self_eval):
    table = form_table(SELF_EVALUATION)
    fields, _ = read_fields(table, self_eval, [], 0.8)
    name = fields["project_name"]
    assert name.page == 1 and name.box == table.cell_at(0, 1).box


def test_labels_of_the_other_form_type_are_not_labels(library, self_eval):
    table = form_table([(0, 0, 1, 1, "项目性质"), (0, 1, 1, 1, "经常性项目")])
    assert find_labels(table, self_eval, 0.8) == []
    (hit,) = find_labels(table, library.base("target_declaration"), 0.8)
    assert hit.label.path == "project_nature" and hit.score == 1.0


def test_a_label_with_an_ocr_slip_still_matches_but_scores_lower(self_eval):
    table = form_table([(0, 0, 1, 1, "主管部刀"), (0, 1, 1, 1, "某局")])
    fields, _ = read_fields(table, self_eval, [], 0.7)
    assert fields["department"].text == "某局" and fields["department"].match < 1.0


def test_a_label_and_its_value_in_one_cell_are_split(self_eval):
    table = form_table([(0, 0, 1, 2, "项目名称：档案数字化经费"), (1, 0, 1, 1, "主管部门:"), (1, 1, 1, 1, "某局")])
    fields, _ = read_fields(table, self_eval, [], 0.8)
    assert fields["project_name"].text == "档案数字化经费" and fields["department"].text == "某局"


def test_a_label_whose_neighbour_is_another_label_has_no_value(library):
    table = form_table([(0, 0, 1, 1, "项目资金总额"), (0, 1, 1, 1, "年度资金申请总额"), (0, 2, 1, 1, "100.00")])
    fields, _ = read_fields(table, library.base("target_declaration"), [], 0.8)
    assert "funds.project_total" not in fields and fields["funds.total"].text == "100.00"


def test_a_label_printed_twice_takes_the_one_its_definition_names(library):
    table = form_table([(0, 0, 1, 1, "其他资金"), (0, 1, 1, 1, "5.00"), (0, 2, 1, 1, "其他资金"), (0, 3, 1, 1, "2.00")])
    fields, _ = read_fields(table, library.base("target_declaration"), [], 0.8)
    assert fields["funds.other"].text == "2.00"


def test_stamp_notes_colons_and_units_in_labels_do_not_hide_them(self_eval):
    table = form_table(
        [
            (0, 0, 1, 1, "实施单位 (盖章)"),
            (0, 1, 1, 1, "某中心"),
            (1, 0, 1, 1, "年度资金总额:"),
            (2, 0, 1, 1, "年初预算数(万元)"),
        ]
    )
    fields, labelled = read_fields(table, self_eval, [], 0.8)
    assert fields["implementing_unit"].text == "某中心" and fields["funds.unit"].text == "万元"
    assert {lab.label.path for lab in labelled} >= {"implementing_unit", "funds.total", "initial_budget"}


def test_a_row_of_labels_over_a_row_of_values_reads_each_value_below(library):
    table = form_table(
        [
            (0, 0, 2, 1, "项目资金（元）"),
            (0, 1, 1, 1, "年度资金总额"),
            (0, 2, 1, 1, "当年财政拨款"),
            (0, 3, 1, 1, "上年结转资金"),
            (0, 4, 1, 1, "其他资金"),
            (1, 1, 1, 1, "10.00"),
            (1, 2, 1, 1, "8.00"),
            (1, 3, 1, 1, "2.00"),
            (1, 4, 1, 1, "0.00"),
        ]
    )
    fields, _ = read_fields(table, library.base("target_declaration"), [], 0.8)
    assert [fields[f"funds.{k}"].text for k in ("total", "current_year_appropriation", "carryover", "other")] == [
        "10.00",
        "8.00",
        "2.00",
        "0.00",
    ]


def test_a_header_cut_by_a_page_break_or_its_stroke_misread_is_still_the_column(self_eval):
    """偏差原因分析及 | 改进措施 printed either side of a break is one header, matched whole;
    一级指标 whose lone stroke OCR read as '-' is still the level-1 header."""
    heads = ["-级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及"]
    part1 = table([(0, i, 1, 1, h) for i, h in enumerate(heads)], page=1)
    part2 = table([*[(0, i, 1, 1, "") for i in range(7)], (0, 7, 1, 1, "改进措施")], page=2, top=40)
    stitched = stitch([part1, part2], column_snap=4.0)
    found = {(lab.cell.row, lab.label.path): lab.score for lab in find_labels(stitched, self_eval, 0.8)}
    assert found[(0, "note")] == 1.0, "the cut header is matched on its whole text"
    assert found[(0, "level1")] == 1.0
