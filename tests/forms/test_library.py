"""The form definitions: titles as provinces print them, variants told apart by their labels."""

from __future__ import annotations

import pytest

from extract.forms.library import FormLibrary
from models.forms import DefinitionError, load_definitions


@pytest.mark.parametrize(
    "title,form_type",
    [
        ("财政项目支出绩效目标申报表", "target_declaration"),
        ("佳县财政支出项目绩效目标申报表", "target_declaration"),
        ("绩效目标申报表(一级项目)", "target_declaration"),
        ("项目绩效目标表(2021年度)", "target_declaration"),
        ("财政项目支出绩效自评表", "self_evaluation"),
        ("部门预算项目支出绩效自评表(2023年度)", "self_evaluation"),
        ("财政项目支出绩效白评表", "self_evaluation"),  # an OCR slip: 白 for 自
    ],
)
def test_titles_as_printed_name_their_form_type(library, title, form_type):
    assert library.title_type(title, 0.8)[0] == form_type


@pytest.mark.parametrize(
    "line",
    [
        "上海市人民政府驻西藏办事处2024年度项目绩效目标汇总表",  # a cover sheet
        "（2024年度）",
        "根据财政部关于开展绩效自评的通知要求，各单位须在规定时间内报送本单位全部项目的绩效自评表",
    ],
)
def test_other_lines_are_not_titles(library, line):
    assert library.title_type(line, 0.8) is None


def test_an_untitled_form_gets_its_type_from_its_labels(library):
    assert library.form_type_of(["项目名称", "项目性质", "计划开始日期", "年度资金申请总额"]) == "target_declaration"
    assert library.form_type_of(["项目名称", "全年执行数", "实际完成值", "得分"]) == "self_evaluation"
    assert library.form_type_of(["项目名称"]) is None


def test_a_bad_definition_file_says_which_file_and_field(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: self_evaluation/bad\nform_type: receipt\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"bad.yaml: form_type"):
        load_definitions([tmp_path])


def test_a_variant_extends_its_base_and_changes_only_what_it_lists(tmp_path):
    (tmp_path / "v.yaml").write_text(
        "id: self_evaluation/test\nform_type: self_evaluation\nextends: self_evaluation/base\n"
        "signature: [本年财政拨款]\nfields:\n  grade: {labels: [自评结果]}\n",
        encoding="utf-8",
    )
    library = FormLibrary(load_definitions([tmp_path]))
    variant = library.by_id["self_evaluation/test"].definition
    assert variant.fields["grade"].labels == ["自评结果"]
    assert variant.fields["project_name"].labels == ["项目名称"]  # from its base
    assert library.choose("self_evaluation", ["项目名称", "其中:本年财政拨款"], None).id == "self_evaluation/test"
    assert library.choose("self_evaluation", ["项目名称", "当年财政拨款"], None).id == "self_evaluation/base"
