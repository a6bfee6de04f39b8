"""Self-check (not a pytest test): build the corpus, run the CLI on every case, print a table.

    .venv/bin/python -m tests.fuzz.smoke [--timeout 60] [--jobs 2] [--only SUBSTRING] [--keep]

Non-zip cases run `python -m extract extract CASE`; zips run `python -m extract ingest ZIP
--out OUT`. Each run gets its own sandbox (cwd three folders deep inside it, OUT inside cwd),
a timeout and an address-space cap (RLIMIT_AS). The sandbox is listed before and after, so a
run that writes anywhere but OUT (zip-slip) is caught; /tmp/x.pdf is checked too, never made.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tests.fuzz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.case import Case
from tests.fuzz.hostile import GOOD_PDF, build_corpus
from tests.fuzz.smoke_report import Outcome, classify, print_summary, print_table

MEMORY_CAP = 3 << 30
SLIP_TARGET = Path("/tmp/x.pdf")
_SPAWN = threading.Lock()


@dataclass
class Run:
    """What one CLI run did; `outcome` is filled in by smoke_report.classify."""

    case: Case
    argv: list[str]
    returncode: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    records: int | None = None
    new_paths: list[str] = field(default_factory=list)
    slip_target_made: bool = False
    check_counts: bool = True  # the record counts in smoke_report assume the default good PDF
    outcome: Outcome | None = None


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def snapshot(root: Path, skip: Path) -> set[str]:
    """Every path under ROOT (links not followed), except SKIP and what is under it."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d != skip]
        for name in dirs + files:
            path = here / name
            kind = "l" if path.is_symlink() else ("d" if path.is_dir() else "f")
            found.add(f"{kind}:{path.relative_to(root)}")
    return found


def _wait(pid: int, timeout: float) -> tuple[int, float, bool]:
    """(returncode, peak RSS in MB, timed out): os.wait4 gives this child's own rusage."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.05)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, usage.ru_maxrss / 1024, timed_out


def _count_records(run: Run, out: Path) -> None:
    if run.case.is_zip:
        records = out / "records.jsonl"
        if records.exists():
            run.records = sum(1 for line in records.read_text(encoding="utf-8").splitlines() if line)
        return
    try:
        parsed = json.loads(run.stdout) if run.stdout.strip() else None
    except json.JSONDecodeError:
        parsed = None
    if isinstance(parsed, list):
        run.records = len(parsed)


def run_case(case: Case, work: Path, timeout: float, check_counts: bool = True) -> Run:
    box = work / "sandbox" / case.name
    cwd = box / "a" / "b" / "c" / "cwd"
    out = cwd / "out"
    cwd.mkdir(parents=True)
    if case.is_zip:
        argv = [sys.executable, "-m", "extract", "ingest", str(case.path), "--out", str(out)]
    else:
        argv = [sys.executable, "-m", "extract", "extract", str(case.path)]
    run = Run(case, argv, check_counts=check_counts)
    before = snapshot(box, out)
    slip_before = SLIP_TARGET.exists() or SLIP_TARGET.is_symlink()
    with open(box / "stdout", "wb") as so, open(box / "stderr", "wb") as se:
        start = time.perf_counter()
        with _SPAWN:  # one fork at a time; the other threads only poll os.wait4 and sleep
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                stdout=so,
                stderr=se,
                stdin=subprocess.DEVNULL,
                preexec_fn=_limit_memory,
                start_new_session=True,
            )
        run.returncode, run.peak_rss_mb, run.timed_out = _wait(proc.pid, timeout)
        proc.returncode = run.returncode  # reaped by os.wait4 already
        run.seconds = time.perf_counter() - start
    run.stdout = (box / "stdout").read_bytes().decode("utf-8", "replace")
    run.stderr = (box / "stderr").read_bytes().decode("utf-8", "replace")
    after = snapshot(box, out)
    run.new_paths = sorted(after - before - {"f:stdout", "f:stderr"})
    run.slip_target_made = not slip_before and (SLIP_TARGET.exists() or SLIP_TARGET.is_symlink())
    _count_records(run, out)
    run.outcome = classify(run)
    return run


def tested_package(work: Path) -> str:
    """Where the children import `extract` from (PYTHONPATH=DIR tests another checkout)."""
    probe = subprocess.run(
        [sys.executable, "-c", "import extract; print(extract.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    return (probe.stdout or probe.stderr).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (default 2)")
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    parser.add_argument("--work", type=Path, default=None, help="folder to work in (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write every run's details here")
    parser.add_argument("--good-pdf", type=Path, default=GOOD_PDF)
    parser.add_argument("--rejudge", type=Path, default=None, help="judge a saved --json run again; run nothing")
    args = parser.parse_args(argv)
    if args.rejudge:
        return rejudge(args.rejudge)
    if SLIP_TARGET.exists():
        print(f"warning: {SLIP_TARGET} exists before the run; zip-slip to it cannot be detected", file=sys.stderr)
    work = args.work or Path(tempfile.mkdtemp(prefix="fuzz-smoke-"))
    start = time.perf_counter()
    cases = [c for c in build_corpus(work / "corpus", args.good_pdf) if args.only in c.name]
    corpus_before = snapshot(work / "corpus", work / "none")
    print(f"built {len(cases)} cases in {time.perf_counter() - start:.1f}s under {work}", file=sys.stderr)
    print(f"testing {tested_package(work)}", file=sys.stderr)
    runs: list[Run] = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        counts = args.good_pdf.resolve() == GOOD_PDF
        futures = [pool.submit(run_case, case, work, args.timeout, counts) for case in cases]
        for n, future in enumerate(futures, 1):
            run = future.result()
            runs.append(run)
            assert run.outcome is not None
            print(
                f"[{n}/{len(cases)}] {run.case.name}: {run.outcome.verdict} ({run.seconds:.1f}s)",
                file=sys.stderr,
                flush=True,
            )
    corpus_after = snapshot(work / "corpus", work / "none")
    print_table(runs)
    print_summary(runs, sorted(corpus_after - corpus_before), time.perf_counter() - start)
    if args.json:
        save_runs(runs, args.json)
    return 0


def save_runs(runs: list[Run], path: Path) -> None:
    rows = [
        {
            **{k: v for k, v in asdict(r).items() if k not in ("case", "outcome", "stdout")},
            "case": r.case.name,
            "path": str(r.case.path),
            "family": r.case.family,
            "description": r.case.description,
            "expect": r.case.expect,
            "outcome": asdict(r.outcome) if r.outcome else None,
            "stdout_head": r.stdout[:500],
        }
        for r in runs
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def rejudge(path: Path) -> int:
    """Judge a saved run again (after a change to smoke_report) without running anything."""
    runs = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        case = Case(
            row["case"],
            Path(row.get("path") or row["argv"][4]),
            row["family"],
            row.get("description", ""),
            row["expect"],
        )
        run = Run(
            case,
            row["argv"],
            row["returncode"],
            row["seconds"],
            row["peak_rss_mb"],
            row["timed_out"],
            row.get("stdout_head", ""),
            row["stderr"],
            row["records"],
            row["new_paths"],
            row["slip_target_made"],
            row.get("check_counts", True),
        )
        run.outcome = classify(run)
        runs.append(run)
    print_table(runs)
    print_summary(runs, [], None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
