"""The pipeline on one file: stages timed, the scan grid found once, failures as results."""

from __future__ import annotations

import extract.grid.layout
import extract.pipeline
from extract.errors import ExitCode
from extract.pipeline import Extractor
from tests.conftest import SAMPLES
from tests.fakes import CrashingEngine, FakeOcrEngine, UnavailableEngine

TEXT = SAMPLES / "text" / "seed_003_self_evaluations.pdf"
SCAN = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"


def test_a_text_file_is_timed_by_stage_and_never_loads_an_engine():
    extractor = Extractor(engine_provider=UnavailableEngine)
    result = extractor.extract_file(TEXT)
    assert result.status == "done" and len(result.records) == 4 and result.ocr_pages == 0
    assert {"read", "grid", "forms", "validate", "total"} <= set(result.timings)
    assert result.timings["total"] >= result.timings["grid"] > 0


def test_a_scanned_page_has_its_grid_found_once(monkeypatch):
    calls = []
    real = extract.pipeline.find_tables

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(extract.pipeline, "find_tables", counting)
    monkeypatch.setattr(extract.grid.layout, "find_tables", counting)
    result = Extractor(engine_provider=FakeOcrEngine).extract_file(SCAN)
    assert result.ocr_pages == 5 and sorted(calls) == [1, 2, 3, 4, 5]
    assert {"render", "rules", "ocr", "grid"} <= set(result.timings)


def test_an_engine_that_cannot_start_fails_the_file_with_exit_4():
    result = Extractor(engine_provider=UnavailableEngine).extract_file(SCAN)
    assert result.status == "failed" and result.error_code == ExitCode.OCR_UNAVAILABLE
    assert "install them" in result.error


def test_a_bug_in_a_stage_is_an_internal_error_with_its_traceback():
    result = Extractor(engine_provider=CrashingEngine).extract_file(SCAN)
    assert result.status == "failed" and result.error_code == ExitCode.INTERNAL
    assert "internal error" in result.error and "please report it" in result.error
    assert "RuntimeError: segment fault in the fake recogniser" in result.traceback


def test_records_carry_how_each_page_was_read():
    result = Extractor(engine_provider=UnavailableEngine).extract_file(TEXT)
    for record in result.records:
        assert [r.page for r in record.source.reads] == record.source.pages
        assert {r.source for r in record.source.reads} == {"text_layer"}


def test_aliases_reviewers_saved_are_read_on_the_next_run(tmp_path):
    """A printed label and an indicator name taught in review map on the next run, without a flag."""
    import json

    from extract.settings import FormSettings, Settings
    from tests.forms.test_user_variant import FORM
    from tests.printing import print_form

    pdf = print_form(tmp_path / "county.pdf", FORM, ["财政项目支出绩效自评表", "（2025年度）"], col_width=62)
    before = Extractor().extract_file(pdf).records[0]
    assert before.project_name is None and before.indicators[0].name == "养护里程"
    learned = tmp_path / "vocabulary.user.json"
    learned.write_text(
        json.dumps(
            {
                "version": 1,
                "aliases": [
                    {
                        "kind": "label",
                        "printed": "项目全称",
                        "canonical": "project_name",
                        "form_type": "self_evaluation",
                    },
                    {"kind": "indicator", "printed": "养护里程", "canonical": "道路养护里程", "form_type": None},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    after = Extractor(Settings(forms=FormSettings(learned_vocabulary=str(learned)))).extract_file(pdf).records[0]
    assert after.project_name == "乡村道路养护经费" and after.indicators[0].name == "道路养护里程"
    assert {"project_name", "indicators[0].name"}.isdisjoint(item.field for item in after.review)
