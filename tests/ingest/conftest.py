"""Fixtures of the ingest tests: a real PostgreSQL server on loopback, started once a session."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


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


@pytest.fixture(scope="session")
def postgres_url():
    """A SQLAlchemy URL of a fresh PostgreSQL server (trust auth, loopback only), stopped at the end."""
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


@pytest.fixture(scope="session")
def sample_results(extractor) -> list:
    """The pipeline's results for the committed text-layer samples (7 declarations, then 4 self-evaluations)."""
    from tests.conftest import SAMPLES

    return [extractor.extract_file(path) for path in sorted((SAMPLES / "text").glob("*.pdf"))]


def reread(result, keep: int | None = None):
    """The same file read again (a copy to change, as a newer pipeline would read it), or into fewer forms."""
    return dataclasses.replace(result, records=[r.model_copy(deep=True) for r in result.records][:keep])


def save_all(store, results) -> None:
    for n, result in enumerate(results):
        store.save(result.sha256, [result.path], result, seq=n + 1)


def flagged(sample_results) -> list:
    """The samples as a pipeline that flags some fields would read them (the samples themselves read clean)."""
    from models import ReviewItem

    declarations, evaluations = reread(sample_results[0]), reread(sample_results[1])
    for i, record in enumerate(declarations.records):
        record.review.append(ReviewItem(field="project_name", reason="name looks cut", confidence=0.3 + i / 100))
    for i, record in enumerate(evaluations.records):
        for row in (0, 1):
            field = f"indicators[{row}].level2"
            record.review.append(ReviewItem(field=field, reason="level 2 misread?", confidence=0.5 + i / 100, page=1))
    return [declarations, evaluations]


@pytest.fixture(scope="session")
def flagged_template(sample_results, tmp_path_factory) -> Path:
    """A store of the flagged samples, made once; `store_copy` gives each test its own copy."""
    from extract.ingest.store import Store, sqlite_url

    folder = tmp_path_factory.mktemp("flagged-store")
    store = Store(sqlite_url(folder))
    save_all(store, flagged(sample_results))
    store.close()
    return folder


def store_copy(template: Path, folder: Path):
    from extract.ingest.store import Store, sqlite_url

    folder.mkdir(parents=True, exist_ok=True)
    for path in template.iterdir():
        shutil.copy(path, folder / path.name)
    return Store(sqlite_url(folder))


def new_database(postgres_url: str, name: str) -> str:
    """A fresh, empty database on the server: each test its own store."""
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"
