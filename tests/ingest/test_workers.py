"""Worker processes under limits: a file that runs past its time, grows past its memory or whose
worker dies costs that file alone; the pool is rebuilt and the batch goes on (one worker too)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from extract.ingest.executors.local import run_local
from extract.ingest.executors.worker import process_item
from extract.ingest.inputs import collect_inputs
from extract.ingest.plan import Job
from extract.pipeline import Extractor
from extract.read.document import sha256_of
from extract.settings import LimitSettings, Settings
from tests.conftest import SAMPLES, run_cli
from tests.fuzz.rawpdf import deflate_zeros, image_page, pdf

TEXT = SAMPLES / "text" / "seed_003_self_evaluations.pdf"
SCAN = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"


def _jobs(*paths: Path) -> list[Job]:
    items, _ = collect_inputs(list(paths))
    return [Job(sha256_of(item.path.read_bytes()), item, [item.name], order=n) for n, item in enumerate(items)]


def _run(jobs: list[Job], limits: LimitSettings) -> dict[str, object]:
    settings = replace(Settings(), limits=limits)
    return {Path(job.item.name).name: result for job, result in run_local(jobs, settings, workers=1)}


def _copy(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_bytes(source.read_bytes())
    return target


@pytest.mark.slow
def test_a_page_past_its_timeout_fails_its_file_alone(tmp_path):
    results = _run(
        _jobs(_copy(SCAN, tmp_path, "a_scan.pdf"), _copy(TEXT, tmp_path, "b_text.pdf")),
        LimitSettings(page_timeout=0.5),
    )
    scan, text = results["a_scan.pdf"], results["b_text.pdf"]
    assert scan.status == "failed" and "a page took longer than 0.5 s (--page-timeout)" in scan.error
    assert "on page 1 of 5" in scan.error
    assert text.status == "done" and len(text.records) == 4


@pytest.mark.slow
def test_a_file_past_its_timeout_fails_alone(tmp_path):
    results = _run(
        _jobs(_copy(SCAN, tmp_path, "a_scan.pdf"), _copy(TEXT, tmp_path, "b_text.pdf")),
        LimitSettings(file_timeout=1),
    )
    assert "reading it took longer than 1 s (--file-timeout)" in results["a_scan.pdf"].error
    assert results["b_text.pdf"].status == "done"


@pytest.mark.slow
def test_a_worker_past_its_memory_is_stopped_and_replaced(tmp_path):
    # A 12000 x 12000 RGB image (432 MB once decoded), allowed past the pixel guard: only memory stops it.
    data, _ = deflate_zeros(12000 * 12000 * 3)
    (tmp_path / "a_big.pdf").write_bytes(pdf(image_page(12000, 12000, 8, b"/DeviceRGB", data)))
    _copy(TEXT, tmp_path, "b_text.pdf")
    results = _run(
        _jobs(tmp_path / "a_big.pdf", tmp_path / "b_text.pdf"),
        LimitSettings(max_megapixels=1000, max_memory_mb=300, page_timeout=0),
    )
    assert "needed more than 300 MB of memory (--max-memory)" in results["a_big.pdf"].error
    assert results["b_text.pdf"].status == "done" and len(results["b_text.pdf"].records) == 4


@pytest.mark.slow
def test_a_worker_killed_from_outside_costs_its_file_alone(tmp_path):
    """The OOM killer's way: SIGKILL to the worker process, from outside the run."""
    jobs = _jobs(_copy(SCAN, tmp_path, "a_scan.pdf"), _copy(TEXT, tmp_path, "b_text.pdf"))
    killed: list[int] = []

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            # Workers only: not multiprocessing's helpers (the fork server that starts workers once
            # this process ran OpenCV itself, and its resource tracker): workers are their children.
            for child in psutil.Process(os.getpid()).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    command = " ".join(child.cmdline())
                    helper = child.ppid() == os.getpid() and ("forkserver" in command or "resource_tracker" in command)
                    if not helper and child.cpu_times().user > 0.3:  # it is reading the scan
                        os.kill(child.pid, signal.SIGKILL)
                        killed.append(child.pid)
                        return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    results = _run(jobs, LimitSettings())
    killer.join()
    assert killed, "no worker was seen"
    assert "the worker process reading it died (killed by SIGKILL)" in results["a_scan.pdf"].error
    assert results["b_text.pdf"].status == "done" and len(results["b_text.pdf"].records) == 4


def test_a_worker_never_raises_for_an_input_that_vanished(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "a.zip", "w") as archive:
        archive.write(TEXT, "a.pdf")
    (item,), _ = collect_inputs([folder / "a.zip"])
    (folder / "a.zip").unlink()
    result = process_item(item, None, Extractor(), LimitSettings())
    assert result.status == "failed" and result.error_code == 1 and "cannot be read" in result.error


@pytest.mark.slow
def test_extract_stops_a_slow_page_with_a_clear_message_and_exit_1(tmp_path):
    proc = run_cli("extract", str(SCAN), "--page-timeout", "0.5", timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "--page-timeout" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_process_that_read_scans_itself_still_gets_working_workers(tmp_path):
    # OpenCV's thread pool, once live, hangs a forked child on its first OpenCV call:
    # workers then start from a clean server process instead.
    assert Extractor().extract_file(SCAN).status == "done"
    results = _run(_jobs(_copy(TEXT, tmp_path, "b_text.pdf")), LimitSettings(page_timeout=30))
    assert results["b_text.pdf"].status == "done" and len(results["b_text.pdf"].records) == 4
