"""Planning a batch: identical bytes read once, done files skipped, unreadable ones reported."""

from __future__ import annotations

import shutil

from extract.datamodel.result import FileResult
from extract.ingest.inputs import collect_inputs
from extract.ingest.plan import plan_jobs
from extract.ingest.store import Store, sqlite_url
from tests.conftest import SAMPLES

GOOD = SAMPLES / "text" / "seed_003_self_evaluations.pdf"


def test_same_bytes_are_one_job_and_done_files_are_skipped(tmp_path):
    for name in ("a.pdf", "b.pdf"):
        shutil.copy(GOOD, tmp_path / name)
    store = Store(sqlite_url(tmp_path))
    items, _ = collect_inputs([tmp_path])
    (job,) = plan_jobs(items, store, force=False).jobs
    assert [p.rsplit("/", 1)[-1] for p in job.paths] == ["a.pdf", "b.pdf"]
    store.save(job.sha256, job.paths, FileResult(job.paths[0]), seq=1)
    again = plan_jobs(items, store, force=False)
    assert again.jobs == [] and len(again.skipped) == 1
    assert len(plan_jobs(items, store, force=True).jobs) == 1
    store.close()


def test_a_file_that_vanishes_before_hashing_is_reported(tmp_path):
    shutil.copy(GOOD, tmp_path / "gone.pdf")
    items, _ = collect_inputs([tmp_path])
    (tmp_path / "gone.pdf").unlink()
    store = Store(sqlite_url(tmp_path))
    plan = plan_jobs(items, store, force=False)
    (failed,) = plan.unreadable
    assert failed.status == "failed" and "cannot be read" in failed.error and failed.error_code == 1
    store.close()
