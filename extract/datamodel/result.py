"""The outcome of one input file: data, so one bad file never sinks a batch."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from extract.errors import ExitCode
from models import Record


@dataclass
class FileResult:
    path: str
    sha256: str | None = None
    status: Literal["done", "failed"] = "done"
    records: list[Record] = field(default_factory=list)
    error: str | None = None
    error_code: int = ExitCode.OK  # the failure's exit code (errors.ExitCode)
    traceback: str | None = None  # an internal error's traceback, for --verbose
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    ocr_pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds by stage, whole file

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the seconds spent inside the block to `timings[stage]` (docling's TimeRecorder)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start

    def fail(self, message: str, code: int, traceback: str | None = None) -> None:
        self.status, self.error, self.error_code, self.traceback = "failed", message, int(code), traceback
