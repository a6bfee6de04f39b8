"""Local executor: in-process for one worker, else a pool of worker processes.

Each worker builds its Extractor (and OCR engine) once, in the pool's
initializer; at most two files are in flight per worker, so memory stays
bounded on huge archives.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from extract.datamodel.result import FileResult
from extract.ingest.executors.base import init_worker_process, share_cores
from extract.ingest.inputs import InputFile
from extract.ingest.plan import Job, unreadable
from extract.pipeline import Extractor
from extract.settings import Settings


class _WorkerState:
    """Per-process state, set once by the pool initializer: one engine per worker."""

    extractor: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    init_worker_process()
    _WorkerState.extractor = Extractor(settings)


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


def run_local(jobs: list[Job], settings: Settings, workers: int) -> Iterator[tuple[Job, FileResult]]:
    """Results as they finish."""
    if workers <= 1:
        extractor = Extractor(settings)
        for job in jobs:
            yield job, process_item(job.item, extractor)
        return
    settings = share_cores(settings, workers)
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
