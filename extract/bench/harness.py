"""`filing-extract bench`: accuracy, review quality, speed, and peers, in one run.

Profiles are folders of labelled samples: `text` (SAMPLES/text) and the scan
grades (SAMPLES/scans/GRADE). Every figure lands in bench.json; bench.md holds
the tables and a chart of accuracy against seconds a page.
"""

from __future__ import annotations

import json
import resource
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pymupdf
from rapidfuzz.distance import Levenshtein

from extract.bench.scoring import Tally, category, gold_path, pair_forms, read_gold
from extract.datamodel.result import FileResult
from extract.errors import ExtractError
from extract.normalize.text import fold
from extract.pipeline import Extractor
from extract.settings import OcrSettings, Settings
from models import Record


@dataclass
class RunResult:
    system: str
    profile: str
    fields: int = 0
    right: int = 0
    by_category: dict[str, list[int]] = field(default_factory=dict)  # category -> [right, total]
    cer_chars: int = 0
    cer_edits: int = 0
    forms: int = 0
    forms_exact: int = 0
    forms_missed: int = 0
    forms_invented: int = 0
    wrong_flagged: int = 0
    wrong_silent: int = 0
    right_flagged: int = 0
    pages: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    note: str = ""

    @property
    def accuracy(self) -> float:
        return self.right / self.fields if self.fields else 0.0

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / self.pages if self.pages else 0.0

    @property
    def cer(self) -> float:
        return self.cer_edits / self.cer_chars if self.cer_chars else 0.0

    def summary(self) -> dict:
        out = asdict(self)
        out.update(
            accuracy=self.accuracy,
            seconds_per_page=self.seconds_per_page,
            cer=self.cer,
            stages_per_page={k: v / self.pages for k, v in self.stages.items()} if self.pages else {},
        )
        return out


def profile_files(samples: Path, profile: str) -> list[Path]:
    folder = samples / "text" if profile == "text" else samples / "scans" / profile
    return sorted(folder.glob("*.pdf"))


def tally_file(run: RunResult, result: FileResult, gold_file: Path) -> None:
    """Add one file's records to the run's figures (the scoring the tests check)."""
    gold = read_gold(gold_file)
    run.pages += result.pages
    for stage, seconds in result.timings.items():
        if stage != "total":
            run.stages[stage] = run.stages.get(stage, 0.0) + seconds
    pairs, invented = pair_forms(result.records, gold)
    run.forms_invented += len(invented)
    tally = Tally()
    for got, want in pairs:
        score = tally.add_form(got, want)
        for f in score.fields:
            cat = category(f.path)
            if cat == "source":
                continue
            right_total = run.by_category.setdefault(cat, [0, 0])
            right_total[0] += f.right
            right_total[1] += 1
            if cat == "text" and isinstance(f.want, str):
                run.cer_chars += len(fold(f.want))
                run.cer_edits += Levenshtein.distance(fold(str(f.got or "")), fold(f.want))
    run.fields += tally.fields
    run.right += tally.right
    run.forms += tally.forms
    run.forms_exact += tally.forms_exact
    run.forms_missed += tally.forms_missed
    run.wrong_flagged += tally.wrong_flagged
    run.wrong_silent += tally.wrong_silent
    run.right_flagged += tally.right_flagged


def run_pipeline(samples: Path, profile: str, engine: str, extractor: Extractor | None = None) -> RunResult:
    run = RunResult(f"filing-extract ({engine})", profile)
    try:
        extractor = extractor or Extractor(Settings(ocr=OcrSettings(engine=engine)))
        if profile != "text":
            extractor.engine()  # built once, outside the timed pages
    except ExtractError as exc:
        run.note = exc.message
        return run
    for pdf in profile_files(samples, profile):
        start = time.perf_counter()
        result = extractor.extract_file(pdf)
        run.seconds += time.perf_counter() - start
        tally_file(run, result, gold_path(pdf))
    return run


def run_paddle(samples: Path, profile: str, venv_python: Path, model_dir: Path) -> RunResult:
    """The paddleocr engine, in its own environment, through the CLI."""
    run = RunResult("filing-extract (paddleocr)", profile)
    env = {"PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True", "PATH": "/usr/bin:/bin"}
    root = Path(__file__).resolve().parents[2]
    for pdf in profile_files(samples, profile):
        start = time.perf_counter()
        proc = subprocess.run(
            [
                str(venv_python),
                "-m",
                "extract",
                "extract",
                str(pdf),
                "--engine",
                "paddleocr",
                "--model-dir",
                str(model_dir),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            timeout=1800,
        )
        run.seconds += time.perf_counter() - start
        if proc.returncode != 0:
            run.note = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
            return run
        records = [Record.model_validate(r) for r in json.loads(proc.stdout)]
        with pymupdf.open(pdf) as doc:
            pages = doc.page_count
        tally_file(run, FileResult(str(pdf), records=records, pages=pages), gold_path(pdf))
    run.note = "includes starting its environment once per file"
    return run


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def format_table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda vals: "| " + " | ".join(v.ljust(w) for v, w in zip(vals, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells)])
