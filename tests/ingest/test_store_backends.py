"""The same ingestion into a real PostgreSQL server, and on a real local Ray."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from extract.ingest.store import Store, indicators
from tests.conftest import ROOT, SAMPLES, run_cli

TEXT = SAMPLES / "text"


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) not found, so the PostgreSQL store is "
            "NOT tested: install Debian's postgresql package (the README test command does)"
        )
    # Outside pytest's private temp folder: the server's user must reach it.
    base = Path(tempfile.mkdtemp(prefix="filing-extract-pg-"))
    base.chmod(0o755)
    data = base / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    port = _free_port()
    log = data.parent / "server.log"
    steps = [
        [*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        [
            *as_user,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {data.parent}",
            "start",
        ],
    ]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            pytest.fail(
                f"PostgreSQL could not be started, so the PostgreSQL store is NOT tested: "
                f"{' '.join(step[:6])}: {proc.stdout}{proc.stderr}"
            )
    yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True, timeout=60)
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.postgres
@pytest.mark.slow
def test_ingest_into_postgresql_matches_sqlite(postgres_url, tmp_path):
    pg = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "pg"), "--db", postgres_url)
    assert pg.returncode == 0, pg.stderr
    lite = run_cli("ingest", str(TEXT), "--out", str(tmp_path / "lite"))
    assert lite.returncode == 0, lite.stderr
    assert (tmp_path / "pg" / "records.jsonl").read_text() == (tmp_path / "lite" / "records.jsonl").read_text()
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

    def strip(path):
        return [
            {k: v for k, v in json.loads(line).items() if k != "confidence"}
            for line in path.read_text(encoding="utf-8").splitlines()
        ]

    assert strip(tmp_path / "ray" / "records.jsonl") == strip(tmp_path / "local" / "records.jsonl")
