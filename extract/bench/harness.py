"""One system over one set of labelled files: the figures every table of the report is made of.

A `RunResult` holds the counts of one system on one source x part x profile x
printer; runs of the same profile add up (`RunResult.add`) into the profile's
row, which keeps its printers' rows beside it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pymupdf
from rapidfuzz.distance import Levenshtein

from extract.bench.reliability import Judged, judged_fields
from extract.bench.scoring import Tally, category, gold_path, pair_forms, read_gold
from extract.datamodel.page import PageLayout
from extract.datamodel.result import FileResult
from extract.errors import ExtractError
from extract.normalize.text import fold
from extract.pipeline import Extractor
from extract.settings import OcrSettings, Settings
from models import Record

Log = Callable[[str], None]
Seen = Callable[[Path, FileResult, list[PageLayout]], None]
COUNTS = (
    "files",
    "fields",
    "right",
    "cer_chars",
    "cer_edits",
    "forms",
    "forms_exact",
    "forms_missed",
    "forms_invented",
    "wrong_flagged",
    "wrong_silent",
    "right_flagged",
    "records",
    "review_items",
    "failed_files",
    "pages",
    "seconds",
)


@dataclass
class RunResult:
    system: str
    profile: str
    source: str = "samples"  # samples | corpus
    part: str = ""  # dev | sealed for the corpus
    printer: str = ""  # html | xlsx | docx; '' for all of them, or the bundled samples
    files: int = 0
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
    records: int = 0  # forms the system put out
    review_items: int = 0  # on those forms
    failed_files: int = 0
    pages: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    note: str = ""
    errors: list[str] = field(default_factory=list)  # the first wrong-and-unflagged fields, for a person to look at
    by_printer: list[dict] = field(default_factory=list)
    per_file: dict[str, tuple[int, float]] = field(default_factory=dict)  # path -> (pages, seconds); not reported

    @property
    def accuracy(self) -> float:
        return self.right / self.fields if self.fields else 0.0

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / self.pages if self.pages else 0.0

    @property
    def cer(self) -> float:
        return self.cer_edits / self.cer_chars if self.cer_chars else 0.0

    @property
    def group(self) -> str:
        """Where the files came from, as the report names it: samples, dev or sealed."""
        return self.part or self.source

    def add(self, other: RunResult) -> None:
        """Add another run's counts (same system and profile) to this one."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for cat, (right, total) in other.by_category.items():
            mine = self.by_category.setdefault(cat, [0, 0])
            mine[0] += right
            mine[1] += total
        for stage, seconds in other.stages.items():
            self.stages[stage] = self.stages.get(stage, 0.0) + seconds
        self.per_file.update(other.per_file)
        self.errors += other.errors[: max(0, 20 - len(self.errors))]
        self.note = self.note or other.note

    def summary(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("per_file")
        out.update(
            group=self.group,
            accuracy=self.accuracy,
            seconds_per_page=self.seconds_per_page,
            cer=self.cer,
            forms_exact_share=self.forms_exact / self.forms if self.forms else 0.0,
            wrong_silent_share=self.wrong_silent / self.fields if self.fields else 0.0,
            right_flagged_share=self.right_flagged / self.right if self.right else 0.0,
            review_per_form=self.review_items / self.records if self.records else 0.0,
            stages_per_page={k: v / self.pages for k, v in self.stages.items()} if self.pages else {},
        )
        return out


def profile_files(samples: Path, profile: str) -> list[Path]:
    folder = samples / "text" if profile == "text" else samples / "scans" / profile
    return sorted(p for p in folder.glob("*.pdf") if gold_path(p).exists())


def tally_file(run: RunResult, result: FileResult, gold_file: Path, judged: list[Judged] | None = None) -> None:
    """Add one file's records to the run's figures (the scoring the tests check).

    With `judged`, every scored field of an extracted form that carries a
    confidence is added to it too (the calibration report's input).
    """
    gold = read_gold(gold_file)
    run.files += 1
    run.pages += result.pages
    run.failed_files += result.status == "failed"
    run.records += len(result.records)
    run.review_items += sum(len(r.review) for r in result.records)
    for stage, seconds in result.timings.items():
        if stage != "total":
            run.stages[stage] = run.stages.get(stage, 0.0) + seconds
    pairs, invented = pair_forms(result.records, gold)
    run.forms_invented += len(invented)
    tally = Tally()
    for got, want in pairs:
        score = tally.add_form(got, want)
        if judged is not None and got is not None:
            judged += judged_fields(got, score)
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
    name = Path(result.path).name
    run.errors += [f"{name}: {e}" for e in tally.errors][: max(0, 20 - len(run.errors))]


def run_files(
    run: RunResult,
    files: list[Path],
    extractor: Extractor,
    judged: list[Judged] | None = None,
    log: Log | None = None,
    seen: Seen | None = None,
) -> RunResult:
    """The extractor over each file, timed one file at a time, tallied against its gold.

    `seen` is told each file's result and what the grid stage saw on its pages.
    """
    for i, path in enumerate(files, 1):
        start = time.perf_counter()
        result, layouts = extractor.extract_with_layouts(path)
        seconds = time.perf_counter() - start
        run.seconds += seconds
        run.per_file[str(path)] = (result.pages, seconds)
        tally_file(run, result, gold_path(path), judged)
        if result.status == "failed":
            run.errors.append(f"{path.name}: failed: {result.error}")
        if seen is not None:
            seen(path, result, layouts)
        if log is not None:
            log(f"  [{i}/{len(files)}] {path.name}: {result.pages} p, {seconds:.1f} s, {len(result.records)} forms")
    return run


def run_engine(files: list[Path], profile: str, engine: str, source: str = "samples") -> RunResult:
    """The pipeline with another OCR engine over some files (a note, not a crash, when it cannot run)."""
    run = RunResult(f"filing-extract ({engine})", profile, source)
    try:
        extractor = Extractor(Settings(ocr=OcrSettings(engine=engine)))
        extractor.engine()  # built once, outside the timed pages
    except ExtractError as exc:
        run.note = exc.message
        return run
    return run_files(run, files, extractor)


def run_paddle(files: list[Path], profile: str, venv_python: Path, model_dir: Path) -> RunResult:
    """The paddleocr engine, in its own environment, through the CLI."""
    run = RunResult("filing-extract (paddleocr)", profile)
    env = {"PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True", "PATH": "/usr/bin:/bin"}
    root = Path(__file__).resolve().parents[2]
    for pdf in files:
        command = [str(venv_python), "-m", "extract", "extract", str(pdf), "--engine", "paddleocr"]
        start = time.perf_counter()
        proc = subprocess.run(
            [*command, "--model-dir", str(model_dir)],
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
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def format_table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c).replace("|", "\\|").replace("\n", " ") for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]

    def line(vals: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(vals, widths)) + " |"

    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells)])
