"""Building the record: every field gets a confidence, doubtful ones a reason, all a place."""

from __future__ import annotations

from dataclasses import replace

import pytest

from extract.datamodel.form import FormRegion
from extract.datamodel.page import TEXT_LAYER, ReadInfo
from extract.forms.indicators import read_indicators
from extract.forms.labels import read_fields
from extract.forms.library import FormLibrary
from extract.normalize.vocabulary import Vocabulary
from extract.record.build import FormBuilder
from extract.settings import ConfidenceSettings, ReviewSettings
from tests.builders import form_table, line
from tests.forms.conftest import SELF_EVALUATION

OCR = ReadInfo("ocr", engine="fake 0", dpi=200, skew_degrees=0.5, steps=("deskew",))


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


@pytest.fixture(scope="module")
def spec():
    return FormLibrary.load().base("self_evaluation")


def build(vocab, spec, specs=SELF_EVALUATION, read=TEXT_LAYER, edit=None):
    table = form_table(specs)
    fields, labelled = read_fields(table, spec, [], 0.8)
    if edit:
        edit(fields)
    indicators = read_indicators(table, spec, vocab, labelled)
    region = FormRegion("self_evaluation", line("财政项目支出绩效自评表", y=40), line("（2024年度）", y=70))
    builder = FormBuilder(region, spec, fields, indicators, vocab, ReviewSettings(), ConfidenceSettings(), {1: read})
    return builder.record("form.pdf", "ab" * 32)


def test_a_clean_form_is_whole_sure_and_placed(vocab, spec):
    rec = build(vocab, spec)
    assert rec.project_name == "档案数字化经费" and rec.year == 2024 and rec.grade == "优"
    assert str(rec.funds.total.score) == "8.00" and rec.funds.current_year_appropriation.weight is None
    assert [i.name for i in rec.indicators] == ["任务完成率", "档案数字化页数"]
    assert rec.confidence["project_name"] == 1.0
    # Provenance: a page and a box for every value read off the page.
    assert rec.provenance["project_name"].page == 1 and len(rec.provenance["project_name"].box) == 4
    assert rec.provenance["indicators[1].name"] == rec.provenance["indicators[1].name_raw"]
    assert rec.source.reads[0].source == "text_layer"


def test_an_unknown_indicator_name_is_kept_as_printed_and_not_flagged(vocab, spec):
    rec = build(vocab, spec)
    assert rec.indicators[1].name == rec.indicators[1].name_raw == "档案数字化页数"
    assert rec.review == [] and rec.variant == "self_evaluation/base"


def test_a_flag_carries_the_page_and_box_of_its_value(vocab, spec):
    rec = build(vocab, spec, edit=lambda fields: fields.update(grade=replace(fields["grade"], text="合")))
    (item,) = [i for i in rec.review if i.field == "grade"]
    assert item.page == 1 and item.box == rec.provenance["grade"].box and "not on this form's scale" in item.reason


def test_a_missing_label_is_flagged_with_what_to_do(vocab, spec):
    rec = build(vocab, spec, edit=lambda fields: fields.pop("department"))
    (item,) = [i for i in rec.review if i.field == "department"]
    assert rec.department is None and item.confidence == 0.0 and "label was not found" in item.reason


def test_a_broken_sum_flags_every_field_in_it(vocab, spec):
    specs = [s if s[:2] != (10, 6) else (10, 6, 1, 1, "44.00") for s in SELF_EVALUATION]
    rec = build(vocab, spec, specs)
    flagged = {item.field for item in rec.review}
    assert {"total_score", "funds.total.score", "indicators[0].score"} <= flagged


def test_low_ocr_scores_are_given_as_the_reason_and_pages_keep_how_they_were_read(vocab, spec):
    def doubt(fields):
        fields["project_name"] = replace(fields["project_name"], confidence=0.6)

    rec = build(vocab, spec, read=OCR, edit=doubt)
    (item,) = [i for i in rec.review if i.field == "project_name"]
    assert "OCR read this cell with confidence 0.60" in item.reason
    assert rec.source.reads[0].model_dump() == {
        "page": 1,
        "source": "ocr",
        "engine": "fake 0",
        "dpi": 200,
        "skew_degrees": 0.5,
        "steps": ["deskew"],
    }


def test_a_name_kept_as_printed_is_flagged_with_its_reading(vocab, spec):
    """The name is the printed text when the vocabulary does not know it: a doubtful reading of
    the printed text makes the name doubtful too, with the same reason."""

    table = form_table(SELF_EVALUATION)
    fields, labelled = read_fields(table, spec, [], 0.8)
    indicators = read_indicators(table, spec, vocab, labelled)
    row = indicators.rows[1]
    row.values["name_raw"] = replace(row.values["name_raw"], confidence=0.4)
    region = FormRegion("self_evaluation", line("财政项目支出绩效自评表", y=40), line("（2024年度）", y=70))
    builder = FormBuilder(region, spec, fields, indicators, vocab, ReviewSettings(), ConfidenceSettings(), {1: OCR})
    rec = builder.record("form.pdf", "ab" * 32)
    reasons = {i.field: i.reason for i in rec.review}
    assert "indicators[1].name" in reasons and reasons["indicators[1].name"] == reasons["indicators[1].name_raw"]
    assert "indicators[0].name" not in reasons


def test_a_total_that_cannot_be_checked_is_flagged(vocab, spec):
    """A row's score unread: the printed total stands unchecked, so it (and the grade) are flagged."""
    specs = [s if s[:2] != (10, 6) else (10, 6, 1, 1, "") for s in SELF_EVALUATION]
    rec = build(vocab, spec, specs)
    reasons = {i.field: i.reason for i in rec.review}
    assert "could not be checked" in reasons["total_score"] and "indicator 1" in reasons["total_score"]
    assert "grade" in reasons and "total_weight" not in reasons


def test_on_a_scan_a_name_that_is_a_level_entry_or_a_unit_with_a_date_is_doubted(vocab, spec):
    specs = [s if s[:2] != (11, 2) else (11, 2, 1, 1, "数量指标") for s in SELF_EVALUATION]
    specs = [s if s[:2] != (1, 5) else (1, 5, 1, 3, "南京市档案馆2024年8月24日") for s in specs]
    reasons = {i.field: i.reason for i in build(vocab, spec, specs, read=OCR).review}
    assert "reads as the framework's level-2 entry '数量指标'" in reasons["indicators[1].name_raw"]
    assert "holds a date" in reasons["implementing_unit"]
    # On a text layer the cell holds what the filer typed: no doubt.
    assert "implementing_unit" not in {i.field for i in build(vocab, spec, specs).review}


SICHUAN_HEADS = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分"]


def _sichuan_rows(units: list[str], natures: list[str]) -> list[tuple]:
    rows = [(0, i, 1, 1, h) for i, h in enumerate(SICHUAN_HEADS)]
    for r, (unit, nature) in enumerate(zip(units, natures), 1):
        cells = ["产出指标", "数量指标", f"指标{r}", nature, "100", unit, "100", "10", "10"]
        rows += [(r, i, 1, 1, text) for i, text in enumerate(cells)]
    return rows


def test_on_a_scan_a_unit_or_nature_outside_the_vocabulary_is_doubted(vocab):
    """田 for 亩 and 大 for 天 are the reader's slips: a unit the vocabulary does not know is flagged
    on a scan (kept as read), one it knows is not; on a text layer nothing is."""
    sichuan = next(s for s in FormLibrary.load().specs if s.id == "self_evaluation/sichuan-2023")
    rows = _sichuan_rows(["亩", "田", "%", ""], ["≥", "=", "≥。", "定性"])

    def reasons(read):
        return {i.field: i.reason for i in build(vocab, sichuan, rows, read=read).review}

    scanned = reasons(OCR)
    assert "'田' is not a unit of measure" in scanned["indicators[1].unit"]
    assert "'≥。' is not a comparator" in scanned["indicators[2].nature"]
    for field in ("indicators[0].unit", "indicators[0].nature", "indicators[2].unit", "indicators[3].unit"):
        assert field not in scanned
    assert "indicators[3].nature" not in scanned, "定性 is a nature, and a qualitative row's unit may be blank"
    text_layer = reasons(TEXT_LAYER)
    assert not [f for f in text_layer if f.startswith("indicators[") and f.endswith((".unit", ".nature"))]


def test_a_row_whose_level1_cell_lost_its_score_is_flagged_where_the_form_prints_scores(vocab, spec):
    """Anhui prints 产出指标(50分): a level-1 cell read without its score lost part of its text."""
    anhui = next(s for s in FormLibrary.load().specs if s.id == "self_evaluation/anhui-2022")
    level1 = [(10, 0, 1, 1, "产出指标(50分)"), (11, 0, 1, 1, "产出指标")]
    specs = [s for s in SELF_EVALUATION if s[:2] != (10, 0)] + level1
    reasons = {i.field: i.reason for i in build(vocab, anhui, specs, read=OCR).review}
    assert "no score was read in this row's level-1 cell" in reasons["indicators[1].level1_weight"]
    assert "indicators[0].level1_weight" not in reasons
    # Without the definition's word, one score in two rows is no sign that the form prints them.
    assert not any("level1_weight" in i.field for i in build(vocab, spec, specs, read=OCR).review)
