"""The same ingestion into a real PostgreSQL server (tests/ingest/conftest.py starts it), and on a real local Ray."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from extract.ingest.store import Store, indicators
from tests.conftest import ROOT, SAMPLES, run_cli

TEXT = SAMPLES / "text"


def _lines(path) -> list[dict]:
    """The records of a records.jsonl, less when each run stored them (updated_at)."""
    return [
        {k: v for k, v in json.loads(line).items() if k != "updated_at"}
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


@pytest.mark.postgres
@pytest.mark.slow
def test_ingest_into_postgresql_matches_sqlite(postgres_url, tmp_path):
    pg = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "pg"), "--db", postgres_url)
    assert pg.returncode == 0, pg.stderr
    lite = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "lite"))
    assert lite.returncode == 0, lite.stderr
    assert _lines(tmp_path / "pg" / "records.jsonl") == _lines(tmp_path / "lite" / "records.jsonl")
    store = Store(postgres_url)
    try:
        assert store.counts() == {"done": 2}
        assert len(list(store.records())) == 11
        assert len(store.rows(indicators)) == 114
    finally:
        store.close()
    again = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "pg"), "--db", postgres_url)
    assert "2 skipped" in again.stderr
    exported = run_cli(
        "export", str(tmp_path / "pg"), "--db", postgres_url, "--format", "csv", "--out", str(tmp_path / "csv")
    )
    assert exported.returncode == 0, exported.stderr
    assert len((tmp_path / "csv" / "forms.csv").read_text(encoding="utf-8-sig").splitlines()) == 12


@pytest.mark.ray
@pytest.mark.slow
def test_ray_executor_gives_the_same_records_as_local(tmp_path):
    pytest.importorskip(
        "ray", reason="Ray is NOT installed: pip install 'filing-extract[ray]' (the README test command does)"
    )
    env = dict(os.environ)
    env.pop("RAY_ADDRESS", None)  # a local Ray instance, started by the run
    local = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "local"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "extract",
            "ingest",
            str(TEXT),
            "--out",
            str(tmp_path / "ray"),
            "--executor",
            "ray",
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=ROOT,
    )
    assert local.returncode == 0 and proc.returncode == 0, proc.stderr[-3000:]

    strip = lambda path: [{k: v for k, v in r.items() if k != "confidence"} for r in _lines(path)]  # noqa: E731
    assert strip(tmp_path / "ray" / "records.jsonl") == strip(tmp_path / "local" / "records.jsonl")
