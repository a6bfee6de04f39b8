"""How a batch reports as it goes: a bar on a terminal, log lines otherwise.

The batch calls a `Reporter`; the CLI hands it a `Progress` that writes to
stderr, and library callers get `LogReporter`, which only logs.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Protocol, TextIO

from extract.datamodel.result import FileResult

log = logging.getLogger("extract.ingest")


class Reporter(Protocol):
    def start(self, total: int) -> None: ...

    def file_done(self, result: FileResult) -> None: ...

    def message(self, text: str) -> None: ...

    def close(self) -> None: ...


class LogReporter:
    """The library default: every event is a log record, nothing is printed."""

    def start(self, total: int) -> None:
        log.info("%d files to read", total)

    def file_done(self, result: FileResult) -> None:
        log.info("%s %s: %d forms, %d pages", result.status, result.path, len(result.records), result.pages)

    def message(self, text: str) -> None:
        log.warning("%s", text)

    def close(self) -> None:
        pass


class Progress:
    """A bar on a terminal; plain log lines otherwise (CI logs, pipes)."""

    def __init__(self, quiet: bool, stream: TextIO = sys.stderr) -> None:
        self.quiet, self.stream = quiet, stream
        self.total = self.files = self.pages = 0
        self.start_time = time.perf_counter()
        self.bar = None

    def start(self, total: int) -> None:
        self.total = total
        self.start_time = time.perf_counter()
        if not self.quiet and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True)

    def file_done(self, result: FileResult) -> None:
        self.files += 1
        self.pages += result.pages
        elapsed = time.perf_counter() - self.start_time
        rate = self.pages / elapsed if elapsed else 0.0
        left = (self.total - self.files) * elapsed / self.files if self.files else 0.0
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.pages} pages, {rate:.2f} pages/s")
            self.bar.update(1)
        elif not self.quiet:
            state = "ok" if result.status == "done" else "FAILED"
            print(
                f"[{self.files}/{self.total}] {state} {result.path}: {len(result.records)} forms, "
                f"{result.pages} pages; {rate:.2f} pages/s, about {left:.0f}s left",
                file=self.stream,
                flush=True,
            )

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
