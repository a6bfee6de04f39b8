"""Saving a file again upserts its records by id: a revision where the content changed, tombstones for forms gone."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from extract.datamodel.result import FileResult
from extract.ingest.revisions import changed_fields, history
from extract.ingest.store import Store, sqlite_url
from extract.ingest.tables import changes, forms, record_revisions
from tests.ingest.conftest import reread, save_all


def _revisions(store: Store) -> dict[str, int]:
    return {r["record_id"]: r["revision"] for r in store.rows(forms)}


def test_a_re_read_that_reads_the_same_leaves_every_revision_alone(sample_results, tmp_path):
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results)
    before = store.rows(forms)
    assert {r["revision"] for r in before} == {1} and len(before) == 11
    again = reread(sample_results[0])
    for record in again.records:  # volatile: confidences jitter, the same bytes seen under another name
        record.confidence = {k: v * 0.99 for k, v in record.confidence.items()}
        record.source.file = "renamed.pdf"
    store.save(again.sha256, ["renamed.pdf"], again, seq=9)
    assert store.rows(forms) == before
    assert len(store.rows(changes)) == 11 and len(store.rows(record_revisions)) == 11
    store.close()


def test_a_re_read_that_reads_differently_is_a_new_revision_and_the_old_one_is_kept(sample_results, tmp_path):
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results)
    declarations = sample_results[0]
    again = reread(declarations)
    again.records[2].project_name = "改读的项目名称"
    store.save(again.sha256, [again.path], again, seq=1)
    record_id = f"{declarations.sha256}:2"
    revisions = _revisions(store)
    assert revisions.pop(record_id) == 2 and set(revisions.values()) == {1}
    stored = store.record(record_id)
    assert stored.revision == 2 and stored.updated_at and stored.project_name == "改读的项目名称"
    with store.reading() as conn:
        kept = history(conn, record_id)
    assert [(r.revision, r.why) for r in kept] == [(1, "extracted"), (2, "re-read")]
    assert kept[0].record.project_name == declarations.records[2].project_name
    (change,) = changed_fields(kept[0].record, kept[1].record)
    assert change.field == "project_name" and change.new == "改读的项目名称"
    store.close()


def test_a_file_read_into_fewer_forms_leaves_tombstones_and_revisions_never_go_back(sample_results, tmp_path):
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results)
    declarations = sample_results[0]
    fewer = reread(declarations, keep=5)
    store.save(fewer.sha256, [fewer.path], fewer, seq=1)
    ids = [f"{declarations.sha256}:{i}" for i in (5, 6)]
    assert len(store.rows(forms)) == 9 and all(store.record(i) is None for i in ids)
    stones = [c for c in store.rows(changes) if c["kind"] == "tombstone"]
    assert sorted((c["record_id"], c["revision"]) for c in stones) == [(ids[0], 2), (ids[1], 2)]
    with store.reading() as conn:
        gone = history(conn, ids[0])
    assert [r.why for r in gone] == ["extracted", "deleted"] and gone[-1].record.project_name
    # Read into all its forms again: the record comes back with a higher revision than its deletion.
    store.save(declarations.sha256, [declarations.path], declarations, seq=1)
    assert store.record(ids[0]).revision == 3
    assert store.file(declarations.sha256).status == "done"
    store.close()


def test_a_failed_re_read_keeps_the_stored_records(sample_results, tmp_path):
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results)
    evaluations = sample_results[1]
    failed = FileResult(evaluations.path, evaluations.sha256)
    failed.fail("the OCR engine could not start", 4)
    store.save(failed.sha256, [failed.path], failed, seq=2)
    assert store.file(evaluations.sha256).status == "failed"
    assert len(store.rows(forms)) == 11 and set(_revisions(store).values()) == {1}
    assert not [c for c in store.rows(changes) if c["kind"] == "tombstone"]
    store.close()


def test_a_store_made_before_revisions_gets_its_history_when_opened(sample_results, tmp_path):
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results)
    store.close()
    with sqlite3.connect(tmp_path / "filings.sqlite") as conn:  # as an older version left it
        conn.execute("drop table changes")
        conn.execute("drop table record_revisions")
        conn.execute("update forms set revision = null")
    store = Store(sqlite_url(tmp_path))
    assert len(store.rows(changes)) == 11 and set(_revisions(store).values()) == {1}
    assert all(r.record_id for r in store.records())
    store.close()


def test_an_amount_read_differently_is_a_change(sample_results, tmp_path):
    store = Store(sqlite_url(tmp_path))
    save_all(store, sample_results[:1])
    again = reread(sample_results[0])
    again.records[0].funds.total = Decimal(str(again.records[0].funds.total)) + Decimal("0.01")
    store.save(again.sha256, [again.path], again, seq=1)
    assert sorted(_revisions(store).values()) == [1] * 6 + [2]
    store.close()
