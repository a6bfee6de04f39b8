"""The README's import recipes, run exactly as written against real exports: pandas, DuckDB, PostgreSQL."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from extract.ingest.columns import postgres_ddl
from extract.ingest.decisions import decide
from extract.ingest.export import export, export_changes
from extract.ingest.store import Store, sqlite_url
from tests.conftest import ROOT
from tests.ingest.conftest import new_database, reread, save_all


def recipe(name: str) -> str:
    """The code block under `<!-- recipe: NAME -->` in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- recipe: {re.escape(name)} -->\n```\w+\n(.*?)\n```", readme, flags=re.S)
    assert found, f"the README has no recipe '{name}'"
    return found[1]


@pytest.fixture
def exported(sample_results, tmp_path, monkeypatch) -> Path:
    """out/export-parquet as `filing-extract export out/ --format parquet` writes it, in the current folder."""
    out = tmp_path / "out"
    out.mkdir()
    store = Store(sqlite_url(out))
    save_all(store, sample_results)
    export(store, "parquet", out / "export-parquet")
    store.close()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_pandas_recipe(exported, capsys):
    exec(recipe("pandas"), {})
    assert "国有资产出租出借发生直接成本" in capsys.readouterr().out


def test_the_duckdb_recipe(exported, sample_results, capsys):
    try:
        import duckdb
    except ImportError:
        pytest.fail("duckdb is not installed: pip install -e '.[test]' installs it")
    namespace: dict = {}
    exec(recipe("duckdb"), namespace)
    namespace["db"].close()  # its threads end with it
    assert "indicators" in capsys.readouterr().out
    db = duckdb.connect(str(exported / "filings.duckdb"))
    assert db.execute("SELECT count(*) FROM forms").fetchone()[0] == 11
    types = dict(db.execute("SELECT column_name, column_type FROM (DESCRIBE forms)").fetchall())
    assert types["total_score"] == "DECIMAL(38,8)" and types["year"] == "INTEGER" and types["deleted"] == "BOOLEAN"
    evaluation = sample_results[1].records[0]
    score = db.execute(
        "SELECT total_score FROM forms WHERE record_id = ?", [f"{sample_results[1].sha256}:0"]
    ).fetchone()[0]
    assert score == evaluation.total_score and isinstance(score, Decimal)
    db.close()


def _psql(url: str, *args: str, cwd: Path | None = None) -> None:
    psql = shutil.which("psql")
    if psql is None:
        pytest.fail("psql not found, so the PostgreSQL recipe is NOT tested: install Debian's postgresql package")
    proc = subprocess.run(
        [psql, url.replace("+psycopg", ""), "-q", "-v", "ON_ERROR_STOP=1", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.postgres
@pytest.mark.slow
def test_the_postgresql_upsert_recipe_applies_incremental_csv_exports(postgres_url, sample_results, tmp_path):
    target = new_database(postgres_url, "recipe_target")
    (tmp_path / "ddl.sql").write_text(postgres_ddl(), encoding="utf-8")
    _psql(target, "-f", str(tmp_path / "ddl.sql"))
    script = recipe("postgres-upsert")
    declarations, evaluations = sample_results
    store = Store(sqlite_url(tmp_path))
    cursor = None

    def nightly(name: str) -> None:
        nonlocal cursor
        folder = tmp_path / name
        cursor = export_changes(store, "csv", folder, since=cursor, csv_raw=True).cursor
        (folder / "upsert.sql").write_text(script, encoding="utf-8")
        _psql(target, "-f", "upsert.sql", cwd=folder)

    save_all(store, [declarations])
    nightly("first")
    changed = reread(declarations)
    changed.records[0].project_name = "第二次读出的名称"
    store.save(changed.sha256, [changed.path], changed, seq=1)
    store.save(evaluations.sha256, [evaluations.path], evaluations, seq=2)
    nightly("second")
    fewer = reread(evaluations, keep=3)
    store.save(fewer.sha256, [fewer.path], fewer, seq=2)
    decide(store, f"{declarations.sha256}:1", "goal", "correct", "改正的目标", "alice", 1.0, 0)
    nightly("third")
    nightly("nothing new")

    from sqlalchemy import create_engine, text

    engine = create_engine(target)
    with engine.connect() as conn:
        got = conn.execute(text("SELECT record_id, revision, project_name, goal, total_score FROM forms")).all()
        indicators = conn.execute(text("SELECT count(*) FROM indicators")).scalar()
        review_rows = conn.execute(text("SELECT count(*) FROM review WHERE status = 'corrected'")).scalar()
    engine.dispose()
    want = {r.record_id: r for r in store.records()}
    assert {r.record_id: (r.revision, r.project_name, r.goal, r.total_score) for r in got} == {
        k: (r.revision, r.project_name, r.goal, r.total_score) for k, r in want.items()
    }
    assert len(got) == 7 + 3 and indicators == sum(len(r.indicators) for r in want.values())
    assert review_rows == 1
    store.close()
