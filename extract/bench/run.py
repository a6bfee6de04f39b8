"""Run the whole benchmark and write its report: bench.json, bench.md and bench.png.

Order of work: the pipeline over every set (accuracy, review quality, seconds
a page by stage, calibration), the OCR peers on the bundled samples, then the
speed section on a subset of the same files (raw OCR, table peers, memory,
start-up), then the table layer on the labelled samples and public datasets.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from extract.bench import inputs
from extract.bench.harness import Log, RunResult, run_engine, run_files, run_paddle
from extract.bench.inputs import BenchSet
from extract.bench.peers import score_cells
from extract.bench.reliability import Judged, calibration
from extract.bench.report import write_report
from extract.bench.scoring import gold_path, read_gold
from extract.bench.speed_run import Img2tableEnv, SetSpeed, compare_set, speed_section
from extract.bench.table_run import table_layer
from extract.datamodel.page import PageLayout
from extract.datamodel.result import FileResult
from extract.errors import ExtractError, UsageError
from extract.pipeline import Extractor
from extract.settings import Settings

PIPELINE = "filing-extract (rapidocr)"


@dataclass
class BenchOptions:
    out: Path
    samples: Path | None = Path("samples")
    corpus: Path | None = None
    parts: list[str] = field(default_factory=list)  # empty: every part present
    build: bool = False
    build_forms: int | None = None
    profiles: list[str] = field(default_factory=list)  # empty: every profile of each source
    printers: list[str] = field(default_factory=list)  # empty: all
    files: int | None = None  # at most this many files a set
    speed_files: int = 1  # files a set for raw OCR and the table peers
    speed_peers: bool = False  # img2table (its own environment)
    ocr_peers: list[str] = field(default_factory=lambda: ["office"])
    datasets: Path | None = None
    startup_runs: int = 5
    quick: bool = False


def gather(options: BenchOptions, log: Log) -> list[BenchSet]:
    """Every set of labelled files the options name: corpus parts (sealed first), then the samples."""
    inputs.check_names(options.profiles, options.parts, options.printers)
    sets: list[BenchSet] = []
    if options.corpus is not None:
        parts = options.parts or (list(inputs.PARTS) if options.build else [])
        if options.build:
            options.corpus.mkdir(parents=True, exist_ok=True)
            inputs.build_missing(options.corpus, parts, options.profiles, options.printers, options.build_forms, log)
        for part, folder in inputs.select_parts(options.corpus, parts, log).items():
            sets += inputs.corpus_sets(folder, part, options.profiles, options.printers, options.files)
    if options.samples is not None:
        sets += inputs.sample_sets(options.samples, options.profiles, options.files)
    if not sets:
        raise UsageError("no labelled files to run on: check SAMPLES_DIR, --corpus, --parts and --profile")
    return sets


def warm_up(sets: list[BenchSet], extractor: Extractor, log: Log) -> None:
    """One untimed extract of the first text file and of the first scan.

    One-off costs (lazy imports, the engine's first inference) stay out of
    seconds a page; start-up is measured on its own, in a fresh process.
    """
    firsts: dict[bool, Path] = {}
    for bench_set in sets:
        firsts.setdefault(bench_set.profile == "text", bench_set.files[0])
    log("warm-up: one untimed extract of a text file and of a scan ...")
    for path in firsts.values():
        extractor.extract_file(path)


def _cells(layouts: list[PageLayout]) -> dict[int, list[str]]:
    return {lay.number: [c for t in lay.tables for row in t.as_rows() for c in row if c] for lay in layouts}


@dataclass
class Pass:
    """What the pipeline's pass over every set leaves for the later sections."""

    runs: list[RunResult] = field(default_factory=list)  # one a set
    judged: dict[tuple[str, str], list[Judged]] = field(default_factory=dict)  # (group, profile) -> fields
    speeds: list[SetSpeed] = field(default_factory=list)  # one a set
    set_seconds: dict[str, float] = field(default_factory=dict)  # label -> wall seconds, comparisons included


def pipeline_pass(sets: list[BenchSet], extractor: Extractor, options: BenchOptions, log: Log) -> Pass:
    """The pipeline over each set, then that set's speed comparisons, while the machine's load is the same."""
    done = Pass()
    img2table = Img2tableEnv() if options.speed_peers else None
    for bench_set in sets:
        started = time.perf_counter()
        log(f"{bench_set.label}: filing-extract, {len(bench_set.files)} files ...")
        run = RunResult(PIPELINE, bench_set.profile, bench_set.source, bench_set.part, bench_set.printer)
        subset = {str(p) for p in bench_set.files[: options.speed_files]}
        found = [0, 0]

        def seen(
            path: Path, result: FileResult, layouts: list[PageLayout], subset: set[str] = subset, found: list = found
        ) -> None:
            if str(path) in subset:
                got, values = score_cells(read_gold(gold_path(path)), _cells(layouts))
                found[0] += got
                found[1] += values

        judged = done.judged.setdefault((bench_set.group, bench_set.profile), [])
        done.runs.append(run_files(run, list(bench_set.files), extractor, judged, log, seen))
        speed = compare_set(bench_set, run, (found[0], found[1]), extractor, options.speed_files, img2table, log)
        done.speeds.append(speed)
        done.set_seconds[bench_set.label] = time.perf_counter() - started
    return done


def merge_runs(runs: list[RunResult]) -> list[RunResult]:
    """One run a system x group x profile, its printers' rows kept beside it; sealed first."""
    merged: dict[tuple[str, str, str], RunResult] = {}
    for run in runs:
        key = (run.system, run.group, run.profile)
        if key not in merged:
            merged[key] = RunResult(run.system, run.profile, run.source, run.part)
        merged[key].add(run)
        if run.printer:
            merged[key].by_printer.append(run.summary())
    order = {g: i for i, g in enumerate((*inputs.PARTS, "samples"))}
    profiles = {p: i for i, p in enumerate(dict.fromkeys(inputs.SAMPLE_PROFILES + inputs.CORPUS_PROFILES))}
    return sorted(
        merged.values(), key=lambda r: (order.get(r.group, 9), profiles.get(r.profile, 9), r.system != PIPELINE)
    )


def ocr_peer_runs(sets: list[BenchSet], profiles: list[str], out: Path, log: Log) -> list[RunResult]:
    """Tesseract and native PaddleOCR as the pipeline's engine, on the bundled samples' scans."""
    runs = []
    for bench_set in sets:
        if bench_set.source != "samples" or bench_set.profile not in profiles or bench_set.profile == "text":
            continue
        log(f"{bench_set.label}: filing-extract (tesseract) ...")
        runs.append(run_engine(list(bench_set.files), bench_set.profile, "tesseract"))
        venv = Path(__file__).resolve().parents[2] / ".venv-paddle" / "bin" / "python"
        if not venv.exists():
            skipped = RunResult("filing-extract (paddleocr)", bench_set.profile)
            skipped.note = "no .venv-paddle (made by the test suite, tests/paddle_env.py): paddleocr not run"
            runs.append(skipped)
            continue
        from extract.ocr.paddle import prepare_model_dirs
        from extract.ocr.rapid import RapidOcrEngine

        files = {p.name: p for p in RapidOcrEngine.model_files()}
        det = next(p for n, p in files.items() if "_det_" in n)
        rec = next(p for n, p in files.items() if "_rec_" in n)
        prepare_model_dirs(out / "paddle-models", det, rec)
        log(f"{bench_set.label}: filing-extract (paddleocr, own environment) ...")
        runs.append(run_paddle(list(bench_set.files), bench_set.profile, venv, out / "paddle-models"))
    return runs


def _machine() -> dict:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run_bench(options: BenchOptions, log: Log) -> dict:
    """The whole benchmark; writes bench.json, bench.md and bench.png to options.out and returns the report."""
    start = time.perf_counter()
    options.out.mkdir(parents=True, exist_ok=True)
    machine = _machine()
    sets = gather(options, log)
    extractor = Extractor(Settings())
    if any(s.profile != "text" for s in sets):
        try:
            extractor.engine()  # built once, outside the timed pages
        except ExtractError as exc:
            raise UsageError(f"the OCR engine could not be built: {exc.message}") from exc
    warm_up(sets, extractor, log)
    phases = {"inputs, corpus build, engine, warm-up": time.perf_counter() - start}
    done = pipeline_pass(sets, extractor, options, log)
    phases["pipeline and its speed comparisons, set by set"] = time.perf_counter() - start - sum(phases.values())
    runs = merge_runs(done.runs + ocr_peer_runs(sets, options.ocr_peers, options.out, log))
    phases["OCR peers (tesseract, paddleocr)"] = time.perf_counter() - start - sum(phases.values())
    flag_below = extractor.settings.review.flag_below
    report: dict = {
        "machine": machine,
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()},
        "sets": [{"label": s.label, "files": len(s.files)} for s in sets],
        "set_seconds": done.set_seconds,
        "runs": [r.summary() for r in runs],
        "calibration": [calibration(g, p, fields, flag_below) for (g, p), fields in done.judged.items() if fields],
    }
    report["speed"] = speed_section(sets, done.runs, done.speeds, options, log)
    phases["memory and start-up"] = time.perf_counter() - start - sum(phases.values())
    report.update(table_layer(sets, options.datasets, log))
    phases["table layer"] = time.perf_counter() - start - sum(phases.values())
    report["wall_seconds"] = time.perf_counter() - start
    report["phase_seconds"] = phases
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_report(report, options.out)
    return report
