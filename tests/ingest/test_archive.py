"""Zip archives are not trusted: names, links, bombs, nesting, damage and duplicates, on real archives."""

from __future__ import annotations

import io
import stat
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from extract.ingest.archive import Budget, MemberError, list_members
from extract.ingest.inputs import InputReader, collect_inputs
from extract.ingest.plan import plan_jobs
from extract.ingest.store import Store, sqlite_url
from extract.ingest.unpack import read_member
from extract.settings import LimitSettings
from tests.conftest import SAMPLES
from tests.fuzz import rawzip
from tests.fuzz.rawpdf import deflate_zeros
from tests.fuzz.rawzip import Member, deflated, stored, with_

GOOD = (SAMPLES / "text" / "seed_003_self_evaluations.pdf").read_bytes()
LINK = (stat.S_IFLNK | 0o777) << 16


def _write(tmp_path: Path, name: str, members: list[Member]) -> Path:
    path = tmp_path / name
    path.write_bytes(rawzip.build(members))
    return path


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name", ["../../x.pdf", "/tmp/x.pdf", "..\\x.pdf", "C:\\x.pdf", "a/../../x.pdf", "good.pdf\x00.exe"]
)
def test_unsafe_names_are_refused_and_never_read(tmp_path, name):
    archive = _write(tmp_path, "slip.zip", [deflated(name, GOOD), deflated("ok.pdf", GOOD)])
    items, problems = collect_inputs([archive])
    assert [i.member for i in items] == ["ok.pdf"]
    (problem,) = problems
    assert "is refused" in problem.reason and "\x00" not in problem.reason
    assert not Path("/tmp/x.pdf").exists()


def test_links_and_members_under_links_are_refused(tmp_path):
    archive = _write(
        tmp_path,
        "links.zip",
        [
            stored("passwd.pdf", b"/etc/passwd", external_attr=LINK),
            stored("d", b"/tmp", external_attr=LINK),
            deflated("d/x.pdf", GOOD),
            deflated("e/x.pdf", GOOD),
        ],
    )
    items, problems = collect_inputs([archive])
    assert [i.member for i in items] == ["e/x.pdf"]
    reasons = sorted(p.reason for p in problems)
    assert "symbolic link; links in archives are never followed" in reasons[1]
    assert "lies under 'd', which is a symbolic link" in reasons[0]


def test_a_local_name_that_differs_from_the_directory_is_refused(tmp_path):
    archive = _write(tmp_path, "differs.zip", [with_(deflated("good.pdf", GOOD), local_name=b"../../x.pdf")])
    (item,), _ = collect_inputs([archive])
    with pytest.raises(MemberError, match=r"local header calls it '\.\./\.\./x\.pdf'") as caught:
        item.read_bytes()
    assert caught.value.refused


def test_members_of_one_name_are_all_read_by_their_place(tmp_path):
    other = GOOD.replace(b"%%EOF", b"%%EOF\n% another copy\n")
    archive = _write(tmp_path, "dup.zip", [deflated("same.pdf", GOOD), deflated("same.pdf", other)])
    items, problems = collect_inputs([archive])
    assert problems == [] and [i.member for i in items] == ["same.pdf", "same.pdf"]
    assert [i.read_bytes() for i in items] == [GOOD, other]
    assert all("2 members named 'same.pdf'" in i.notes[0] for i in items)


def test_nested_archives_are_followed_to_a_bounded_depth(tmp_path):
    inner = _zip({"a.pdf": GOOD})
    (tmp_path / "outer.zip").write_bytes(_zip({"inner.zip": inner}))
    (item,), problems = collect_inputs([tmp_path / "outer.zip"])
    assert problems == [] and item.name.endswith("outer.zip!inner.zip!a.pdf")
    assert item.read_bytes() == GOOD
    deep = inner
    for level in range(5):
        deep = _zip({f"level{level}.zip": deep})
    (tmp_path / "deep.zip").write_bytes(deep)
    items, problems = collect_inputs([tmp_path / "deep.zip"], LimitSettings(max_zip_depth=3))
    assert items == [] and "archives nested deeper than 3 are not opened" in problems[0].reason


@pytest.mark.parametrize(
    "member,reason",
    [
        (with_(deflated("c.pdf", GOOD), flags=rawzip.FLAG_ENCRYPTED), "encrypted"),
        (with_(deflated("c.pdf", GOOD), method=9), "method 9 (Deflate64)"),
        (with_(deflated("c.pdf", GOOD), method=93), "method 93 (Zstandard)"),
        (with_(deflated("c.pdf", GOOD), crc=123), "CRC-32 check fails"),
        (with_(deflated("c.pdf", GOOD), size=100), "holds 193,627 bytes where the archive says 100"),
    ],
)
def test_damaged_encrypted_and_unknown_members_fail_alone_with_their_reason(tmp_path, member, reason):
    archive = _write(tmp_path, "bad.zip", [member, deflated("z_good.pdf", GOOD)])
    items, _ = collect_inputs([archive])
    store = Store(sqlite_url(tmp_path))
    try:
        plan = plan_jobs(items, store, force=False)
    finally:
        store.close()
    (failed,) = plan.unreadable
    assert reason in failed.error and failed.error.startswith(f"{archive}!c.pdf")
    assert [job.item.member for job in plan.jobs] == ["z_good.pdf"]


def test_names_are_decoded_gbk_or_refused_when_their_utf8_flag_lies(tmp_path):
    archive = _write(
        tmp_path,
        "names.zip",
        [deflated("绩效.pdf".encode("gbk"), GOOD), deflated(b"a_\xff\xfe.pdf", GOOD, flags=rawzip.FLAG_UTF8)],
    )
    items, problems = collect_inputs([archive])
    assert [i.member for i in items] == ["绩效.pdf"]
    assert "marked UTF-8 but is not valid UTF-8" in problems[0].reason


def test_a_zip_bomb_stops_while_streaming_with_little_memory(tmp_path):
    payload, crc = deflate_zeros(256 << 20, prefix=b"%PDF-1.7\n", wrapper=False)
    # The directory lies about the size: only the stream's own growth can stop it.
    archive = _write(tmp_path, "bomb.zip", [Member(b"bomb.pdf", payload, crc, 4096, method=8)])
    (item,), _ = collect_inputs([archive])
    tracemalloc.start()
    try:
        with pytest.raises(MemberError, match="zip bomb") as caught:
            item.read_bytes()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.refused and peak < 200 << 20, f"{peak / 2**20:.0f} MiB held before stopping"


def test_a_member_declared_too_big_is_refused_before_inflating(tmp_path):
    payload, crc = deflate_zeros(1 << 20, wrapper=False)  # the directory says 3 GiB: that alone is enough
    archive = _write(tmp_path, "big.zip", [Member(b"big.pdf", payload, crc, 3 << 30, method=8)])
    (item,), _ = collect_inputs([archive])
    started = time.perf_counter()
    with pytest.raises(MemberError, match="inflates to 3,072 MB, more than one input may be"):
        item.read_bytes()
    assert time.perf_counter() - started < 1


def test_an_archive_total_is_bounded_across_members(tmp_path):
    pdf = b"%PDF-1.7\n" + bytes(3 << 20)
    archive = _write(tmp_path, "many.zip", [deflated(f"{i}.pdf", pdf) for i in range(4)])
    with archive.open("rb") as fp:
        members = list_members(fp, archive.stat().st_size)
        limits = LimitSettings(max_file_mb=4, max_archive_mb=10, max_zip_ratio=10**6)
        budget = Budget(limits.max_archive_mb << 20)
        for member in members[:3]:
            read_member(fp, member, limits, budget)
        with pytest.raises(MemberError, match="inflates past 10 MB in all"):
            read_member(fp, members[3], limits, budget)


def test_entries_over_one_stream_are_refused_as_a_bomb(tmp_path):
    archive = tmp_path / "overlap.zip"
    archive.write_bytes(rawzip.build([deflated("alias.pdf", GOOD)], aliases=9))
    items, problems = collect_inputs([archive])
    assert (
        items == [] and "overlaps another member's" in problems[0].reason and "(10 members alike)" in problems[0].reason
    )


def test_thousands_of_members_are_read_at_a_linear_pace(tmp_path, monkeypatch):
    # Bytes read from the archive, not seconds (timings stay out of the tests): reading every
    # member costs about the archive once whatever the count; re-reading its directory for each
    # member (quadratic) would cost the directory once per member.
    read = {"bytes": 0}

    class Counted(io.FileIO):
        def readinto(self, buffer) -> int:
            n = super().readinto(buffer)
            read["bytes"] += n or 0
            return n

    opened = Path.open

    def counted_open(self, mode="r", *args, **kwargs):
        if self.suffix == ".zip" and mode == "rb":
            return io.BufferedReader(Counted(self, "rb"))
        return opened(self, mode, *args, **kwargs)

    def bytes_per_archive_byte(count: int) -> float:
        archive = tmp_path / f"tiny_{count}.zip"
        archive.write_bytes(_zip({f"m/{i:05d}.pdf": b"x%d" % i for i in range(count)}))
        items, _ = collect_inputs([archive])
        read["bytes"] = 0
        with monkeypatch.context() as patch:
            patch.setattr(Path, "open", counted_open)
            with InputReader(LimitSettings()) as reader:
                digests = {reader.read(item)[1] for item in items}
        assert len(digests) == count
        return read["bytes"] / archive.stat().st_size

    small, large = bytes_per_archive_byte(500), bytes_per_archive_byte(5000)
    assert large > 0.2, "the members were not read through the archive file"
    assert large < 2 * max(small, 1.0), f"500 members read {small:.1f}x the archive, 5,000 {large:.1f}x: not linear"


def test_hashing_keeps_member_bytes_for_the_job_within_a_budget(tmp_path):
    copies = {f"{i}.pdf": GOOD + b"%" * (300_000 + i) for i in range(4)}  # ~490 KB each
    (tmp_path / "a.zip").write_bytes(_zip(copies))
    items, _ = collect_inputs([tmp_path / "a.zip"])
    store = Store(sqlite_url(tmp_path))
    try:
        kept = plan_jobs(items, store, force=False, limits=LimitSettings(keep_mb=1)).jobs
    finally:
        store.close()
    assert [job.data for job in kept] == list(copies.values())[:2] + [None] * 2  # two fit in 1 MB of budget
    assert [job.item.read_bytes() for job in kept[2:]] == list(copies.values())[2:]  # the others: read again
