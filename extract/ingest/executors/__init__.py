"""Executors run a batch's jobs and yield their results as they finish.

Chosen by name from a dict of lazy factories, as OCR engines are
(`extract/ocr/registry.py`): an executor's heavy imports (Ray) happen only
when it is chosen, and a missing optional dependency is a clear usage error.
"""

from __future__ import annotations

from collections.abc import Callable

from extract.errors import MissingDependencyError, UsageError
from extract.ingest.executors.base import Executor


def _local() -> Executor:
    from extract.ingest.executors.local import run_local

    return run_local


def _ray() -> Executor:
    try:
        import ray  # noqa: F401 - only to say clearly that it is missing
    except ImportError as exc:
        raise MissingDependencyError("--executor ray", "ray", str(exc)) from None
    from extract.ingest.executors.ray import run_ray

    return run_ray


EXECUTORS: dict[str, Callable[[], Executor]] = {"local": _local, "ray": _ray}


def get_executor(name: str) -> Executor:
    try:
        factory = EXECUTORS[name]
    except KeyError:
        raise UsageError(f"unknown executor '{name}'; choose one of {', '.join(EXECUTORS)}") from None
    return factory()
