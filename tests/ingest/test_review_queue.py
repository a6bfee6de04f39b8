"""The review queue: items across the store, a QA sample and its error rate, decisions kept across re-reads."""

from __future__ import annotations

import csv
import json

import pytest

from extract.ingest.aliases import USER_VOCABULARY, load_user_vocabulary, save_alias
from extract.ingest.decisions import decide
from extract.ingest.export import export
from extract.ingest.review_queue import review_items, review_stats, sample_unflagged, wilson
from extract.ingest.store import Store, sqlite_url
from extract.ingest.tables import changes, review
from tests.ingest.conftest import flagged, reread, save_all, store_copy


@pytest.fixture
def store(flagged_template, tmp_path):
    made = store_copy(flagged_template, tmp_path / "store")
    yield made
    made.close()


def test_review_items_lists_open_items_least_confident_first_and_filters_them(store, sample_results):
    items = review_items(store)
    assert len(items) == 7 + 4 * 2
    assert [i.confidence for i in items] == sorted(i.confidence for i in items)
    first = items[0]
    assert (first.field, first.status, first.form_type) == ("project_name", "open", "target_declaration")
    assert first.path.endswith("seed_000_declarations.pdf") and first.sha256 == sample_results[0].sha256
    assert json.loads(first.value) == sample_results[0].records[0].project_name and first.version > 0
    assert len(review_items(store, form_type="self_evaluation")) == 8
    assert len(review_items(store, field="indicators[*].level2")) == 8
    assert len(review_items(store, field="indicators[1].level2")) == 4
    assert len(review_items(store, reason="CUT")) == 7
    assert len(review_items(store, file="seed_003")) == 8
    assert len(review_items(store, file=sample_results[0].sha256)) == 7
    assert [i.field for i in review_items(store, limit=2, offset=7)] == ["indicators[0].level2", "indicators[1].level2"]
    decide(store, first.record_id, first.field, "confirm", None, "alice", 1.0, first.version)
    assert len(review_items(store)) == 14 and len(review_items(store, status="confirmed")) == 1
    assert len(review_items(store, status=None)) == 15


def test_a_qa_sample_of_unflagged_fields_and_its_error_rate(store, sample_results, tmp_path):
    before = len(store.rows(changes))
    chosen = sample_unflagged(store, 0.02, seed=11)
    assert 10 < len(chosen) < 60 and len(set(chosen)) == len(chosen)
    items = review_items(store, sample=True)
    assert {(i.record_id, i.field) for i in items} == set(chosen)
    assert all(i.reason.startswith("QA sample") and i.page for i in items)
    assert len(store.rows(changes)) == before + len({r for r, _ in chosen})  # a 'sampled' revision a record
    (tmp_path / "other").mkdir()
    other = Store(sqlite_url(tmp_path / "other"))
    save_all(other, flagged(sample_results))
    assert sample_unflagged(other, 0.02, seed=11) == chosen  # the same store and seed draw the same fields
    other.close()
    wrong, right = items[:2], items[2:7]
    for item in wrong:
        decide(store, item.record_id, item.field, "correct", "改正值", "qa", 4.0, item.version)
    for item in right:
        decide(store, item.record_id, item.field, "confirm", None, "qa", 2.0, item.version)
    stats = review_stats(store)
    assert stats.sample_checked == 7 and stats.sample_wrong == 2 and stats.sample_open == len(chosen) - 7
    assert stats.error_rate == pytest.approx(2 / 7)
    assert stats.interval == pytest.approx(wilson(2, 7)) and stats.interval[0] < 2 / 7 < stats.interval[1]
    assert stats.by_status == {"open": 15 + len(chosen) - 7, "confirmed": 5, "corrected": 2}
    with pytest.raises(ValueError):
        sample_unflagged(store, 0, seed=1)


def test_the_wilson_interval():
    low, high = wilson(1, 10)
    assert low == pytest.approx(0.0179, abs=1e-4) and high == pytest.approx(0.4042, abs=1e-4)
    assert wilson(0, 50)[0] == 0.0 and 0.05 < wilson(0, 50)[1] < 0.08


def test_re_reading_a_file_keeps_its_decisions_and_flags_where_it_now_reads_otherwise(store, sample_results):
    declarations = flagged(sample_results)[0]
    record_id = f"{declarations.sha256}:5"
    original = declarations.records[5].project_name
    item = next(i for i in review_items(store, file=declarations.sha256) if i.record_id == record_id)
    decide(store, record_id, "project_name", "correct", "改正的名称", "alice", 3.0, item.version)
    decide(store, record_id, "goal", "confirm", None, "alice", 1.0, 0)
    revision = store.record(record_id).revision
    store.save(declarations.sha256, [declarations.path], declarations, seq=1)  # read again, the same
    kept = store.record(record_id)
    assert kept.project_name == "改正的名称" and kept.revision == revision
    statuses = {i.field: (i.status, i.decided_by) for i in kept.review}
    assert statuses["project_name"] == ("corrected", "alice") and statuses["goal"] == ("confirmed", "alice")
    # A newer read gives another name: the correction is still shown, and flagged with both values.
    again = reread(declarations)
    again.records[5].project_name = "另一种读法"
    again.records[5].goal = "另一个目标"
    store.save(again.sha256, [again.path], again, seq=1)
    now = store.record(record_id)
    assert now.project_name == "改正的名称" and now.goal == "另一个目标" and now.revision == revision + 1
    items = {i.field: i for i in now.review}
    assert items["project_name"].status == "open" and json.loads(items["project_name"].extracted) == "另一种读法"
    reason = items["project_name"].reason
    assert "corrected to 改正的名称" in reason and "by alice" in reason and "now reads 另一种读法" in reason
    assert items["goal"].status == "open" and "confirmed as" in items["goal"].reason
    # Confirming the correction over the new read settles it: the same read again changes nothing.
    version = next(i.version for i in review_items(store) if (i.record_id, i.field) == (record_id, "project_name"))
    settled = decide(store, record_id, "project_name", "confirm", None, "bob", 2.0, version)
    assert settled.status == "corrected" and store.record(record_id).project_name == "改正的名称"
    before = len(store.rows(changes))
    store.save(again.sha256, [again.path], again, seq=1)
    project = next(i for i in store.record(record_id).review if i.field == "project_name")
    assert project.status == "corrected" and json.loads(project.extracted) == "另一种读法"
    assert len(store.rows(changes)) == before
    assert original != "改正的名称"


def test_corrections_flow_into_records_and_every_export(store, sample_results, tmp_path):
    record_id = f"{sample_results[0].sha256}:0"
    item = review_items(store, file=sample_results[0].sha256)[0]
    decide(store, record_id, "project_name", "correct", "=改正(不是公式)", "alice", 3.0, item.version)
    (jsonl,) = export(store, "jsonl", tmp_path / "jsonl")
    line = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
    assert line["project_name"] == "=改正(不是公式)" and line["revision"] == 2
    decided = next(i for i in line["review"] if i["field"] == "project_name")
    assert decided["status"] == "corrected" and decided["decided_by"] == "alice"
    export(store, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "forms.csv").open(encoding="utf-8-sig", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert first["project_name 项目名称"] == "'=改正(不是公式)"  # escaped for spreadsheets
    with (tmp_path / "csv" / "review.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["record_id 记录编号"] == record_id]
    assert rows[0]["status 核定状态"] == "corrected" and rows[0]["decided_by 核定人"] == "alice"
    assert {r["status"] for r in store.rows(review)} == {"open", "corrected"}


def test_learned_aliases_go_to_a_user_vocabulary_beside_the_store(tmp_path):
    path = save_alias(tmp_path, "indicator", "服务对象满意度度", "服务对象满意度", None, "alice")
    save_alias(tmp_path, "label", "项目全称", "project_name", "self_evaluation", "bob")
    save_alias(tmp_path, "indicator", "服务对象满意度度", "服务对象满意度指标", None, "carol")  # replaces the first
    assert path == tmp_path / USER_VOCABULARY
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == load_user_vocabulary(tmp_path) and data["version"] == 1
    assert [(a["kind"], a["printed"], a["canonical"], a["form_type"], a["added_by"]) for a in data["aliases"]] == [
        ("label", "项目全称", "project_name", "self_evaluation", "bob"),
        ("indicator", "服务对象满意度度", "服务对象满意度指标", None, "carol"),
    ]
    with pytest.raises(ValueError):
        save_alias(tmp_path, "unit", "元", "元")
