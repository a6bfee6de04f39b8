"""What a worker process does: read one input at a time, say which page it is on, never raise.

A worker dies with its parent (Linux: PR_SET_PDEATHSIG), ignores Ctrl-C (the parent
decides), and turns every failure into a failed result, so only a crash of native code
or a kill by the parent (timeout, memory) can end it mid-file; the parent handles both.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from extract.datamodel.result import FileResult
from extract.errors import ExitCode
from extract.ingest.executors.base import init_worker_process
from extract.ingest.inputs import InputFile
from extract.ingest.plan import unreadable
from extract.pipeline import Extractor
from extract.settings import LimitSettings, Settings

PR_SET_PDEATHSIG = 1


def process_item(item: InputFile, data: bytes | None, extractor: Extractor, limits: LimitSettings) -> FileResult:
    """One input's result, whatever happens: read it (unless its bytes came along) and extract it."""
    try:
        if data is None and item.chain:
            data = item.read_bytes(limits)
    except Exception as exc:
        return unreadable(item, exc)
    try:
        # A disk file is read by open_document, whose messages say what is wrong with the path.
        result = extractor.extract_file(item.name if data is not None else Path(item.path), data)
    except Exception as exc:  # extract_file returns failures; anything raised is a bug
        result = FileResult(item.name)
        result.fail(
            f"internal error on {item.name}: {type(exc).__name__}: {exc}. "
            "This is a bug; please report it with the input file.",
            ExitCode.INTERNAL,
            traceback.format_exc(),
        )
    result.path = item.name
    result.warnings[:0] = item.notes
    return result


def _die_with_parent(parent: int | None) -> None:
    """Ask the kernel to kill this process when its parent dies, so a killed run leaves no worker behind."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the worker ends when its pipe closes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(0)


def worker_main(conn: Connection, settings: Settings, parent: int | None) -> None:
    """Serve jobs from the pipe until told to stop (None) or the parent goes away."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker_process(settings)

    def progress(page: int, pages: int) -> None:
        conn.send(("page", page, pages))

    extractor = Extractor(settings, on_page=progress)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        item, data = task
        conn.send(("page", 0, 0))  # started: the clock of its first page runs from here
        result = process_item(item, data, extractor, settings.limits)
        del data
        try:
            conn.send(("done", result))
        except Exception as exc:  # a result that cannot be sent back (it should always pickle)
            failed = FileResult(item.name)
            failed.fail(f"internal error on {item.name}: its result could not be sent back ({exc})", ExitCode.INTERNAL)
            conn.send(("done", failed))
