"""Shared fixtures: the committed samples, an extractor built once, a CLI runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.pipeline import Extractor

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "extract", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout
    )


def comparable(record_json: str | dict) -> dict:
    """A record as the tests compare it: everything printed, not confidences, wording or provenance."""
    data = json.loads(record_json) if isinstance(record_json, str) else dict(record_json)
    data.pop("confidence", None)
    data.pop("provenance", None)  # where values were read: output of the reader, not printed facts
    data.pop("schema_version", None)
    data.pop("variant", None)  # which definition was read: tested on its own
    data.pop("revision", None)
    data.pop("record_id", None)
    data.pop("updated_at", None)
    if data.get("source"):
        data["source"].pop("reads", None)
    data["review"] = sorted(item["field"] for item in data.get("review", []))
    return data
