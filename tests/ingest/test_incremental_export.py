"""Incremental exports, applied in order as upserts and deletes, add up to the full export, in every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from extract.errors import UsageError
from extract.ingest.decisions import decide
from extract.ingest.export import export_changes
from extract.ingest.run import run_ingest
from extract.ingest.store import Store, sqlite_url
from extract.pipeline import Extractor
from extract.settings import FormSettings, Settings
from samples.generate import unseen_documents
from tests.conftest import ROOT, SAMPLES, run_cli
from tests.ingest.conftest import reread, save_all

TEXT = SAMPLES / "text"
CHILDREN = ("indicators", "funds", "review")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def apply_jsonl(state: dict[str, dict], lines: list[dict]) -> None:
    """What an importer does with one incremental jsonl export: upsert newer revisions, delete tombstones."""
    for line in lines:
        held = state.get(line["record_id"])
        if held is not None and held["revision"] >= line["revision"]:
            continue
        if line.get("deleted"):
            state.pop(line["record_id"], None)
        else:
            state[line["record_id"]] = line


def _csv_tables(folder: Path) -> dict[str, list[dict]]:
    out = {}
    for name in ("forms", *CHILDREN):
        with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            out[name] = list(csv.DictReader(handle))
    return out


def _parquet_tables(folder: Path) -> dict[str, list[dict]]:
    import pyarrow.parquet as pq

    tables = {name: pq.read_table(folder / f"{name}.parquet").to_pylist() for name in ("forms", *CHILDREN)}
    for row in tables["forms"]:  # a spreadsheet-free reader keeps the booleans as they are
        row["record_id 记录编号"], row["revision 修订版本"] = row["record_id"], row["revision"]
        row["deleted 已删除"] = "true" if row["deleted"] else "false"
    for name in CHILDREN:
        for row in tables[name]:
            row["record_id 记录编号"] = row["record_id"]
    return tables


def apply_tables(state: dict[str, dict], tables: dict[str, list[dict]]) -> None:
    """The same with csv or Parquet tables: a newer forms row replaces the record's rows in every table."""
    for row in tables["forms"]:
        record_id, revision = row["record_id 记录编号"], int(row["revision 修订版本"])
        held = state.get(record_id)
        if held is not None and int(held["forms"]["revision 修订版本"]) >= revision:
            continue
        if row["deleted 已删除"] == "true":
            state.pop(record_id, None)
            continue
        state[record_id] = {"forms": row} | {
            name: [r for r in tables[name] if r["record_id 记录编号"] == record_id] for name in CHILDREN
        }


def _state_of(tables: dict[str, list[dict]]) -> dict[str, dict]:
    state: dict[str, dict] = {}
    apply_tables(state, tables)
    return state


def _export_all(store: Store, out: Path, since: str | None) -> str:
    """jsonl, csv and Parquet after `since`; the cursor they give."""
    cursors = {export_changes(store, fmt, out / fmt, since=since).cursor for fmt in ("jsonl", "csv", "parquet")}
    (cursor,) = cursors
    return cursor


def _check_adds_up(store: Store, exports: list[Path], tmp_path: Path) -> None:
    _export_all(store, tmp_path / "full", None)
    jsonl: dict[str, dict] = {}
    for folder in exports:
        apply_jsonl(jsonl, _jsonl(folder / "jsonl" / "records.jsonl"))
    full = {line["record_id"]: line for line in _jsonl(tmp_path / "full" / "jsonl" / "records.jsonl")}
    assert jsonl == full and len(full) == len(list(store.records())) > 0
    for read in (_csv_tables, _parquet_tables):
        state: dict[str, dict] = {}
        for folder in exports:
            apply_tables(state, read(folder / ("csv" if read is _csv_tables else "parquet")))
        want = _state_of(read(tmp_path / "full" / ("csv" if read is _csv_tables else "parquet")))
        assert state == want and len(want) == len(full)
        assert sum(len(s["indicators"]) for s in want.values()) == sum(len(r["indicators"]) for r in full.values())


def test_incremental_exports_add_up_to_the_full_one_and_a_correction_comes_alone(sample_results, tmp_path):
    """Store level (fast): new files, a re-read that differs, one into fewer forms, a review decision."""
    declarations, evaluations = sample_results
    store = Store(sqlite_url(tmp_path))
    save_all(store, [declarations])
    first = _export_all(store, tmp_path / "e1", None)
    changed = reread(declarations)
    changed.records[1].goal = "读法不同的目标"
    store.save(changed.sha256, [changed.path], changed, seq=1)
    store.save(evaluations.sha256, [evaluations.path], evaluations, seq=2)
    second = _export_all(store, tmp_path / "e2", first)
    lines = _jsonl(tmp_path / "e2" / "jsonl" / "records.jsonl")
    assert sorted(line["record_id"] for line in lines) == sorted(
        [f"{declarations.sha256}:1"] + [f"{evaluations.sha256}:{i}" for i in range(4)]
    )
    fewer = reread(evaluations, keep=2)
    store.save(fewer.sha256, [fewer.path], fewer, seq=2)
    third = _export_all(store, tmp_path / "e3", second)
    stones = [line for line in _jsonl(tmp_path / "e3" / "jsonl" / "records.jsonl") if line.get("deleted")]
    assert stones == [{"record_id": f"{evaluations.sha256}:{i}", "deleted": True, "revision": 2} for i in (2, 3)]
    _check_adds_up(store, [tmp_path / "e1", tmp_path / "e2", tmp_path / "e3"], tmp_path)
    # A correction comes out of the next export alone, with a higher revision.
    record_id = f"{declarations.sha256}:4"
    decide(store, record_id, "project_name", "correct", "改正", "alice", 2.0, 0)
    result = export_changes(store, "jsonl", tmp_path / "e4", since=third)
    (line,) = _jsonl(tmp_path / "e4" / "records.jsonl")
    assert line["record_id"] == record_id and line["revision"] == 2 and line["project_name"] == "改正"
    assert (result.upserts, result.tombstones) == (1, 0)
    assert export_changes(store, "jsonl", tmp_path / "e5", since=result.cursor).upserts == 0
    store.close()


def test_a_cursor_of_another_store_or_none_at_all_is_refused(sample_results, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, other = Store(sqlite_url(tmp_path / "a")), Store(sqlite_url(tmp_path / "b"))
    save_all(one, sample_results[:1])
    cursor = export_changes(one, "jsonl", tmp_path / "x").cursor
    assert cursor == f"{one.store_id}:7"
    for bad in (cursor, "not a cursor", f"{other.store_id}:99"):
        with pytest.raises(UsageError):
            export_changes(other, "jsonl", tmp_path / "y", since=bad)
    assert export_changes(one, "jsonl", tmp_path / "z", since="7").upserts == 0  # a bare seq is this store's
    with pytest.raises(UsageError):
        export_changes(one, "csv", None, stream=io.StringIO())
    one.close()
    other.close()


def _changed_definitions(folder: Path) -> Path:
    """A user definition that reads the self-evaluation's goal from another label: the same bytes read differently."""
    base = (ROOT / "models" / "forms" / "self_evaluation" / "base.yaml").read_text(encoding="utf-8")
    changed = base.replace("goal: {labels: [预期目标], at: below}", "goal: {labels: [没有这个标签], at: below}")
    assert changed != base
    folder.mkdir(parents=True)
    (folder / "base.yaml").write_text(changed, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_three_ingests_and_their_incremental_exports_add_up_to_the_full_export(tmp_path):
    """Through run_ingest: new files; a file read differently (--force, other definitions); one into fewer forms."""
    unseen = unseen_documents(tmp_path / "unseen", n_forms=6, seed=11)  # 2, 3 and 1 forms; the first two mix types
    out = tmp_path / "out"
    run_ingest([str(TEXT / "seed_000_declarations.pdf"), str(unseen[0])], out, Settings(), workers=1)
    store = Store(sqlite_url(out))
    first = _export_all(store, tmp_path / "e1", None)
    store.close()
    other = Settings(forms=FormSettings(definition_dirs=(str(_changed_definitions(tmp_path / "defs")),)))
    run_ingest([str(unseen[0])], out, other, workers=1, force=True)
    run_ingest([str(unseen[1]), str(TEXT / "seed_003_self_evaluations.pdf")], out, Settings(), workers=1)
    store = Store(sqlite_url(out))
    second = _export_all(store, tmp_path / "e2", first)
    lines = _jsonl(tmp_path / "e2" / "jsonl" / "records.jsonl")
    re_read = [line for line in lines if line["source"]["file"] == unseen[0].name]
    assert re_read and all(line["revision"] == 2 and line["goal"] is None for line in re_read)
    assert len(lines) == len(re_read) + 3 + 4
    # The unseen file read into fewer forms (as a newer pipeline might): the store is given that read.
    store.close()
    shutil.copy(unseen[2], tmp_path / "late.pdf")
    run_ingest([str(tmp_path / "late.pdf")], out, Settings(), workers=1)
    store = Store(sqlite_url(out))
    sha256 = next(r.source.sha256 for r in store.records() if r.source.file == unseen[1].name)
    fewer = reread(Extractor().extract_file(unseen[1]), keep=1)
    store.save(sha256, [str(unseen[1])], fewer, seq=1)
    third = _export_all(store, tmp_path / "e3", second)
    stones = [line for line in _jsonl(tmp_path / "e3" / "jsonl" / "records.jsonl") if line.get("deleted")]
    assert [s["record_id"] for s in stones] == [f"{sha256}:1", f"{sha256}:2"]
    _check_adds_up(store, [tmp_path / "e1", tmp_path / "e2", tmp_path / "e3"], tmp_path)
    assert third.startswith(store.store_id + ":")
    store.close()


@pytest.mark.slow
def test_the_export_command_keeps_its_cursor_and_streams_jsonl_to_stdout(tmp_path):
    out = tmp_path / "out"
    assert run_cli("ingest", str(TEXT), "--out", str(out), "--workers", "1").returncode == 0
    cursor_file = tmp_path / "nightly.cursor"
    first = run_cli(
        "export", str(out), "--format", "csv", "--cursor-file", str(cursor_file), "--out", str(tmp_path / "a")
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == "" and "11 records, 0 tombstones" in first.stderr
    cursor = cursor_file.read_text().strip()
    again = run_cli(
        "export", str(out), "--format", "csv", "--cursor-file", str(cursor_file), "--out", str(tmp_path / "b")
    )
    assert again.returncode == 0 and "0 records, 0 tombstones" in again.stderr
    assert cursor_file.read_text().strip() == cursor
    assert len((tmp_path / "b" / "forms.csv").read_text(encoding="utf-8-sig").splitlines()) == 1  # the header
    printed = run_cli("export", str(out), "--since", cursor)
    assert printed.returncode == 0 and printed.stdout.strip() == cursor
    piped = run_cli("export", str(out), "--format", "jsonl", "--out", "-")
    assert piped.returncode == 0, piped.stderr
    lines = [json.loads(line) for line in piped.stdout.splitlines()]
    assert len(lines) == 11 and all(line["record_id"] for line in lines)
    assert f"cursor: {cursor}" in piped.stderr
    assert run_cli("export", str(out), "--since", "bogus").returncode == 2
    assert run_cli("export", str(out), "--format", "csv", "--out", "-").returncode == 2
