"""Review decisions in the store: typed corrections, optimistic concurrency, the audit trail, undo, bulk."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from extract.ingest.decisions import ReviewError, StaleDecision, UnknownItem, bulk_confirm, decide, undo
from extract.ingest.review_queue import decisions_of
from extract.ingest.revisions import history
from extract.ingest.store import Store
from extract.ingest.tables import changes, corrections, funds, review, review_audit
from tests.ingest.conftest import store_copy


@pytest.fixture
def store(flagged_template, tmp_path):
    made = store_copy(flagged_template, tmp_path / "store")
    yield made
    made.close()


def _id(result, index: int) -> str:
    return f"{result.sha256}:{index}"


def _version(store: Store, record_id: str, field: str) -> int:
    """The item's version as a review page would have it (0: no item)."""
    rows = [r for r in store.rows(review) if (r["record_id"], r["field"]) == (record_id, field)]
    return rows[0]["version"] if rows else 0


def test_a_correction_is_parsed_by_type_stored_as_a_revision_and_audited(store, sample_results):
    record_id = _id(sample_results[0], 1)
    before = store.record(record_id)
    decision = decide(store, record_id, "funds.total", "correct", "1,234.50", "alice", 12.5, expected_version=0)
    after = store.record(record_id)
    assert after.funds.total == Decimal("1234.50") and after.revision == 2 == decision.revision
    item = next(i for i in after.review if i.field == "funds.total")
    assert (item.status, item.decided_by, item.sample) == ("corrected", "alice", False)
    assert json.loads(item.extracted) == str(before.funds.total) and item.decided_at == decision.decided_at
    (row,) = [r for r in store.rows(funds) if r["record_id"] == record_id and r["line"] == "total"]
    assert row["amount"] == "1234.50"  # the flattened tables follow the record
    (audit,) = store.rows(review_audit)
    assert audit["reviewer"] == "alice" and audit["action"] == "correct" and audit["seconds"] == 12.5
    assert audit["field"] == "funds.total" and json.loads(audit["old_value"]) == str(before.funds.total)
    assert json.loads(audit["new_value"]) == "1234.50" and audit["engine"] == "text_layer"
    assert audit["confidence"] == pytest.approx(before.confidence["funds.total"])
    assert audit["item_version"] == decision.version > 0 and audit["revision"] == 2
    with store.reading() as conn:
        assert [r.why for r in history(conn, record_id)] == ["extracted", "corrected"]
    (kept,) = store.rows(corrections)
    assert (kept["field"], kept["action"], kept["value"]) == ("funds.total", "correct", '"1234.50"')


PARSED = [
    ("planned_start", "2024年3月1日", "2024-03-01"),
    ("year", " 2023 ", 2023),
    ("project_name", "  新的名称 ", "新的名称"),
    ("funds.unit", "万元", "万元"),
    ("indicators[0].target", "≥95%", "≥95%"),
    ("goal", "", None),
]
REFUSED = [
    ("funds.total", "12,34", ReviewError),
    ("funds.total", "1.123456789", ReviewError),  # more places than the exports' decimals hold
    ("planned_end", "2024-02-30", ReviewError),
    ("funds.unit", "美元", ReviewError),
    ("year", "二〇二四", ReviewError),
    ("indicators[99].target", "1", UnknownItem),
    ("no_such_field", "1", UnknownItem),
    ("indicators[0", "1", ReviewError),
]


def test_values_are_parsed_by_the_field_type(store, sample_results):
    record_id = _id(sample_results[0], 0)
    for field, text, want in PARSED:
        decide(store, record_id, field, "correct", text, "alice", 1.0, _version(store, record_id, field))
        node = json.loads(store.record(record_id).model_dump_json())
        for step in field.replace("[", ".").replace("]", "").split("."):
            node = node[int(step)] if step.isdigit() else node[step]
        assert node == want, field


def test_a_value_that_does_not_parse_is_refused_and_nothing_changes(store, sample_results):
    record_id = _id(sample_results[0], 0)
    for field, text, error in REFUSED:
        with pytest.raises(error):
            decide(store, record_id, field, "correct", text, "alice", 1.0, 0)
    assert store.record(record_id).revision == 1 and not store.rows(review_audit)


def test_a_group_of_fields_cannot_be_set_as_one_value(store, sample_results):
    with pytest.raises(ReviewError, match="group"):
        decide(store, _id(sample_results[1], 0), "funds.total", "correct", "1", "alice", 1.0, 0)


def test_a_decision_on_an_older_version_is_stale_and_says_who_decided(store, sample_results):
    record_id = _id(sample_results[0], 2)
    seen = _version(store, record_id, "project_name")
    first = decide(store, record_id, "project_name", "correct", "甲", "alice", 3.0, seen)
    with pytest.raises(StaleDecision) as stale:
        decide(store, record_id, "project_name", "confirm", None, "bob", 2.0, seen)
    assert stale.value.decided_by == "alice" and stale.value.version == first.version
    assert stale.value.current.status == "corrected"
    second = decide(store, record_id, "project_name", "correct", "乙", "bob", 2.0, first.version)
    item = next(i for i in store.record(record_id).review if i.field == "project_name")
    original = sample_results[0].records[2].project_name
    assert item.decided_by == "bob" and json.loads(item.extracted) == original  # still what the file reads
    assert second.version > first.version and second.revision == 3
    with pytest.raises(UnknownItem):
        decide(store, "nope:0", "project_name", "confirm", None, "bob", 1.0, 0)


def test_confirming_keeps_the_value_and_a_correction_back_to_the_read_is_a_confirmation(store, sample_results):
    record_id = _id(sample_results[0], 3)
    original = store.record(record_id).project_name
    seen = _version(store, record_id, "project_name")
    confirmed = decide(store, record_id, "project_name", "confirm", None, "carol", 1.0, seen)
    assert confirmed.status == "confirmed" and store.record(record_id).project_name == original
    item = next(i for i in store.record(record_id).review if i.field == "project_name")
    assert item.extracted is None and item.decided_by == "carol"
    back = decide(store, record_id, "project_name", "correct", original, "carol", 1.0, confirmed.version)
    assert back.status == "confirmed"


def test_undo_restores_the_value_the_item_and_the_kept_decision(store, sample_results):
    record_id = _id(sample_results[0], 4)
    original = store.record(record_id).project_name
    made = decide(
        store, record_id, "project_name", "correct", "改后", "alice", 5.0, _version(store, record_id, "project_name")
    )
    undone = undo(store, made.audit_id, "bob")
    record = store.record(record_id)
    item = next(i for i in record.review if i.field == "project_name")
    assert record.project_name == original and record.revision == 3
    assert (item.status, item.decided_by, item.extracted) == ("open", None, None)
    assert not store.rows(corrections)
    audit = {r["id"]: r for r in store.rows(review_audit)}
    assert audit[undone.audit_id]["action"] == "undo" and audit[undone.audit_id]["undoes"] == made.audit_id
    assert audit[undone.audit_id]["reviewer"] == "bob"
    with store.reading() as conn:
        assert [r.why for r in history(conn, record_id)] == ["extracted", "corrected", "undone"]
    trail = decisions_of(store, record_id, "project_name")
    assert [(a["id"], a["action"]) for a in trail] == [(made.audit_id, "correct"), (undone.audit_id, "undo")]
    redone = undo(store, undone.audit_id, "alice")  # undoing the undo makes the correction again
    assert store.record(record_id).project_name == "改后" and redone.status == "corrected"
    assert len(store.rows(corrections)) == 1
    with pytest.raises(StaleDecision):
        undo(store, made.audit_id, "bob")  # decided again since: undo would clobber it


def test_undo_of_a_decision_on_an_unflagged_field_removes_the_item(store, sample_results):
    record_id = _id(sample_results[0], 0)
    made = decide(store, record_id, "goal", "correct", "新目标", "alice", 1.0, 0)
    gone = undo(store, made.audit_id, "alice")
    assert gone.status is None and gone.version == 0
    assert "goal" not in {i.field for i in store.record(record_id).review}


def test_bulk_confirm_accepts_a_field_across_records_each_through_the_audit_trail(store, sample_results):
    evaluations = sample_results[1].records
    value = evaluations[0].indicators[0].level2
    want = sum(1 for r in evaluations for row in (0, 1) if r.indicators[row].level2 == value)
    assert want >= 2
    before = len(store.rows(changes))
    count = bulk_confirm(store, "indicators[*].level2", "dave", value=value, seconds=8.0)
    assert count == want
    audit = store.rows(review_audit)
    assert len(audit) == want and {a["action"] for a in audit} == {"bulk_confirm"}
    assert sum(a["seconds"] for a in audit) == pytest.approx(8.0)
    assert len(store.rows(changes)) == before + want
    confirmed = [r for r in store.rows(review) if r["status"] == "confirmed"]
    assert len(confirmed) == want and {r["decided_by"] for r in confirmed} == {"dave"}
    pairs = [(_id(sample_results[0], 0), "project_name"), (_id(sample_results[0], 1), "project_name")]
    assert bulk_confirm(store, pairs, "erin") == 2
    assert bulk_confirm(store, pairs, "erin") == 0  # no longer open
