"""What every executor is, and what each of its workers does once at start."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Protocol

from extract.datamodel.result import FileResult
from extract.ingest.plan import Job
from extract.settings import Settings


class Executor(Protocol):
    def __call__(self, jobs: list[Job], settings: Settings, workers: int) -> Iterator[tuple[Job, FileResult]]:
        """Run `jobs` on `workers` workers; yield each job with its result as it finishes."""
        ...


def share_cores(settings: Settings, workers: int, cores: int | None = None) -> Settings:
    """Give each of `workers` engines its share of the cores (at least one thread).

    Inference threads × workers stays within the cores: more would make the
    workers fight for them (two workers were slower than one before this).
    """
    if workers <= 1 or settings.ocr.threads:
        return settings
    threads = max(1, (cores or os.cpu_count() or 1) // workers)
    return replace(settings, ocr=replace(settings.ocr, threads=threads))


def init_worker_process() -> None:
    """Quiet MuPDF and keep OpenCV single-threaded: the pool is the parallelism."""
    import cv2
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    cv2.setNumThreads(1)
