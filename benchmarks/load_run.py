"""Load: one batch of thousands of files through `filing-extract ingest --workers 2`, memory watched.

    .venv/bin/python benchmarks/load_run.py [--files 2000] [--scans 20] [--workers 2] [--out benchmarks/load]

Generates distinct text-layer PDFs (unseen documents from samples.generate, each varied by a
trailing comment so every file has its own hash) and a few image-only scans of them, runs the
real CLI on the whole folder, and samples the resident memory of the parent and of every worker
process (psutil) twice a second beside the number of files stored. Then it checks that every
input is accounted for (done, or failed with a reason) and writes the figures (files, seconds,
peak memory per worker, memory at start and end, growth per file) to OUT/latest.json and a
short OUT/README.md. Memory must stay flat: growth per file above a small bound fails the run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samples.generate import unseen_documents, write_scans  # noqa: E402

GROWTH_BOUND_KB = 50.0  # resident memory a file may add, on average, after the warm-up


def make_inputs(folder: Path, files: int, scans: int, seed: int) -> tuple[int, int]:
    """FILES text PDFs and SCANS scans in FOLDER, every one with bytes of its own; (texts, scans)."""
    work = folder.parent / "generated"
    docs = unseen_documents(work / "text", n_forms=80, seed=seed, fonts=("embedded",))
    folder.mkdir(parents=True, exist_ok=True)
    texts = files - scans
    for n in range(texts):
        source = docs[n % len(docs)]
        (folder / f"t{n:05d}.pdf").write_bytes(source.read_bytes() + b"\n%% load copy %d\n" % n)
    scanned = write_scans(docs[:4], work / "scans", ["office"], seed=seed)
    for n in range(scans):
        source = scanned[n % len(scanned)]
        (folder / f"s{n:05d}.pdf").write_bytes(source.read_bytes() + b"\n%% load copy %d\n" % n)
    return texts, scans


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from files").fetchone()[0]
    except sqlite3.Error:
        return 0


class Sampler(threading.Thread):
    """Resident memory of the run's parent and each worker, with the files stored so far."""

    def __init__(self, pid: int, db: Path, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.db, self.every = pid, db, every
        self.samples: list[dict] = []
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.stop.is_set():
            try:
                parent = psutil.Process(self.pid)
                workers = {c.pid: c.memory_info().rss / 2**20 for c in parent.children()}
                rss = parent.memory_info().rss / 2**20
            except psutil.Error:
                break
            files = _stored(self.db)
            sample = {"t": time.monotonic() - start, "files": files, "parent_mb": rss, "workers_mb": workers}
            self.samples.append(sample)
            self.stop.wait(self.every)


def slope_kb_per_file(points: list[tuple[int, float]]) -> float:
    """Least-squares growth of memory (MB) with files stored, in KB a file."""
    if len(points) < 3 or points[-1][0] == points[0][0]:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return 1024 * sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def figures(samples: list[dict], total: int) -> dict:
    warm = [s for s in samples if s["files"] >= total * 0.2]  # after the warm-up: engines built, caches full
    workers: dict[int, list[tuple[int, float]]] = {}
    for s in samples:
        for pid, mb in s["workers_mb"].items():
            workers.setdefault(pid, []).append((s["files"], mb))
    long_lived = {pid: pts for pid, pts in workers.items() if len(pts) >= 10}
    first = next((s for s in samples if s["files"] >= 1), samples[0]) if samples else None
    return {
        "parent_mb_launch": round(samples[0]["parent_mb"], 1) if samples else None,
        "parent_mb_start": round(first["parent_mb"], 1) if first else None,  # once the first file is stored
        "parent_mb_end": round(samples[-1]["parent_mb"], 1) if samples else None,
        "parent_mb_peak": round(max(s["parent_mb"] for s in samples), 1) if samples else None,
        "parent_growth_kb_per_file": round(slope_kb_per_file([(s["files"], s["parent_mb"]) for s in warm]), 2),
        "worker_processes": len(workers),
        "worker_peak_mb": {str(pid): round(max(mb for _, mb in pts), 1) for pid, pts in workers.items()},
        "worker_mb_start": {
            str(pid): round(next((mb for f, mb in pts if f >= 1), pts[0][1]), 1) for pid, pts in long_lived.items()
        },
        "worker_mb_end": {str(pid): round(pts[-1][1], 1) for pid, pts in long_lived.items()},
        "worker_growth_kb_per_file": {
            str(pid): round(slope_kb_per_file([p for p in pts if p[0] >= total * 0.2]), 2)
            for pid, pts in long_lived.items()
        },
    }


def account(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute("select status, count(*) from files group by status").fetchall())
        no_reason = conn.execute("select count(*) from files where status = 'failed' and error is null").fetchone()[0]
        paths = conn.execute("select count(distinct path) from file_paths").fetchone()[0]
        forms = conn.execute("select count(*) from forms").fetchone()[0]
    return {"statuses": statuses, "failed_without_reason": no_reason, "paths": paths, "forms": forms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--scans", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "load")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="filing-extract-load-"))
    try:
        started = time.perf_counter()
        texts, scans = make_inputs(work / "inputs", args.files, args.scans, args.seed)
        print(f"made {texts} text PDFs and {scans} scans in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        out = work / "out"
        command = [sys.executable, "-m", "extract", "ingest", str(work / "inputs"), "--out", str(out)]
        command += ["--workers", str(args.workers), "--quiet"]
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        sampler = Sampler(proc.pid, out / "filings.sqlite")
        sampler.start()
        _, stderr = proc.communicate()
        seconds = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        counts = account(out / "filings.sqlite")
        report = {
            "files": args.files,
            "text_files": texts,
            "scanned_files": scans,
            "workers": args.workers,
            "exit_code": proc.returncode,
            "seconds": round(seconds, 1),
            "files_per_second": round(args.files / seconds, 2),
            **counts,
            **figures(sampler.samples, args.files),
            "samples": len(sampler.samples),
            "timeline": sampler.samples[:: max(1, len(sampler.samples) // 200)],  # every 200th of the run
            "machine": f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB",
        }
        accounted = sum(counts["statuses"].values()) == args.files and counts["paths"] == args.files
        growths = [report["parent_growth_kb_per_file"], *report["worker_growth_kb_per_file"].values()]
        report["every_file_accounted_for"] = accounted and counts["failed_without_reason"] == 0
        report["memory_flat"] = all(g <= GROWTH_BOUND_KB for g in growths)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "latest.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        (args.out / "README.md").write_text(readme(report), encoding="utf-8")
        print(json.dumps({k: v for k, v in report.items() if not isinstance(v, dict)}, indent=1))
        if proc.returncode not in (0, 1):
            print(stderr[-3000:], file=sys.stderr)
        return 0 if report["every_file_accounted_for"] and report["memory_flat"] and proc.returncode == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def readme(r: dict) -> str:
    peaks = ", ".join(f"{mb:.0f}" for mb in r["worker_peak_mb"].values())
    growth = ", ".join(f"{g:+.1f}" for g in r["worker_growth_kb_per_file"].values())
    peak = r["parent_mb_peak"]
    starts = ", ".join(f"{mb:.0f}" for mb in r["worker_mb_start"].values())
    ends = ", ".join(f"{mb:.0f}" for mb in r["worker_mb_end"].values())
    return f"""# Load run

`benchmarks/load_run.py`: one `filing-extract ingest --workers {r["workers"]}` batch of {r["files"]:,} generated
files ({r["text_files"]:,} text-layer PDFs of unseen forms, {r["scanned_files"]} image-only scans, which sort
first), every file with bytes of its own, on {r["machine"]}. Resident memory of the parent and of each worker was
sampled twice a second (psutil) beside the number of files stored. Figures and timeline: [`latest.json`](latest.json).

| figure | value |
|---|---|
| files | {r["files"]:,} ({r["statuses"]}), {r["forms"]:,} forms |
| every file accounted for (done, or failed with a reason) | {r["every_file_accounted_for"]} |
| exit code | {r["exit_code"]} |
| seconds | {r["seconds"]:,} ({r["files_per_second"]} files/s) |
| parent memory, first file stored / end / peak | {r["parent_mb_start"]} / {r["parent_mb_end"]} / {peak} MB |
| parent growth per file (after 20% of the files) | {r["parent_growth_kb_per_file"]:+.1f} KB |
| worker processes | {r["worker_processes"]} |
| worker memory, first file stored / end | {starts} / {ends} MB |
| peak memory per worker | {peaks} MB |
| worker growth per file (after 20% of the files) | {growth} KB |
| memory flat (growth per file at most {GROWTH_BOUND_KB:g} KB) | {r["memory_flat"]} |

Run it again with `.venv/bin/python benchmarks/load_run.py` (about ten minutes on 2 cores); it exits 1 if a file
is unaccounted for or memory grows.
"""


if __name__ == "__main__":
    raise SystemExit(main())
