"""Archive-scale ingestion: resumable, crash-safe, parallel, with progress.

Workers read files; the parent alone writes the store, one transaction per
file, as each finishes. records.jsonl is regenerated from the store at the end
of every run, written to a temporary file and renamed, so it never holds a
torn line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from extract.datamodel.result import FileResult
from extract.errors import ExitCode, UsageError
from extract.ingest.executors import get_executor
from extract.ingest.inputs import collect_inputs
from extract.ingest.plan import plan_jobs
from extract.ingest.progress import LogReporter, Reporter
from extract.ingest.store import Store, sqlite_url
from extract.settings import Settings

RECORDS = "records.jsonl"


def write_records_file(store: Store, out_dir: Path) -> tuple[Path, int]:
    """Regenerate records.jsonl from the store: temp file, fsync, atomic rename."""
    final = out_dir / RECORDS
    temp = out_dir / (RECORDS + ".tmp")
    count = 0
    with temp.open("w", encoding="utf-8") as handle:
        for record in store.records():
            handle.write(record.model_dump_json() + "\n")
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, final)
    return final, count


# A bug outranks a dead OCR engine or a missing extra (both stop every scan), which outrank a bad file.
_SEVERITY = {
    ExitCode.OK: 0,
    ExitCode.INPUT_FAILED: 1,
    ExitCode.USAGE: 2,
    ExitCode.OCR_UNAVAILABLE: 3,
    ExitCode.INTERNAL: 4,
}


@dataclass
class Summary:
    """What a run did; `exit_code` is the worst outcome among its files."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    forms: int = 0
    flagged: int = 0
    pages: int = 0
    seconds: float = 0.0
    records: int = 0
    records_file: Path | None = None
    exit_code: ExitCode = ExitCode.OK

    def count_failure(self, code: int) -> None:
        """A failed file; the run's exit code becomes the worst seen."""
        self.failed += 1
        outcome = code if code in _SEVERITY else ExitCode.INPUT_FAILED
        if _SEVERITY[outcome] > _SEVERITY[self.exit_code]:
            self.exit_code = ExitCode(outcome)


def _report(result: FileResult, summary: Summary, reporter: Reporter, verbose: bool) -> None:
    reporter.file_done(result)
    summary.pages += result.pages
    for warning in result.warnings:
        reporter.message(f"warning: {warning}")
    if result.status == "failed":
        summary.count_failure(result.error_code)
        reporter.message(f"error: {result.error}")
        if verbose and result.traceback:
            reporter.message(result.traceback.rstrip())
        return
    summary.done += 1
    summary.forms += len(result.records)
    summary.flagged += sum(len(r.review) for r in result.records)
    if verbose:
        for rec in result.records:
            for item in rec.review:
                reporter.message(f"  review {result.path} [{rec.project_name}] {item.field}: {item.reason}")


def run_ingest(
    paths: Iterable[str],
    out_dir: Path,
    settings: Settings,
    *,
    workers: int = 1,
    force: bool = False,
    db_url: str | None = None,
    executor: str = "local",
    reporter: Reporter | None = None,
    verbose: bool = False,
) -> Summary:
    """Ingest every input under `paths` into the store; the summary says what happened."""
    reporter = reporter or LogReporter()
    start = time.perf_counter()
    run = get_executor(executor)  # a missing optional dependency stops here, before any work
    items, problems = collect_inputs(list(paths))
    if not items and not problems:
        raise UsageError("no PDF or image files found under the given paths")
    out_dir.mkdir(parents=True, exist_ok=True)
    store = Store(db_url or sqlite_url(out_dir))
    summary = Summary()
    for problem in problems:
        summary.count_failure(ExitCode.INPUT_FAILED)
        reporter.message(f"error: {problem.reason}")
    plan = plan_jobs(items, store, force)
    summary.skipped = len(plan.skipped)
    for result in plan.unreadable:
        summary.count_failure(result.error_code)
        reporter.message(f"error: {result.error}")
    if verbose and plan.skipped:
        reporter.message(f"skipping {len(plan.skipped)} files already done (use --force to redo them)")
    reporter.start(len(plan.jobs))
    first_seq = store.next_seq()
    try:
        for job, result in run(plan.jobs, settings, workers):
            store.save(job.sha256, job.paths, result, seq=first_seq + job.order)
            _report(result, summary, reporter, verbose)
    finally:
        reporter.close()
        summary.records_file, summary.records = write_records_file(store, out_dir)
        store.close()
    summary.seconds = time.perf_counter() - start
    return summary
