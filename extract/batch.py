"""Archive-scale ingestion: resumable, crash-safe, parallel, with progress.

Inputs are identified by the SHA-256 of their bytes: a file already done is
skipped on the next run (unless forced), the same bytes under two names are
read once with both paths recorded. Workers read files; the parent alone
writes the store, one transaction per file, as each finishes. records.jsonl is
regenerated from the store at the end of every run, written to a temporary
file and renamed, so it never holds a torn line.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from extract.document import sha256_of
from extract.inputs import InputFile, collect_inputs
from extract.pipeline import Extractor, FileResult
from extract.settings import Settings
from extract.store import Store, sqlite_url

RECORDS = "records.jsonl"


@dataclass
class Job:
    sha256: str
    item: InputFile
    paths: list[str]
    order: int = 0  # position among this run's inputs: records.jsonl keeps input order


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def plan_jobs(items: list[InputFile], store: Store, force: bool) -> Plan:
    """Hash every input; group identical bytes; leave out what the store has done."""
    plan = Plan()
    by_sha: dict[str, Job] = {}
    done_before: list[Job] = []
    for item in items:
        try:
            digest = sha256_of(item.read_bytes())
        except OSError as exc:
            plan.unreadable.append((item.name, unreadable(item, exc).error))
            continue
        if digest in by_sha:
            by_sha[digest].paths.append(item.name)
            continue
        job = Job(digest, item, [item.name], order=len(by_sha))
        by_sha[digest] = job
        stored = store.file(digest)
        if stored is not None and stored.status == "done" and not force:
            plan.skipped.append(item.name)
            done_before.append(job)
            continue
        plan.jobs.append(job)
    # Paths of skipped files (and duplicates of them) are still recorded.
    for job in done_before:
        for path in job.paths:
            store.add_path(job.sha256, path)
    return plan


# --- workers -------------------------------------------------------------------

class _WorkerState:
    """Per-process state, set once by the pool initializer: one engine per worker."""

    extractor: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    import cv2
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    cv2.setNumThreads(1)  # the pool is the parallelism; threads inside would oversubscribe
    _WorkerState.extractor = Extractor(settings)


def _share_cores(settings: Settings, workers: int) -> Settings:
    """Give each of `workers` engines its share of the cores (at least one thread)."""
    if workers <= 1 or settings.ocr.threads:
        return settings
    threads = max(1, (os.cpu_count() or 1) // workers)
    return replace(settings, ocr=replace(settings.ocr, threads=threads))


def unreadable(item: InputFile, exc: OSError) -> FileResult:
    """The failed result of an input that could not even be read from disk."""
    return FileResult(item.name, status="failed", error=f"{item.name} cannot be read ({exc.strerror or exc}).")


def process_item(item: InputFile, extractor: Extractor) -> FileResult:
    try:
        data = item.read_bytes()
    except OSError as exc:
        return unreadable(item, exc)
    result = extractor.extract_file(Path(item.member or item.path), data)
    result.path = item.name
    return result


def _work(item: InputFile) -> FileResult:
    assert _WorkerState.extractor is not None, "worker not initialised"
    return process_item(item, _WorkerState.extractor)


Runner = Callable[[list[Job], Settings, int], Iterator[tuple[Job, FileResult]]]


def run_local(jobs: list[Job], settings: Settings, workers: int) -> Iterator[tuple[Job, FileResult]]:
    """Results as they finish; in-process for one worker, else a process pool."""
    if workers <= 1:
        extractor = Extractor(settings)
        for job in jobs:
            yield job, process_item(job.item, extractor)
        return
    # Keep at most two files in flight per worker: bounded memory on huge archives.
    settings = _share_cores(settings, workers)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(settings,)) as pool:
        pending = {}
        queue = iter(jobs)
        for job in queue:
            pending[pool.submit(_work, job.item)] = job
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                yield job, future.result()
                following = next(queue, None)
                if following is not None:
                    pending[pool.submit(_work, following.item)] = following


# --- progress ------------------------------------------------------------------

class Progress:
    """A bar on a terminal; plain log lines otherwise (CI logs, pipes)."""

    def __init__(self, total: int, quiet: bool, stream=sys.stderr) -> None:
        self.total, self.quiet, self.stream = total, quiet, stream
        self.files = self.pages = 0
        self.start = time.perf_counter()
        self.bar = None
        if not quiet and stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=stream, dynamic_ncols=True)

    def update(self, result: FileResult) -> None:
        self.files += 1
        self.pages += result.pages
        elapsed = time.perf_counter() - self.start
        rate = self.pages / elapsed if elapsed else 0.0
        left = (self.total - self.files) * elapsed / self.files if self.files else 0.0
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.pages} pages, {rate:.2f} pages/s")
            self.bar.update(1)
        elif not self.quiet:
            state = "ok" if result.status == "done" else "FAILED"
            print(f"[{self.files}/{self.total}] {state} {result.path}: {len(result.records)} forms, "
                  f"{result.pages} pages; {rate:.2f} pages/s, about {left:.0f}s left",
                  file=self.stream, flush=True)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- the run -------------------------------------------------------------------

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


@dataclass
class Summary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    forms: int = 0
    flagged: int = 0
    pages: int = 0
    seconds: float = 0.0


def run_ingest(paths: Iterable[str], out_dir: Path, settings: Settings, *, workers: int = 1,
               force: bool = False, db_url: str | None = None, executor: str = "local",
               quiet: bool = False, verbose: bool = False) -> int:
    start = time.perf_counter()
    items, problems = collect_inputs(list(paths))
    if not items and not problems:
        print("error: no PDF or image files found under the given paths", file=sys.stderr)
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    store = Store(db_url or sqlite_url(out_dir))
    summary = Summary(failed=len(problems))
    ocr_unavailable = False
    for problem in problems:
        print(f"error: {problem.reason}", file=sys.stderr)
    plan = plan_jobs(items, store, force)
    summary.skipped = len(plan.skipped)
    summary.failed += len(plan.unreadable)
    for _, reason in plan.unreadable:
        print(f"error: {reason}", file=sys.stderr)
    if verbose and plan.skipped:
        print(f"skipping {len(plan.skipped)} files already done (use --force to redo them)", file=sys.stderr)
    progress = Progress(len(plan.jobs), quiet)
    runner = _runner(executor)
    first_seq = store.next_seq()
    try:
        for job, result in runner(plan.jobs, settings, workers):
            store.save(job.sha256, job.paths, result.status, result.error, result.pages,
                       result.ocr_pages, result.timings, result.records, seq=first_seq + job.order)
            progress.update(result)
            summary.pages += result.pages
            for warning in result.warnings:
                progress.message(f"warning: {warning}")
            if result.status == "failed":
                summary.failed += 1
                ocr_unavailable |= result.error_code == 4
                progress.message(f"error: {result.error}")
                continue
            summary.done += 1
            summary.forms += len(result.records)
            summary.flagged += sum(len(r.review) for r in result.records)
            if verbose:
                for rec in result.records:
                    for item in rec.review:
                        progress.message(f"  review {result.path} [{rec.project_name}] {item.field}: "
                                         f"{item.reason}")
    finally:
        progress.close()
        final, count = write_records_file(store, out_dir)
        store.close()
    summary.seconds = time.perf_counter() - start
    if not quiet:
        rate = summary.pages / summary.seconds if summary.seconds else 0.0
        print(f"{summary.done} files done, {summary.failed} failed, {summary.skipped} skipped "
              f"(already done); {summary.forms} forms, {summary.flagged} fields to review; "
              f"{summary.pages} pages in {summary.seconds:.1f}s ({rate:.2f} pages/s); "
              f"{count} records in {final}", file=sys.stderr)
    if ocr_unavailable:
        return 4  # systemic: every scanned page will fail the same way until the engine is fixed
    return 1 if summary.failed else 0


def _runner(executor: str) -> Runner:
    if executor == "ray":
        from extract.ray_executor import run_ray

        return run_ray
    return run_local
