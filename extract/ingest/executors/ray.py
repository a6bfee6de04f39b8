"""Run ingestion on Ray: an actor pool keeps one loaded OCR engine per actor.

The driver reads each file and ships its bytes, so the cluster needs no shared
file system; results come back to the driver, which alone writes the store.
`RAY_ADDRESS` (e.g. ray://head:10001) joins an existing cluster; without it a
local Ray instance is started for the run. An actor never raises: a file it
cannot read comes back as a failed result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

import ray
from ray.util import ActorPool

from extract.datamodel.result import FileResult
from extract.ingest.executors.base import init_worker_process
from extract.ingest.executors.worker import process_item
from extract.ingest.inputs import InputFile
from extract.ingest.plan import Job, unreadable
from extract.pipeline import Extractor
from extract.settings import Settings


class _Actor:
    def __init__(self, settings: Settings) -> None:
        init_worker_process(settings)
        self.settings = settings
        self.extractor = Extractor(settings)

    def run(self, index: int, item: InputFile, data: bytes | None) -> tuple[int, FileResult | None]:
        if data is None:
            return index, None  # the driver could not read it, and reports it
        return index, process_item(item, data, self.extractor, self.settings.limits)


def actor_settings(settings: Settings, actors: int, cores: int, node_cores: int | None = None) -> Settings:
    """Each of `actors` engines its share of the cluster's `cores` (at least one thread, at most
    the cores of one node), as `share_cores` gives local workers; threads named in the settings
    are kept."""
    if settings.ocr.threads:
        return settings
    threads = max(1, min(cores // max(1, actors), node_cores or cores))
    return replace(settings, ocr=replace(settings.ocr, threads=threads))


def _cores() -> tuple[int, int]:
    """The cluster's CPUs, and those of its largest live node (an actor's threads run on one)."""
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    per_node = [int(n.get("Resources", {}).get("CPU", 0)) for n in nodes]
    total = sum(per_node) or os.cpu_count() or 1
    return total, max(per_node, default=0) or total


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
        size = max(1, min(workers, len(jobs))) if jobs else 1
        # The cores split as for local workers (inference threads x actors <= cores), each
        # actor reserving the cores its engine's threads run on.
        settings = actor_settings(settings, size, *_cores())
        actor_class = ray.remote(num_cpus=settings.ocr.threads)(_Actor)
        pool = ActorPool([actor_class.remote(settings) for _ in range(size)])
        failed: list[tuple[Job, FileResult]] = []

        def submit(actor, job_index):
            job = jobs[job_index]
            data = job.data
            job.data = None
            if data is None:
                try:
                    data = job.item.read_bytes(settings.limits)
                except Exception as exc:
                    # Still a call, so the pool's bookkeeping holds; the file is reported failed.
                    failed.append((job, unreadable(job.item, exc)))
            return actor.run.remote(job_index, job.item, data)

        for index, result in pool.map_unordered(submit, range(len(jobs))):
            if result is not None:
                yield jobs[index], result
        yield from failed
    finally:
        if started_here:
            ray.shutdown()
