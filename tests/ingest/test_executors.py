"""Executors are chosen by name; each worker gets its share of the cores."""

from __future__ import annotations

import os
import sys

import pytest

from extract.errors import MissingDependencyError, UsageError
from extract.ingest.executors import get_executor
from extract.ingest.executors.base import init_worker_process, share_cores
from extract.ingest.executors.local import run_local
from extract.settings import OcrSettings, Settings


def test_local_is_the_default_and_unknown_names_are_usage_errors():
    assert get_executor("local") is run_local
    with pytest.raises(UsageError, match="choose one of local, ray"):
        get_executor("dask")


def test_ray_missing_is_a_missing_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'filing-extract\[ray\]'"):
        get_executor("ray")


def test_threads_times_workers_stay_within_the_cores():
    assert share_cores(Settings(), 2, cores=2).ocr.threads == 1
    assert share_cores(Settings(), 3, cores=8).ocr.threads == 2
    assert share_cores(Settings(), 1, cores=8).ocr.threads == 0  # one worker: the engine takes all
    pinned = Settings(ocr=OcrSettings(threads=3))
    assert share_cores(pinned, 4, cores=8) is pinned


def test_a_worker_gives_opencv_its_share_of_the_cores(monkeypatch):
    import cv2

    before = cv2.getNumThreads()
    try:
        init_worker_process(share_cores(Settings(), 2, cores=2))
        assert cv2.getNumThreads() == 1  # two workers on two cores: one thread each
        init_worker_process(Settings())  # the only worker (`extract`): every core
        assert cv2.getNumThreads() == (os.cpu_count() or 1)
    finally:
        cv2.setNumThreads(before)
