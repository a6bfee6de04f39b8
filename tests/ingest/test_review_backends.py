"""The review loop end to end on SQLite and on a real PostgreSQL: decide, undo, --force re-ingest, export."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from extract.ingest.decisions import StaleDecision, decide, undo
from extract.ingest.export import export_changes
from extract.ingest.review_queue import review_items, review_stats, sample_unflagged
from extract.ingest.run import run_ingest
from extract.ingest.store import Store, sqlite_url
from extract.ingest.tables import review_audit
from extract.settings import FormSettings, Settings
from tests.conftest import SAMPLES
from tests.ingest.conftest import new_database
from tests.ingest.test_incremental_export import _changed_definitions

TEXT = SAMPLES / "text"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in (path / "records.jsonl").read_text(encoding="utf-8").splitlines()]


def review_loop(url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_ingest([str(TEXT)], out, Settings(), workers=1, db_url=url)
    store = Store(url)
    cursor = export_changes(store, "jsonl", tmp_path / "e0").cursor
    evaluation = next(r for r in store.records() if r.form_type == "self_evaluation")
    record_id = evaluation.record_id
    # Two reviewers at once on two fields of one record: both decisions land, neither is lost.
    threads = [
        threading.Thread(target=decide, args=(store, record_id, field, "correct", value, who, 1.0, 0))
        for field, value, who in (("goal", "改正的目标", "alice"), ("grade", "良", "bob"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = store.record(record_id)
    assert (both.goal, both.grade, both.revision) == ("改正的目标", "良", 3)
    with pytest.raises(StaleDecision) as stale:
        decide(store, record_id, "goal", "confirm", None, "carol", 1.0, 0)
    assert stale.value.decided_by == "alice"
    result = export_changes(store, "jsonl", tmp_path / "e1", since=cursor)
    (line,) = _lines(tmp_path / "e1")
    assert line["record_id"] == record_id and line["revision"] == 3 and line["goal"] == "改正的目标"
    grade = next(a for a in store.rows(review_audit) if a["field"] == "grade")
    undone = undo(store, grade["id"], "bob")
    assert store.record(record_id).grade == evaluation.grade and undone.revision == 4
    store.close()
    # Re-ingested with --force, reading the same: the correction stays, nothing changes.
    run_ingest([str(TEXT)], out, Settings(), workers=1, db_url=url, force=True)
    store = Store(url)
    kept = store.record(record_id)
    assert kept.goal == "改正的目标" and kept.revision == 4
    assert export_changes(store, "jsonl", tmp_path / "e2", since=result.cursor).upserts == 1  # the undo only
    store.close()
    # Re-ingested with --force under definitions that read the goal otherwise: still corrected, flagged.
    other = Settings(forms=FormSettings(definition_dirs=(str(_changed_definitions(tmp_path / "defs")),)))
    run_ingest([str(TEXT / "seed_003_self_evaluations.pdf")], out, other, workers=1, db_url=url, force=True)
    store = Store(url)
    flagged = store.record(record_id)
    item = next(i for i in flagged.review if i.field == "goal")
    assert flagged.goal == "改正的目标" and item.status == "open" and "by alice" in item.reason
    assert "now reads blank" in item.reason and flagged.revision == 5
    queued = review_items(store, field="goal")
    assert record_id in {i.record_id for i in queued}
    assert "改正的目标" in (out / "records.jsonl").read_text(encoding="utf-8")
    chosen = sample_unflagged(store, 0.01, seed=5)
    assert chosen and review_stats(store).sample_open == len(chosen)
    store.close()


@pytest.mark.slow
def test_the_review_loop_on_sqlite(tmp_path):
    (tmp_path / "out").mkdir()
    review_loop(sqlite_url(tmp_path / "out"), tmp_path)


@pytest.mark.postgres
@pytest.mark.slow
def test_the_review_loop_on_postgresql(postgres_url, tmp_path):
    review_loop(new_database(postgres_url, "review_loop"), tmp_path)
