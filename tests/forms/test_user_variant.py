"""A variant a user adds as a definition file is read without code changes."""

from __future__ import annotations

import pytest

from extract import Extractor, Settings
from extract.settings import FormSettings
from tests.printing import print_form

COUNTY_VARIANT = """
# A county's own printing: other labels, a three-step grade scale.
id: self_evaluation/test-county
form_type: self_evaluation
extends: self_evaluation/base
signature: [项目全称, 资金合计]
fields:
  project_name: {labels: [项目全称]}
  grade: {labels: [考评结果]}
funds:
  lines:
    total: {labels: [资金合计]}
rules:
  grades:
    - {grade: 优秀, min_score: 90}
    - {grade: 合格, min_score: 60}
    - {grade: 不合格, min_score: 0}
"""

HEADS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
FORM = [
    (0, 0, 1, 1, "项目全称"),
    (0, 1, 1, 6, "乡村道路养护经费"),
    (1, 0, 1, 1, "主管部门"),
    (1, 1, 1, 3, "某县交通运输局"),
    (1, 4, 1, 1, "实施单位"),
    (1, 5, 1, 2, "某县公路站"),
    (2, 0, 5, 1, "项目资金（万元）"),
    *[(2, 1 + i, 1, 1, h) for i, h in enumerate(["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)"])],
    *[(3, 1 + i, 1, 1, v) for i, v in enumerate(["资金合计", "20.00", "20.00", "18.00", "10", "90.00"])],
    *[(4, 1 + i, 1, 1, v) for i, v in enumerate(["其中：当年财政拨款", "20.00", "20.00", "18.00", "-", "90.00"])],
    *[(5, 1 + i, 1, 1, v) for i, v in enumerate(["上年结转资金", "0.00", "0.00", "0.00", "-", "0.00"])],
    *[(6, 1 + i, 1, 1, v) for i, v in enumerate(["其他资金", "0.00", "0.00", "0.00", "-", "0.00"])],
    (2, 7, 1, 1, "得分"),
    (3, 7, 1, 1, "9.00"),
    (4, 7, 1, 1, "-"),
    (5, 7, 1, 1, "-"),
    (6, 7, 1, 1, "-"),
    (7, 0, 1, 4, "预期目标"),
    (7, 4, 1, 4, "实际完成情况"),
    (8, 0, 1, 4, "完成道路养护"),
    (8, 4, 1, 4, "已完成"),
    *[(9, i, 1, 1, h) for i, h in enumerate(HEADS)],
    *[
        (10, i, 1, 1, v)
        for i, v in enumerate(["产出指标", "数量指标", "养护里程", "≥20(公里)", "20(公里)", "90", "90"])
    ],
    (11, 0, 1, 5, "总分"),
    (11, 5, 1, 1, "100"),
    (11, 6, 1, 1, "99.00"),
    (12, 0, 1, 5, "考评结果"),
    (12, 5, 1, 2, "优秀"),
]


@pytest.fixture()
def county(tmp_path):
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "county.yaml").write_text(COUNTY_VARIANT, encoding="utf-8")
    pdf = print_form(tmp_path / "county.pdf", FORM, ["财政项目支出绩效自评表", "（2025年度）"], col_width=62)
    return folder, pdf


def test_a_variant_from_a_users_folder_is_read_without_code_changes(county):
    folder, pdf = county
    result = Extractor(Settings(forms=FormSettings(definition_dirs=(str(folder),)))).extract_file(pdf)
    assert result.status == "done", result.error
    (record,) = result.records
    assert record.variant == "self_evaluation/test-county"
    assert record.project_name == "乡村道路养护经费" and record.year == 2025
    assert str(record.funds.total.executed) == "18.00" and str(record.funds.total.score) == "9.00"
    assert record.grade == "优秀" and record.indicators[0].name_raw == "养护里程"
    assert record.review == [], record.review


def test_without_the_definition_the_same_form_is_flagged_not_guessed(county):
    _, pdf = county
    (record,) = Extractor().extract_file(pdf).records
    flagged = {item.field for item in record.review}
    assert record.variant == "self_evaluation/base"
    assert {"project_name", "grade"} <= flagged
