"""Peers that do the same job on the same pages: table extractors, timed and scored.

The peers produce tables, not records, so what can be scored is this: the share
of the gold forms' field values found verbatim among the peer's cell texts on
each form's pages (text compared folded, without white space; numbers without
thousands separators; a value the form repeats, as under a merged cell, is
found where one cell holds it). A value printed inside a longer cell
(`项目性质：其他一次性项目`) or in another spelling than the record's (dates,
years) counts as not found, for every system alike: the number is a ceiling on
what a person could copy out of the peer's tables, not fields right. The
cells the pipeline's own grid read get the same score, for comparison.

Text pages: camelot lattice (line_scale 40, as tables.py) and PyMuPDF
find_tables. Scans: img2table with Tesseract (chi_sim), in its own virtual
environment (benchmarks/peers_env.py), run as a subprocess
(benchmarks/peers/img2table_tables.py) on the pages rendered at the pipeline's dpi.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from extract.bench import tables
from extract.bench.scoring import flatten, gold_path, read_gold
from extract.normalize.text import fold, join_lines
from models import Record

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "benchmarks" / "peers" / "img2table_tables.py"
ENV_SCRIPT = ROOT / "benchmarks" / "peers_env.py"
_NUMBER = re.compile(r"^[+-]?[\d,]+(\.\d+)?$")
TEXT_PEERS = ("camelot lattice", "pymupdf find_tables")
SCORE_MEANING = "gold field values found verbatim among the system's cell texts on the form's pages"


def norm_text(text: Any) -> str:
    """A value or a cell's text as compared: lines joined, folded, numbers without separators."""
    if text is None:
        return ""
    out = fold(join_lines(str(text).split("\n")))
    return out.replace(",", "") if _NUMBER.match(out) else out


def gold_values(record: Record) -> list[str]:
    """The printed values of a gold form: every scored field but its type and source, as text."""
    out = []
    for path, value in flatten(record).items():
        if path == "form_type" or path.startswith("source") or value is None or isinstance(value, bool):
            continue
        text = norm_text(value)
        if text:
            out.append(text)
    return out


def score_cells(gold: list[Record], cells: dict[int, list[str]]) -> tuple[int, int]:
    """(found, values): each gold form's values found among the cell texts on its pages (1-based)."""
    found = total = 0
    for record in gold:
        pages = record.source.pages if record.source and record.source.pages else sorted(cells)
        have = {norm_text(c) for p in pages for c in cells.get(p, []) if c}
        want = gold_values(record)
        total += len(want)
        found += sum(text in have for text in want)
    return found, total


@dataclass
class PeerScore:
    system: str
    profile: str
    group: str = ""
    files: int = 0
    pages: int = 0
    seconds: float = 0.0
    values: int = 0
    found: int = 0
    pipeline_pages: int = 0  # the pipeline on the same files, from its accuracy run
    pipeline_seconds: float = 0.0
    note: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / self.pages if self.pages else 0.0

    @property
    def score(self) -> float | None:
        return self.found / self.values if self.values else None

    def summary(self) -> dict[str, Any]:
        pipeline = self.pipeline_seconds / self.pipeline_pages if self.pipeline_pages else 0.0
        return {
            **asdict(self),
            "errors": self.errors[:10],
            "seconds_per_page": self.seconds_per_page,
            "score": self.score,
            "pipeline_seconds_per_page": pipeline,
            "ratio_to_pipeline": self.seconds_per_page / pipeline if pipeline and self.pages else None,
        }


def text_peers(files: list[Path], profile: str) -> list[PeerScore]:
    """camelot, PyMuPDF and this project's grid on every page of text-layer PDFs."""
    systems = {name: tables.SYSTEMS[name] for name in TEXT_PEERS}
    out = {name: PeerScore(name, profile) for name in systems}
    for pdf in files:
        gold = read_gold(gold_path(pdf))
        with pymupdf.open(pdf) as doc:
            pages = doc.page_count
        for name, system in systems.items():
            score = out[name]
            cells: dict[int, list[str]] = {}
            for page in range(pages):
                grids = tables.timed_grids(system, pdf, page, score)
                cells[page + 1] = [c for grid in grids for row in grid for c in row if c]
            found, values = score_cells(gold, cells)
            score.files += 1
            score.found += found
            score.values += values
    return list(out.values())


def ensure_img2table_env(timeout: float = 1800) -> tuple[Path | None, str]:
    """The img2table environment's python (made on first use), or None and why it is missing."""
    try:
        proc = subprocess.run(
            [sys.executable, str(ENV_SCRIPT)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"the img2table environment could not be made: {exc}"
    line = (proc.stdout.strip().splitlines() or [""])[-1]
    if proc.returncode != 0:
        return None, f"the img2table environment could not be made ({line or proc.stderr.strip()[-300:]})"
    return Path(line.split(":", 1)[0]), ""


def img2table_peer(files: list[Path], profile: str, python: Path, dpi: int, timeout: float = 3600) -> PeerScore:
    """img2table + Tesseract over scanned files, in its own environment; scored like the text peers."""
    score = PeerScore("img2table + tesseract", profile)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tables.json"
        command = [str(python), str(RUNNER), "--out", str(out), "--dpi", str(dpi)]
        command += ["--threads", str(os.cpu_count() or 1), *map(str, files)]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            score.note = f"img2table did not finish: {exc}"
            return score
        if proc.returncode != 0 or not out.exists():
            score.note = f"img2table failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}"
            return score
        report = json.loads(out.read_text(encoding="utf-8"))
    for entry in report["files"]:
        score.files += 1
        if entry.get("error"):
            score.errors.append(f"{Path(entry['path']).name}: {entry['error']}")
        cells = {page["page"]: [c for t in page["tables"] for row in t for c in row if c] for page in entry["pages"]}
        score.pages += len(entry["pages"])
        score.seconds += sum(page["seconds"] for page in entry["pages"])
        found, values = score_cells(read_gold(gold_path(Path(entry["path"]))), cells)
        score.found += found
        score.values += values
    score.note = f"img2table {report.get('version', '?')}, {report.get('settings', '')}".strip(", ")
    return score
