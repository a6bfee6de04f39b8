"""Collecting inputs: files, folders (recursively) and zip archives, in a stable order."""

from __future__ import annotations

import zipfile

from extract.ingest.inputs import collect_inputs


def test_folders_zips_and_files_given_by_name(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "a" / "notes.txt").write_text("skip me")
    with zipfile.ZipFile(tmp_path / "a" / "bundle.zip", "w") as archive:
        archive.writestr("inner/y.PNG", b"png")
        archive.writestr("inner/readme.txt", b"no")
    (tmp_path / "odd.dat").write_bytes(b"?")
    items, problems = collect_inputs([tmp_path / "a", tmp_path / "odd.dat"])
    assert [i.name.replace(str(tmp_path), "") for i in items] == ["/a/b/x.pdf", "/a/bundle.zip!inner/y.PNG", "/odd.dat"]
    assert problems == []
    assert items[1].read_bytes() == b"png" and items[1].member == "inner/y.PNG"


def test_a_broken_zip_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    items, problems = collect_inputs([tmp_path])
    assert items == [] and "not a readable zip archive" in problems[0].reason
