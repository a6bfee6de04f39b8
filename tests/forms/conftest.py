"""A self-evaluation form as the forms layer sees it: one stitched table of cells."""

from __future__ import annotations

import pytest

from extract.forms.library import FormLibrary, FormSpec
from extract.normalize.vocabulary import Vocabulary

FUNDS_HEADS = ["年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]
HEADS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def funds_line(row: int, label: str, values: list[str]) -> list[tuple]:
    return [(row, 1, 1, 1, label)] + [(row, 2 + i, 1, 1, v) for i, v in enumerate(values)]


SELF_EVALUATION = [
    (0, 0, 1, 1, "项目名称"),
    (0, 1, 1, 7, "档案数字化经费"),
    (1, 0, 1, 1, "主管部门"),
    (1, 1, 1, 3, "南京市档案局"),
    (1, 4, 1, 1, "实施单位"),
    (1, 5, 1, 3, "南京市档案馆"),
    (2, 0, 5, 1, "项目资金（万元）"),
    (2, 1, 1, 1, ""),
    *[(2, 2 + i, 1, 1, h) for i, h in enumerate(FUNDS_HEADS)],
    *funds_line(3, "年度资金总额", ["10.00", "10.00", "8.00", "10.00", "80.00", "8.00"]),
    *funds_line(4, "其中：当年财政拨款", ["10.00", "10.00", "8.00", "-", "80.00", "-"]),
    *funds_line(5, "上年结转资金", ["0.00", "0.00", "0.00", "-", "0.00", "-"]),
    *funds_line(6, "其他资金", ["0.00", "0.00", "0.00", "-", "0.00", "-"]),
    (7, 0, 2, 1, "年度总体目标"),
    (7, 1, 1, 3, "预期目标"),
    (7, 4, 1, 4, "实际完成情况"),
    (8, 1, 1, 3, "完成档案数字化"),
    (8, 4, 1, 4, "基本完成"),
    *[(9, i, 1, 1, h) for i, h in enumerate(HEADS)],
    (10, 0, 2, 1, "产出指标"),
    (10, 1, 2, 1, "数量指标"),
    (10, 2, 1, 1, "任务完成率"),
    (10, 3, 1, 1, "=100(%)"),
    (10, 4, 1, 1, "100(%)"),
    (10, 5, 1, 1, "45.00"),
    (10, 6, 1, 1, "45.00"),
    (10, 7, 1, 1, ""),
    (11, 2, 1, 1, "档案数字化页数"),
    (11, 3, 1, 1, "≥1000(页)"),
    (11, 4, 1, 1, "900(页)"),
    (11, 5, 1, 1, "45.00"),
    (11, 6, 1, 1, "40.00"),
    (11, 7, 1, 1, "部分滞后"),
    (12, 0, 1, 5, "总分"),
    (12, 5, 1, 1, "100.00"),
    (12, 6, 1, 1, "93.00"),
    (12, 7, 1, 1, ""),
    (13, 0, 1, 5, "评分等级"),
    (13, 5, 1, 3, "优"),
]


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    return Vocabulary.load()


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    return FormLibrary.load()


@pytest.fixture(scope="session")
def self_eval(library) -> FormSpec:
    return library.base("self_evaluation")
