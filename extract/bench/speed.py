"""Speed beyond the pipeline's own timings: raw OCR on the same pages, memory, start-up.

- raw full-page OCR: the engine the pipeline used (same instance, same dpi)
  detecting and recognising every line of each page, the baseline the
  pipeline's OCR of the cells it finds is compared to;
- peak resident memory of a one-file `extract` subprocess on a scan (what one
  worker needs), measured with wait4 on that child alone;
- start-up: wall seconds of `python -m extract extract ONE-PAGE.pdf`, median of
  several runs, and the slowest imports `python -X importtime` reports for it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pymupdf

from extract.ocr.base import OcrEngine
from extract.read.document import open_document
from extract.read.imaging import render_gray

ROOT = Path(__file__).resolve().parents[2]


def raw_ocr_seconds(files: list[Path], engine: OcrEngine, dpi: int) -> tuple[float, int]:
    """Seconds of `engine.read` on every whole page of the files (rendering left out), and the pages."""
    seconds, pages = 0.0, 0
    for path in files:
        document = open_document(path)
        try:
            for page in document.doc:
                gray = render_gray(page, dpi)
                start = time.perf_counter()
                engine.read(gray)
                seconds += time.perf_counter() - start
                pages += 1
        finally:
            document.close()
    return seconds, pages


def _extract_command(path: Path, *python_flags: str) -> list[str]:
    return [sys.executable, *python_flags, "-m", "extract", "extract", str(path)]


# A child's ru_maxrss counts the memory of the process it was forked from (Linux
# folds the old address space's high-water mark in at exec), so the bench, large
# by now, starts a small Python that starts `extract` and reports its child's peak.
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps({'peak_kb': peak, 'wall': time.perf_counter() - start, 'code': code}))\n"
)


def child_peak_rss(path: Path, timeout: float = 900) -> dict[str, Any]:
    """Run `extract FILE` as a subprocess; its own peak resident memory (MB), wall seconds and exit code."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *_extract_command(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "file": str(path),
        "peak_rss_mb": got["peak_kb"] / 1024.0,
        "wall_seconds": got["wall"],
        "exit_code": got["code"],
    }


def one_page_pdf(candidates: list[Path], folder: Path) -> Path | None:
    """A one-page text PDF: the first candidate that has one page, else the first page of the first candidate."""
    for path in candidates:
        with pymupdf.open(path) as doc:
            if doc.page_count == 1:
                return path
    if not candidates:
        return None
    out = folder / "one-page.pdf"
    with pymupdf.open(candidates[0]) as doc, pymupdf.open() as first:
        first.insert_pdf(doc, from_page=0, to_page=0)
        first.save(out)
    return out


def parse_importtime(stderr: str, top: int = 12) -> list[dict[str, Any]]:
    """The imports with the most cumulative microseconds in `python -X importtime` output."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        name = parts[2].rstrip()
        rows.append(
            {
                "module": name.strip(),
                "depth": (len(name) - len(name.lstrip())) // 2,
                "self_ms": int(parts[0]) / 1000,
                "cumulative_ms": int(parts[1]) / 1000,
            }
        )
    rows.sort(key=lambda r: -r["cumulative_ms"])
    return rows[:top]


def startup(candidates: list[Path], runs: int = 5) -> dict[str, Any]:
    """Wall seconds of a one-page `extract` as a subprocess (start-up included), and its top imports."""
    with tempfile.TemporaryDirectory() as tmp:
        path = one_page_pdf(candidates, Path(tmp))
        if path is None:
            return {"note": "no text-layer PDF in this run to time"}
        walls, codes = [], set()
        for _ in range(runs):
            start = time.perf_counter()
            proc = subprocess.run(_extract_command(path), capture_output=True, cwd=ROOT, timeout=300)
            walls.append(time.perf_counter() - start)
            codes.add(proc.returncode)
        traced = subprocess.run(
            _extract_command(path, "-X", "importtime"), capture_output=True, text=True, cwd=ROOT, timeout=300
        )
        return {
            "file": path.name if path.parent != Path(tmp) else f"page 1 of {candidates[0].name}",
            "runs": walls,
            "median_seconds": statistics.median(walls),
            "exit_codes": sorted(codes),
            "top_imports": parse_importtime(traced.stderr),
        }
