"""Faults outside the inputs, for real: a second run on a live folder, a full disk, a database that goes away.

Each stops the run with its own exit code and a clear message; what was committed stays
consistent, and the next run resumes with nothing lost or doubled.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from extract.errors import StoreUnavailableError
from extract.ingest.run import run_ingest
from extract.settings import Settings
from tests.conftest import ROOT, SAMPLES, run_cli
from tests.ingest.conftest import _free_port, _pg_bin

GOOD = SAMPLES / "text" / "seed_003_self_evaluations.pdf"  # 4 forms


def _variants(folder: Path, count: int) -> list[Path]:
    """COUNT copies of the good PDF whose bytes (and so hashes) differ: a comment after %%EOF."""
    folder.mkdir(parents=True, exist_ok=True)
    data = GOOD.read_bytes()
    paths = []
    for n in range(count):
        path = folder / f"{n:03d}.pdf"
        path.write_bytes(data + b"\n%% copy %d\n" % n)
        paths.append(path)
    return paths


def _hold_lock(folder: Path) -> subprocess.Popen:
    """Another process holding the folder's lock, as a live run does."""
    code = (
        "import sys, time; from pathlib import Path; from extract.ingest.lock import FolderLock\n"
        f"with FolderLock(Path({str(folder)!r})):\n"
        "    print('locked', flush=True); time.sleep(120)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_live_run_s_folder_is_refused_and_a_killed_one_is_not_stuck(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = _hold_lock(out)
    try:
        with pytest.raises(StoreUnavailableError, match=rf"{out} is being used by another ingest run \(process \d+\)"):
            run_ingest([str(GOOD)], out, Settings())
    finally:
        holder.send_signal(signal.SIGKILL)  # a run killed with kill -9: the kernel drops its lock
        holder.wait()
    summary = run_ingest([str(GOOD)], out, Settings())
    assert summary.done == 1 and summary.records == 4


@pytest.mark.slow
def test_the_cli_refuses_a_live_folder_with_exit_75(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = _hold_lock(out)
    try:
        proc = run_cli("ingest", str(GOOD), "--out", str(out), timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 75, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"error: {out} is being used by another ingest run")


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs: the output folder's disk, to fill."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.fail(
            f"a 3 MB tmpfs could not be mounted, so the full-disk case is NOT tested (it needs root, or "
            f"CAP_SYS_ADMIN): {proc.stderr.strip()}"
        )
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _store_state(db: Path) -> tuple[str, int, int, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        check = conn.execute("pragma integrity_check").fetchone()[0]
        done = conn.execute("select count(*) from files where status = 'done'").fetchone()[0]
        forms = conn.execute("select count(*) from forms").fetchone()[0]
        distinct = conn.execute("select count(distinct record_id) from forms").fetchone()[0]
    return check, done, forms, distinct


@pytest.mark.slow
def test_a_full_disk_stops_the_run_with_exit_74_and_the_next_run_resumes(tmp_path, small_disk):
    inputs = _variants(tmp_path / "in", 40)
    out = small_disk / "out"
    proc = run_cli("ingest", str(inputs[0].parent), "--out", str(out), "--workers", "1", timeout=600)
    assert proc.returncode == 74, proc.stderr[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "could not be written" in last and "run again" in last, last
    assert "Traceback" not in proc.stderr
    check, done, forms, distinct = _store_state(out / "filings.sqlite")
    assert check == "ok" and 0 < done < 40 and forms == distinct == 4 * done
    assert not (out / "records.jsonl.tmp").exists()

    subprocess.run(["mount", "-o", "remount,size=128m", str(small_disk)], check=True)
    again = run_cli("ingest", str(inputs[0].parent), "--out", str(out), "--workers", "1", timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{done} skipped" in again.stderr
    check, done, forms, distinct = _store_state(out / "filings.sqlite")
    assert (check, done, forms, distinct) == ("ok", 40, 160, 160)
    assert len((out / "records.jsonl").read_text(encoding="utf-8").splitlines()) == 160


class _Server:
    """A PostgreSQL server of this test's own, to stop and start again."""

    def __init__(self, base: Path) -> None:
        self.pg_ctl, initdb = _pg_bin("pg_ctl"), _pg_bin("initdb")
        if not self.pg_ctl or not initdb:
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found, so a store going away is NOT tested")
        self.data, self.port = base / "data", _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(base, "postgres")
        self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"])
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, argv: list[str]) -> None:
        proc = subprocess.run([*self.as_user, *argv], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            pytest.fail(f"PostgreSQL: {' '.join(argv[:3])} failed, so a store going away is NOT tested: {proc.stderr}")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data.parent}"
        self._run(
            [self.pg_ctl, "-D", str(self.data), "-l", str(self.data.parent / "log"), "-w", "-o", options, "start"]
        )

    def stop(self) -> None:
        self._run([self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def query(self, sql: str) -> int:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(sql)).scalar() or 0)
        finally:
            engine.dispose()


@pytest.fixture
def pg_server():
    base = Path(tempfile.mkdtemp(prefix="filing-extract-pg-drop-"))
    base.chmod(0o755)
    server = _Server(base)
    server.start()
    yield server
    subprocess.run(
        [*server.as_user, server.pg_ctl, "-D", str(server.data), "-m", "immediate", "stop"], capture_output=True
    )
    shutil.rmtree(base, ignore_errors=True)


def _done(server: _Server) -> int:
    try:
        return server.query("select count(*) from files where status = 'done'")
    except Exception:  # the tables are not made yet
        return 0


@pytest.mark.slow
@pytest.mark.postgres
def test_a_database_that_goes_away_stops_the_run_with_exit_75_and_the_next_run_resumes(tmp_path, pg_server):
    folder = _variants(tmp_path / "in", 30)[0].parent
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract", "ingest", str(folder), "--out", str(out), "--db", pg_server.url]
    run = subprocess.Popen([*command, "--workers", "1"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while _done(pg_server) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run.poll() is None, "the batch finished before the database could be stopped"
    pg_server.stop()
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 75, stderr[-2000:]
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("error: the database postgresql+psycopg://postgres@127.0.0.1") and "went away" in last
    assert "Traceback" not in stderr

    pg_server.start()
    stopped_at = _done(pg_server)
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{stopped_at} skipped" in again.stderr
    assert pg_server.query("select count(*) from files where status = 'done'") == 30
    assert pg_server.query("select count(*) from forms") == 120
    assert pg_server.query("select count(distinct record_id) from forms") == 120


@pytest.mark.postgres
def test_an_export_from_a_database_that_cannot_be_reached_exits_75_and_says_so(tmp_path):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    run = run_cli("export", str(tmp_path), "--db", "postgresql://reader@127.0.0.1:1/filings", "--format", "jsonl")
    assert run.returncode == 75, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the database postgresql://reader@127.0.0.1:1/filings")
    assert "cannot be reached" in last
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
