"""The printed corpus (samples/corpus): its gold is right and its files are what they claim.

One small dev part is built once per session (two forms a printer, three
profiles); the checks read only the files it wrote, the way a benchmark would.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from models import FundsRow, Record
from samples.corpus import build_part
from samples.corpus.plan import plan_part
from samples.corpus.pools import canonical, fold, framework, pools_for
from samples.corpus.sheet import Cell, Sheet

PROFILES = ("text", "office", "bitonal")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> tuple[Path, list[Path]]:
    if not (shutil.which("chromium") and shutil.which("soffice")):
        # Not skipped quietly: the run says plainly that the corpus is NOT tested.
        pytest.fail("the corpus printers need chromium and LibreOffice (soffice): bash tests/setup-system.sh")
    out = tmp_path_factory.mktemp("corpus")
    return out / "dev", build_part("dev", out, profiles=PROFILES, n_forms=6)


def _gold(doc: Path) -> list[Record]:
    gold = doc.with_name(doc.name.rsplit(".", 1)[0] + ".gold.jsonl")
    return [Record.model_validate_json(line) for line in gold.read_text(encoding="utf-8").splitlines()]


def _texts(doc: Path) -> list[str]:
    with pymupdf.open(doc) as d:
        return [page.get_text("text") for page in d]


@pytest.mark.slow
@pytest.mark.browser
def test_every_document_and_its_gold_exist(corpus):
    root, docs = corpus
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(f["path"] for f in manifest["files"]) == sorted(str(d.relative_to(root)) for d in docs)
    assert {d.parent.parent.name for d in docs} == set(PROFILES)
    assert {d.parent.name for d in docs} == {"html", "xlsx", "docx"}
    assert sum(len(_gold(d)) for d in docs if d.parent.parent.name == "text") == manifest["forms"] == 6
    for doc in docs:
        assert doc.suffix == (".tif" if doc.parent.parent.name == "bitonal" else ".pdf")
        if doc.parent.parent.name != "text":
            assert doc.with_name(doc.stem + ".scan.json").exists()


@pytest.mark.slow
@pytest.mark.browser
def test_gold_source_names_the_file_its_hash_and_no_review(corpus):
    import hashlib

    for doc in corpus[1]:
        digest = hashlib.sha256(doc.read_bytes()).hexdigest()
        for rec in _gold(doc):
            assert rec.source.file == doc.name and rec.source.sha256 == digest
            assert rec.review == [] and rec.confidence == {}


def _check_sums(rec: Record) -> None:
    frame = framework()
    for ind in rec.indicators:
        assert ind.level2 in frame[ind.level1]
        assert ind.name == canonical(ind.name_raw)
    f = rec.funds
    if rec.form_type == "target_declaration":
        assert f.total == f.current_year_appropriation + f.carryover + f.other
        assert rec.planned_start <= rec.planned_end
        assert rec.planned_start[:4] == rec.planned_end[:4] == str(rec.year)
        return
    for row in (f.total, f.current_year_appropriation, f.carryover, f.other):
        assert isinstance(row, FundsRow)
        if row.annual_budget:
            assert abs(row.execution_rate - row.executed / row.annual_budget * 100) <= Decimal("0.05")
    assert f.total.weight == 10
    assert abs(f.total.score - min(f.total.execution_rate, 100) * f.total.weight / 100) <= Decimal("0.01")
    assert sum(i.weight for i in rec.indicators) == 90 and rec.total_weight == 100
    assert rec.total_score == f.total.score + sum(i.score for i in rec.indicators)
    assert all(i.score <= i.weight for i in rec.indicators)
    s = rec.total_score
    assert rec.grade == ("优" if s >= 90 else "良" if s >= 80 else "中" if s >= 60 else "差")


@pytest.mark.slow
@pytest.mark.browser
def test_gold_obeys_the_contracts_rules(corpus):
    for doc in corpus[1]:
        for rec in _gold(doc):
            assert 6 <= len(rec.indicators) <= 20
            _check_sums(rec)


@pytest.mark.slow
@pytest.mark.browser
def test_text_pdfs_have_a_text_layer_and_scans_none(corpus):
    for doc in corpus[1]:
        texts = _texts(doc)
        if doc.parent.parent.name == "text":
            assert all(t.strip() for t in texts), doc
        else:
            assert not any(t.strip() for t in texts), doc


@pytest.mark.slow
@pytest.mark.browser
def test_gold_pages_are_where_each_form_is_printed(corpus):
    root, docs = corpus
    for doc in (d for d in docs if d.parent.parent.name == "text"):
        texts = [fold(t) for t in _texts(doc)]
        previous_last = 0
        for rec in _gold(doc):
            pages = rec.source.pages
            assert pages == list(range(pages[0], pages[-1] + 1)) and pages[-1] <= len(texts)
            assert pages[0] >= previous_last  # document order; a form may start mid-page
            holding = [p for p, t in enumerate(texts, 1) if fold(rec.project_name) in t]
            # A title may be left alone at the foot of a page: the name is then on the next.
            assert holding and holding[0] in pages[:2] and set(holding) <= set(pages), (doc, rec.project_name)
            previous_last = pages[-1]
        for profile in PROFILES[1:]:
            suffix = ".tif" if profile == "bitonal" else ".pdf"
            scan = root / profile / doc.parent.name / (doc.stem + suffix)
            with pymupdf.open(scan) as d:
                assert d.page_count == len(texts)
            assert [r.source.pages for r in _gold(scan)] == [r.source.pages for r in _gold(doc)]


def test_parts_share_no_content_pools():
    dev, sealed = pools_for("dev"), pools_for("sealed")
    assert not set(dev.regions) & set(sealed.regions)
    assert not {b.province_name for b in dev.bureaus} & {b.province_name for b in sealed.bureaus}
    assert not {t for b in dev.bureaus for t in b.topics} & {t for b in sealed.bureaus for t in b.topics}
    assert not {n for v in dev.invented.values() for n in v} & {n for v in sealed.invented.values() for n in v}
    assert not set(dev.goal_sentences) & set(sealed.goal_sentences)


def test_plans_are_deterministic_and_parts_differ():
    one, two = plan_part("dev", 6), plan_part("dev", 6)
    assert [r.model_dump() for p in one for r in p.records] == [r.model_dump() for p in two for r in p.records]
    sealed = {r.project_name for p in plan_part("sealed", 6) for r in p.records}
    assert not sealed & {r.project_name for p in one for r in p.records}


def test_sheet_rejects_overlapping_cells_and_headers_that_span_out():
    with pytest.raises(ValueError, match="overlap"):
        Sheet(widths=[1, 1], cells=[Cell(0, 0, "a", colspan=2), Cell(0, 1, "b")]).validate()
    with pytest.raises(ValueError, match="header band"):
        Sheet(
            widths=[1, 1], cells=[Cell(0, 0, "a", rowspan=2), Cell(0, 1, "h"), Cell(1, 1, "x")], header_rows=[0]
        ).validate()
