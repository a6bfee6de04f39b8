"""filing-extract inspect draws what each stage saw, and says the same in JSON."""

from __future__ import annotations

import json

import pymupdf

from extract.inspect.draw import inspect_file
from extract.pipeline import Extractor
from tests.conftest import SAMPLES
from tests.fakes import FakeOcrEngine


def test_a_text_page_is_drawn_with_its_cells_fields_and_facts(tmp_path):
    pdf = SAMPLES / "text" / "seed_003_self_evaluations.pdf"
    result, layouts = Extractor().extract_with_layouts(pdf)
    with pymupdf.open(pdf) as doc:
        (drawing,) = inspect_file(doc, result, layouts, tmp_path, pages=[1])
    assert drawing.png.stat().st_size > 20_000
    facts = json.loads(drawing.facts.read_text(encoding="utf-8"))
    assert facts["page"] == 1 and facts["read"]["source"] == "text_layer"
    cells = facts["tables"][0]["cells"]
    assert {"row": 0, "col": 1} in [
        {"row": c["row"], "col": c["col"]} for c in cells if c["text"] == "合作交流工作业务费"
    ]
    assert facts["fields"]["project_name"] == result.records[0].provenance["project_name"].box


def test_a_scanned_page_is_drawn_straightened_with_its_ocr_lines(tmp_path):
    pdf = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"
    extractor = Extractor(engine_provider=FakeOcrEngine)
    result, layouts = extractor.extract_with_layouts(pdf)
    assert result.status == "failed"  # the fake engine reads no titles: still drawn, to show why
    with pymupdf.open(pdf) as doc:
        drawings = inspect_file(doc, result, layouts, tmp_path, pages=[2, 3])
    assert [d.page for d in drawings] == [2, 3]
    facts = json.loads(drawings[1].facts.read_text(encoding="utf-8"))
    assert facts["read"]["source"] == "ocr" and facts["read"]["skew_degrees"] is not None
    assert any(c["text"] == "字" for c in facts["tables"][0]["cells"])
