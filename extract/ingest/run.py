"""Archive-scale ingestion: resumable, crash-safe, parallel, with progress.

Workers read files; the parent alone writes the store, one transaction per
file, as each finishes. records.jsonl is regenerated from the store at the end
of every run, written to a temporary file and renamed, so it never holds a
torn line. One run at a time holds the output folder (`lock`); an input that
cannot be listed or read is stored as failed with its reason; a full disk or a
store that goes away stops the run with its own exit code (`faults`), and the
next run resumes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extract.datamodel.result import FileResult
from extract.errors import ExitCode, ExtractError, UsageError
from extract.ingest.executors import get_executor
from extract.ingest.executors.base import Executor
from extract.ingest.faults import store_failure
from extract.ingest.inputs import InputFile, InputProblem, collect_inputs
from extract.ingest.lock import FolderLock
from extract.ingest.plan import failure_key, plan_jobs, problem_result
from extract.ingest.progress import LogReporter, Reporter
from extract.ingest.store import Store, sqlite_url
from extract.settings import Settings

RECORDS = "records.jsonl"
log = logging.getLogger(__name__)


def write_records_file(store: Store, out_dir: Path) -> tuple[Path, int]:
    """Regenerate records.jsonl from the store: temp file, fsync, atomic rename."""
    final = out_dir / RECORDS
    temp = out_dir / (RECORDS + ".tmp")
    count = 0
    try:
        with temp.open("w", encoding="utf-8") as handle:
            for record in store.records():
                handle.write(record.model_dump_json() + "\n")
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)  # the old records.jsonl stays whole
        raise
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
    items, problems = collect_inputs(list(paths), settings.limits)
    if not items and not problems:
        raise UsageError("no PDF or image files found under the given paths")
    url = db_url or sqlite_url(out_dir)
    with _classified(url, out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        with FolderLock(out_dir):
            store = Store(url)
            try:
                batch = _Batch(store, out_dir, settings, reporter, verbose)
                summary = batch.run(items, problems, run, workers, force)
            finally:
                store.close()
    summary.seconds = time.perf_counter() - start
    return summary


@contextlib.contextmanager
def _classified(url: str, out_dir: Path) -> Iterator[None]:
    """A full disk or a store that went away becomes an error with its own exit code; a bug stays a bug."""
    try:
        yield
    except ExtractError:
        raise
    except Exception as exc:
        problem = store_failure(exc, url, str(out_dir))
        if problem is None:
            raise
        raise problem from exc


@dataclass
class _Batch:
    store: Store
    out_dir: Path
    settings: Settings
    reporter: Reporter
    verbose: bool

    def run(
        self, items: list[InputFile], problems: list[InputProblem], run: Executor, workers: int, force: bool
    ) -> Summary:
        summary = Summary()
        first_seq = self.store.next_seq()
        plan = plan_jobs(items, self.store, force, self.settings.limits)
        # Inputs that could not be listed or read are stored too, each with its reason.
        seen: Counter[str] = Counter()  # two members of one name may fail apart: each keeps its row
        for n, result in enumerate([problem_result(p) for p in problems] + plan.unreadable):
            seen[result.path] += 1
            key = failure_key(result.path, seen[result.path])
            self.store.save(key, [result.path], result, seq=first_seq + len(items) + n)
            summary.count_failure(result.error_code)
            self.reporter.message(f"error: {result.error}")
            if self.verbose and result.traceback:
                self.reporter.message(result.traceback.rstrip())
        summary.skipped = len(plan.skipped)
        if self.verbose and plan.skipped:
            self.reporter.message(f"skipping {len(plan.skipped)} files already done (use --force to redo them)")
        self.reporter.start(len(plan.jobs))
        finished = False
        try:
            with contextlib.closing(run(plan.jobs, self.settings, workers)) as results:
                for job, result in results:
                    self.store.save(job.sha256, job.paths, result, seq=first_seq + job.order)
                    _report(result, summary, self.reporter, self.verbose)
            finished = True
        finally:
            self.reporter.close()
            try:
                summary.records_file, summary.records = write_records_file(self.store, self.out_dir)
            except Exception as exc:
                if finished:
                    raise  # classified by the caller: a full disk is an error of its own
                log.info("%s was not rewritten: %s", self.out_dir / RECORDS, exc)  # the run's own error is the message
        return summary
