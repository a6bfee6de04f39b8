"""What every executor is, and what each of its workers does once at start."""

from __future__ import annotations

import os
import sys
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


def init_worker_process(settings: Settings) -> None:
    """Quiet MuPDF and give OpenCV the worker's share of the cores (`OcrSettings.page_threads`):
    several workers then share the machine instead of each taking all of it, and
    one worker alone (`extract`, `--workers 1`) keeps every core.

    OpenCV is not imported for it (0.2 s a worker, and a text file never needs it): where it
    is not loaded yet, OPENCV_FOR_THREADS_NUM tells it the same when a scan loads it.
    """
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    count = settings.ocr.page_threads()
    if "cv2" in sys.modules:
        sys.modules["cv2"].setNumThreads(count)
    else:
        os.environ["OPENCV_FOR_THREADS_NUM"] = str(count)
