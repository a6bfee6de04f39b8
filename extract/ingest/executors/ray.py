"""Run ingestion on Ray: an actor pool keeps one loaded OCR engine per actor.

The driver reads each file and ships its bytes, so the cluster needs no shared
file system; results come back to the driver, which alone writes the store.
`RAY_ADDRESS` (e.g. ray://head:10001) joins an existing cluster; without it a
local Ray instance is started for the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import ray
from ray.util import ActorPool

from extract.datamodel.result import FileResult
from extract.ingest.executors.base import init_worker_process
from extract.ingest.plan import Job, unreadable
from extract.pipeline import Extractor
from extract.settings import Settings


class _Actor:
    def __init__(self, settings: Settings) -> None:
        init_worker_process()
        self.extractor = Extractor(settings)

    def run(self, index: int, name: str, suffix_name: str, data: bytes | None) -> tuple[int, FileResult | None]:
        if data is None:
            return index, None  # the driver could not read it, and reports it
        result = self.extractor.extract_file(Path(suffix_name), data)
        result.path = name
        return index, result


def run_ray(jobs: list[Job], settings: Settings, workers: int) -> Iterator[tuple[Job, FileResult]]:
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=os.environ.get("RAY_ADDRESS") or None,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    try:
        actor_class = ray.remote(num_cpus=1)(_Actor)
        # One core an actor: its engine runs one inference thread.
        settings = replace(settings, ocr=replace(settings.ocr, threads=settings.ocr.threads or 1))
        size = max(1, min(workers, len(jobs))) if jobs else 1
        pool = ActorPool([actor_class.remote(settings) for _ in range(size)])
        failed: list[tuple[Job, FileResult]] = []

        def submit(actor, job_index):
            job = jobs[job_index]
            try:
                data = job.item.read_bytes()
            except OSError as exc:
                # Still a call, so the pool's bookkeeping holds; the file is reported failed.
                failed.append((job, unreadable(job.item, exc)))
                data = None
            return actor.run.remote(job_index, job.item.name, job.item.member or job.item.path.name, data)

        for index, result in pool.map_unordered(submit, range(len(jobs))):
            if result is not None:
                yield jobs[index], result
        yield from failed
    finally:
        if started_here:
            ray.shutdown()
