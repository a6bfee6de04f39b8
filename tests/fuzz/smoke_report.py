"""Judge one smoke run against its case's `expect`, and print the table and the summary."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fuzz.smoke import Run

ALLOWED_EXIT = {0, 1, 2, 4}
INTERNAL_EXIT = 70  # documented ("a bug"), so reported as internal_error rather than bad_exit
NO_FORM = "no 财政项目支出绩效目标申报表 or 绩效自评表"  # the start of the no-form message
REFUSAL = (
    "refus",
    "unsafe",
    "not allowed",
    "outside the archive",
    "path traversal",
    "symlink",
    "symbolic link",
    "zip bomb",
    "too large",
    "too big",
    "too many",
)
MEMORY = re.compile(
    r"MemoryError|bad_alloc|out of memory|Cannot allocate|malloc.*fail|"
    r"cannot allocate|memory exhausted",
    re.IGNORECASE,
)
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?::|$)")  # "pkg.mod.SomeError: ..."
INGEST_LINE = re.compile(r"^(\d+ files done|\[\d+/\d+\]|skipping \d+ files)")
RSS_LIMIT_MB = 2800.0
ACCEPT = {
    "records": {"records"},
    "blank": {"blank"},
    "error": {"error", "refused"},
    "refused": {"refused", "error"},
    "either": {"records", "blank", "error", "refused"},
}
KINDS = [
    "traceback",
    "timeout",
    "memory",
    "signal",
    "bad_exit",
    "wrote_outside",
    "internal_error",
    "no_message",
    "noisy_stderr",
    "mismatch",
    "record_count",
]
FRAME = re.compile(r'File "[^"]*/(extract/[\w/]+\.py)", line (\d+), in (\w+)')
# Records the default good PDF (4 self-evaluation forms; page 3 holds 1) must give, where a
# count says more than "some": a silently dropped member shows here.
EXPECTED_RECORDS = {
    "zip_control_good": 4,
    "zip_duplicate_name_different_bytes": 8,
    "zip_duplicate_name_same_bytes": 4,
    "zip_gbk_name_no_flag": 4,
    "zip_cp437_name": 4,
    "zip_nested_depth_2": 4,
    "png_form_page3_150dpi": 1,
    "zip_mixed_bad_crc_and_good": 4,
    "zip_mixed_bad_png_and_good": 4,
    "zip_mixed_count_lie_and_good": 4,
    "zip_mixed_encrypted_flag_and_good": 4,
    "zip_mixed_utf8_invalid_name_and_good": 4,
    "zip_mixed_slip_and_good": 4,
    "zip_mixed_bomb_and_good": 4,
}


@dataclass
class Outcome:
    got: str
    problems: list[str] = field(default_factory=list)
    traceback: bool = False
    last_line: str = ""
    mismatch: str = ""
    origin: str = ""  # the innermost extract/ frame of a traceback

    @property
    def verdict(self) -> str:
        return "ok" if not self.problems else ",".join(self.problems)


def last_line(stderr: str, traceback: bool) -> str:
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return ""
    if traceback:
        for line in reversed(lines):
            if EXCEPTION_LINE.match(line):
                return line
    for line in reversed(lines):
        if line.startswith("error:"):
            return line
    return lines[-1]


def origin(stderr: str) -> str:
    """The innermost extract/ frame of the first traceback that has one (a worker's comes first)."""
    for block in stderr.split("Traceback (most recent call last)")[1:]:
        frames = FRAME.findall(block)
        if frames:
            path, line, func = frames[-1]
            where = " (in a worker)" if "_RemoteTraceback" in stderr else ""
            return f"{path}:{line} {func}{where}"
    return ""


def _messages(run: Run) -> str:
    """The error lines, lower-cased, with the case's own path cut out (its name may say 'bomb')."""
    lines = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    return "\n".join(lines).replace(str(run.case.path), "CASE").lower()


def _got(run: Run, traceback: bool) -> str:
    err = _messages(run)
    if run.timed_out:
        return "timeout"
    if run.returncode < 0:
        return "killed"
    if traceback:
        return "crash"
    if run.records:
        return "records"
    if run.case.is_zip and any(word in err for word in REFUSAL):
        return "refused"
    if run.returncode == 0 or NO_FORM in run.stderr:
        return "blank"
    return "error"


def classify(run: Run) -> Outcome:
    traceback = "Traceback (most recent call last)" in run.stderr
    out = Outcome(
        _got(run, traceback),
        traceback=traceback,
        last_line=last_line(run.stderr, traceback),
        origin=origin(run.stderr) if traceback else "",
    )
    problems = out.problems
    if traceback:
        problems.append("traceback")
    if run.timed_out:
        problems.append("timeout")
    elif run.returncode < 0:
        problems.append("signal")
    elif run.returncode not in ALLOWED_EXIT | {INTERNAL_EXIT}:
        problems.append("bad_exit")
    if MEMORY.search(run.stderr) or run.peak_rss_mb > RSS_LIMIT_MB:
        problems.append("memory")
    if run.new_paths or run.slip_target_made:
        problems.append("wrote_outside")
    if "internal error" in run.stderr or run.returncode == INTERNAL_EXIT:
        problems.append("internal_error")
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    if out.got == "error" and not any(line.startswith("error:") for line in lines):
        problems.append("no_message")
    if not traceback and any(
        not line.startswith(("error:", "warning:", "  review")) and not INGEST_LINE.match(line) for line in lines
    ):
        problems.append("noisy_stderr")
    if out.got not in ACCEPT[run.case.expect]:
        out.mismatch = f"expected {run.case.expect}, got {out.got}"
        problems.append("mismatch")
    want = EXPECTED_RECORDS.get(run.case.name) if run.check_counts else None
    if want is not None and out.got in ("records", "blank", "error", "refused") and (run.records or 0) != want:
        out.mismatch = (out.mismatch + "; " if out.mismatch else "") + f"{run.records or 0} records, want {want}"
        problems.append("record_count")
    return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(runs: list[Run]) -> None:
    head = (
        f"{'case':44} {'family':15} {'expect':7} {'got':8} {'exit':>4} {'secs':>6} {'rssMB':>6} tb  "
        "verdict / last stderr line"
    )
    print(head)
    print("-" * len(head))
    for run in runs:
        o = run.outcome
        assert o is not None
        print(
            f"{_cut(run.case.name, 44):44} {_cut(run.case.family, 15):15} {run.case.expect:7} {o.got:8} "
            f"{run.returncode:>4} {run.seconds:>6.1f} {run.peak_rss_mb:>6.0f} {'Y' if o.traceback else '-':3} "
            f"{o.verdict} | {_cut(o.last_line, 140)}"
        )


def print_summary(runs: list[Run], corpus_changes: list[str], seconds: float | None) -> None:
    by_kind: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        assert run.outcome is not None
        for kind in run.outcome.problems:
            by_kind[kind].append(run)
    ok = sum(1 for r in runs if r.outcome is not None and not r.outcome.problems)
    took = f"{seconds:.0f}s" if seconds is not None else "rejudged"
    print(f"\n=== summary: {len(runs)} cases, {ok} ok, {len(runs) - ok} with problems, {took} ===")
    for kind in KINDS:
        print(f"{kind:15} {len(by_kind.get(kind, []))}")
    for kind in KINDS:
        group = by_kind.get(kind, [])
        if not group:
            continue
        print(f"\n--- {kind} ({len(group)}) ---")
        for run in group:
            o = run.outcome
            assert o is not None
            extra = f" [{o.mismatch}]" if kind in ("mismatch", "record_count") else ""
            if kind == "traceback":
                extra = f" at {o.origin}"
            if kind == "wrote_outside":
                extra = f" new: {run.new_paths[:5]} /tmp/x.pdf made: {run.slip_target_made}"
            print(
                f"{run.case.name}: exit {run.returncode}, {run.seconds:.1f}s, {run.peak_rss_mb:.0f} MB"
                f"{extra} | {_cut(o.last_line, 200)}"
            )
    print("\n--- slowest 10 ---")
    for run in sorted(runs, key=lambda r: -r.seconds)[:10]:
        print(f"{run.case.name}: {run.seconds:.1f}s, {run.peak_rss_mb:.0f} MB")
    print("\n--- largest peak RSS 10 ---")
    for run in sorted(runs, key=lambda r: -r.peak_rss_mb)[:10]:
        print(f"{run.case.name}: {run.peak_rss_mb:.0f} MB, {run.seconds:.1f}s")
    print(f"\ncorpus folder changed by the runs: {corpus_changes or 'no'}")
