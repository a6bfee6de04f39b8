"""Batch throughput: pages a second with --workers 1 and --workers 2, and their ratio.

    python benchmarks/batch_throughput.py                 # text-layer batch, >= 100 pages
    python benchmarks/batch_throughput.py --scans office  # scanned batch of the committed office scans
    python benchmarks/batch_throughput.py --executor ray  # the same on a local Ray instance (1 and 2 actors)

Each run is a real `filing-extract ingest` subprocess on a fresh output folder;
the batch is made of the committed samples copied under distinct bytes (a
trailing PDF comment), so no file is skipped as a duplicate. Timings belong
here, not in the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent


def make_batch(sources: list[Path], folder: Path, min_pages: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    pages, copy = 0, 0
    while pages < min_pages:
        for src in sources:
            data = src.read_bytes() + f"\n% copy {copy}\n".encode()
            (folder / f"{copy:03d}_{src.name}").write_bytes(data)
            with pymupdf.open(src) as doc:
                pages += doc.page_count
        copy += 1
    return pages


def run(batch: Path, workers: int, executor: str) -> float:
    out = Path(tempfile.mkdtemp(prefix="fe-throughput-"))
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "extract",
            "ingest",
            str(batch),
            "--out",
            str(out),
            "--workers",
            str(workers),
            "--executor",
            executor,
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed: {proc.stderr[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", default=None, metavar="GRADE", help="use samples/scans/GRADE instead of text")
    parser.add_argument("--min-pages", type=int, default=100)
    parser.add_argument("--executor", choices=("local", "ray"), default="local")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    source = ROOT / "samples" / ("scans/" + args.scans if args.scans else "text")
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch"
        pages = make_batch(sorted(source.glob("*.pdf")), batch, args.min_pages)
        figures = {"batch": str(source.relative_to(ROOT)), "pages": pages, "executor": args.executor}
        for workers in (1, 2):
            seconds = run(batch, workers, args.executor)
            figures[f"workers_{workers}"] = {
                "seconds": round(seconds, 2),
                "pages_per_second": round(pages / seconds, 3),
            }
            print(f"--workers {workers}: {pages} pages in {seconds:.1f} s = {pages / seconds:.2f} pages/s", flush=True)
        ratio = figures["workers_2"]["pages_per_second"] / figures["workers_1"]["pages_per_second"]
        figures["speedup_2_over_1"] = round(ratio, 3)
        print(f"speed-up with 2 workers: {ratio:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
