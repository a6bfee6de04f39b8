"""Local executor: worker processes on this machine, watched one file at a time.

Every file is read in a worker process, even with one worker (a process start costs a
few milliseconds; a crash in native code then costs one file, not the batch). Each worker
builds its Extractor (and OCR engine) once and says which page it is on; the parent
stops a worker that runs past the page or file timeout or grows past the memory cap,
records that file with the reason, and starts a fresh worker. A worker that dies (a
segfault, the kernel's OOM killer) fails only its file the same way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import wait
from pathlib import Path

from extract.datamodel.result import FileResult
from extract.errors import ExitCode
from extract.ingest.executors.base import share_cores
from extract.ingest.executors.worker import worker_main
from extract.ingest.inputs import InputFile
from extract.ingest.plan import Job
from extract.settings import LimitSettings, Settings

TICK = 0.1  # seconds between looks at the workers' clocks and memory
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def total_resident_mb(pid: int) -> float:
    """A process's whole resident memory in MB, shared pages included (Linux /proc; 0 where it
    cannot be read). Cheap: no page tables are walked."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def resident_mb(pid: int) -> float:
    """A process's resident memory of its own in MB: what it shares with the parent it was forked
    from is left out (Linux /proc; the whole resident memory where that cannot be read). The kernel
    walks the process's page tables for it: a few milliseconds."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            own = sum(int(line.split()[1]) for line in handle if line.startswith(("Private_", "Swap:")))
        return own / 1024
    except (OSError, ValueError, IndexError):
        return total_resident_mb(pid)


def native_threads() -> int:
    """How many OS threads this process runs (Linux /proc; Python's own count elsewhere)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


# Threads the libraries start on import (MuPDF, BLAS): forking with those is safe, they expect it.
THREADS_AT_IMPORT = native_threads()


def start_method() -> str:
    """Fork while this process runs no more threads than its imports started: it is set up, so
    nothing is imported again. Once it has run pages itself (OpenCV's and the OCR engine's pools
    are live), a forked child hangs on the first call into those pools, so workers then start
    from a clean server process instead."""
    return "fork" if native_threads() <= THREADS_AT_IMPORT else "forkserver"


@contextlib.contextmanager
def _opencv_pool_parked() -> Iterator[None]:
    """OpenCV's thread pool stopped across a fork: a child that inherits a live pool hangs on its
    first OpenCV call (its threads did not come along). The parent's pool restarts after."""
    cv2 = sys.modules.get("cv2")
    if cv2 is None:
        yield
        return
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(threads)


class _Worker:
    """One worker process, and the job it is on."""

    def __init__(self, settings: Settings) -> None:
        context = multiprocessing.get_context(start_method())
        parent: int | None = os.getpid()
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["extract.ingest.executors.worker"])
            parent = None  # its parent is the server, which ends with this process
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, settings, parent), daemon=True)
        with _opencv_pool_parked():
            self.process.start()
        child.close()
        self.job: Job | None = None
        self.started = self.page_started = 0.0
        self.page = self.pages = 0
        self.memory_seen = 0.0

    def give(self, job: Job) -> None:
        self.conn.send((job.item, job.data))
        job.data = None  # the worker has its own copy now
        self.job = job
        self.started = self.page_started = time.monotonic()
        self.page = self.pages = 0

    def stop(self) -> None:
        """Let an idle worker finish; a busy one (the run is stopping: Ctrl-C, a store error) is killed."""
        if self.job is not None and self.process.is_alive():
            self._kill()
        if self.process.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def _kill(self) -> None:
        self.process.kill()
        self.process.join()

    def _failed(self, why: str, hint: str) -> FileResult:
        assert self.job is not None
        result = FileResult(self.job.item.name, sha256=self.job.sha256 or None, pages=self.pages)
        where = f" (on page {self.page} of {self.pages})" if self.page else ""
        result.fail(f"{self.job.item.name}: {why}{where}; {hint}.", ExitCode.INPUT_FAILED)
        return result

    def _died(self) -> FileResult:
        self.process.join(5)
        code = self.process.exitcode
        how = f"with exit code {code}"
        if code is not None and code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        return self._failed(
            f"the worker process reading it died ({how})",
            "a native library crashed on this file, or the system ran out of memory; the other files go on",
        )

    def check(self, limits: LimitSettings) -> FileResult | None:
        """The job's result once it is in; a failed one if the worker died or ran past a limit; else None."""
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == "done":
                    return message[1]
                self.page, self.pages = message[1], message[2]
                self.page_started = time.monotonic()
        except (EOFError, OSError):
            return self._died()
        if not self.process.is_alive():
            return self._died()
        now = time.monotonic()
        if limits.file_timeout and now - self.started > limits.file_timeout:
            self._kill()
            return self._failed(
                f"reading it took longer than {limits.file_timeout:g} s (--file-timeout) and was stopped",
                "raise --file-timeout if the file is just long",
            )
        if limits.page_timeout and now - self.page_started > limits.page_timeout:
            self._kill()
            return self._failed(
                f"a page took longer than {limits.page_timeout:g} s (--page-timeout) and was stopped",
                "the page may be damaged; raise --page-timeout if the machine is just slow",
            )
        if limits.max_memory_mb and now - self.memory_seen >= TICK:  # not at every look: a result can come in often
            self.memory_seen = now
            # A worker's own memory is never more than its whole: its costly count is needed only over the cap.
            over = total_resident_mb(self.process.pid) > limits.max_memory_mb
            used = resident_mb(self.process.pid) if over else 0.0
            if used > limits.max_memory_mb:
                self._kill()
                return self._failed(
                    f"reading it needed more than {limits.max_memory_mb:,} MB of memory (--max-memory) and was stopped",
                    "it may hold a decompression bomb; raise --max-memory if it is real",
                )
        return None


def run_local(jobs: list[Job], settings: Settings, workers: int) -> Iterator[tuple[Job, FileResult]]:
    """Results as they finish; a worker lost to a crash or a limit is replaced."""
    limits = settings.limits
    settings = share_cores(settings, workers)
    queue = deque(jobs)
    pool: list[_Worker] = []
    try:
        while queue or any(w.job for w in pool):
            _fill(pool, queue, settings, max(1, workers))
            busy = [w for w in pool if w.job is not None]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=TICK)
            finished: list[tuple[Job, FileResult]] = []
            for worker in busy:
                result = worker.check(limits)
                if result is None:
                    continue
                assert worker.job is not None
                finished.append((worker.job, result))
                worker.job = None
                if not worker.process.is_alive():
                    pool.remove(worker)
                    worker.stop()
            _fill(pool, queue, settings, max(1, workers))  # the workers go on while the results are stored
            yield from finished
    finally:
        for worker in pool:
            worker.stop()


def _fill(pool: list[_Worker], queue: deque[Job], settings: Settings, size: int) -> None:
    """Give every idle worker a job, starting workers up to `size`."""
    while queue:
        idle = next((w for w in pool if w.job is None), None)
        if idle is None:
            if len(pool) >= size:
                return
            try:
                idle = _Worker(settings)
            except (EOFError, OSError):  # the fork server was killed from outside: it starts again
                idle = _Worker(settings)
            pool.append(idle)
        job = queue.popleft()
        try:
            idle.give(job)
        except OSError:  # it died while idle: replace it, and give the job to the next one
            pool.remove(idle)
            idle.stop()
            queue.appendleft(job)


def run_file(path: Path, settings: Settings) -> FileResult:
    """One file read in a worker process under the limits (`filing-extract extract`)."""
    job = Job("", InputFile(str(path), path), [str(path)])
    for _, result in run_local([job], settings, 1):
        return result
    raise AssertionError("run_local yields one result per job")
