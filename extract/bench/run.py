"""Run the whole benchmark and write its report (terminal, JSON, Markdown + chart)."""

from __future__ import annotations

import json
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pymupdf

from extract.bench import tables
from extract.bench.harness import (
    RunResult,
    format_table,
    peak_rss_mb,
    profile_files,
    run_paddle,
    run_pipeline,
)
from extract.pipeline import Extractor
from extract.read.imaging import render_gray
from extract.settings import Settings


def raw_ocr_seconds(pdfs: list[Path], extractor: Extractor, dpi: int) -> tuple[float, int]:
    """Full-page detection + recognition on the same pages: the baseline the pipeline is compared to."""
    engine = extractor.engine()
    seconds, pages = 0.0, 0
    for pdf in pdfs:
        with pymupdf.open(pdf) as doc:
            for page in doc:
                gray = render_gray(page, dpi)
                start = time.perf_counter()
                engine.read(gray)
                seconds += time.perf_counter() - start
                pages += 1
    return seconds, pages


def _paddle_env(root: Path) -> tuple[Path | None, str]:
    venv = root / ".venv-paddle" / "bin" / "python"
    if not venv.exists():
        return None, "no .venv-paddle (made by the test suite, tests/paddle_env.py): paddleocr not run"
    return venv, ""


def run_bench(
    samples: Path, profiles: list[str], out: Path, datasets: Path | None, ocr_peer_profiles: list[str], log=print
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    runs: list[RunResult] = []
    extractor = Extractor(Settings())
    for profile in profiles:
        if not profile_files(samples, profile):
            log(f"profile {profile}: no labelled samples under {samples}, left out")
            continue
        log(f"profile {profile}: filing-extract (rapidocr) ...")
        runs.append(run_pipeline(samples, profile, "rapidocr", extractor))
        if profile in ocr_peer_profiles and profile != "text":
            log(f"profile {profile}: filing-extract (tesseract) ...")
            runs.append(run_pipeline(samples, profile, "tesseract"))
            venv, why = _paddle_env(Path(__file__).resolve().parents[2])
            if venv is None:
                skipped = RunResult("filing-extract (paddleocr)", profile)
                skipped.note = why
                runs.append(skipped)
            else:
                from extract.ocr.paddle import prepare_model_dirs
                from extract.ocr.rapid import RapidOcrEngine

                files = {p.name: p for p in RapidOcrEngine.model_files()}
                det = next(p for n, p in files.items() if "_det_" in n)
                rec = next(p for n, p in files.items() if "_rec_" in n)
                prepare_model_dirs(out / "paddle-models", det, rec)
                log(f"profile {profile}: filing-extract (paddleocr, own environment) ...")
                runs.append(run_paddle(samples, profile, venv, out / "paddle-models"))

    raw = None
    scan_profile = next((p for p in ("office", "poor", "clean") if p in profiles and profile_files(samples, p)), None)
    if scan_profile:
        log(f"raw full-page OCR on the {scan_profile} pages ...")
        seconds, pages = raw_ocr_seconds(profile_files(samples, scan_profile), extractor, extractor.settings.ocr.dpi)
        ours = next(r for r in runs if r.profile == scan_profile and "rapidocr" in r.system)
        raw = {
            "profile": scan_profile,
            "raw_seconds_per_page": seconds / pages,
            "pipeline_seconds_per_page": ours.seconds_per_page,
            "ratio": ours.seconds_per_page / (seconds / pages) if seconds else None,
        }

    log("table layer on the labelled text samples ...")
    gold_cells = tables.score_gold_cells(profile_files(samples, "text"))
    datasets_scores = {}
    if datasets and datasets.is_dir():
        camelot_root = datasets / "camelot"
        if (camelot_root / "manifest.json").exists():
            log("table layer on camelot's lattice test cases ...")
            datasets_scores["camelot test cases"] = tables.score_relations(tables.camelot_cases(camelot_root))
        if (camelot_root / "icdar2013").is_dir():
            log("table layer on ICDAR 2013 ...")
            datasets_scores["ICDAR 2013"] = tables.score_relations(tables.icdar_cases(camelot_root / "icdar2013"))

    report = {
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpu_count": __import__("os").cpu_count(),
        },
        "runs": [r.summary() for r in runs],
        "raw_ocr": raw,
        "table_layer_gold_cells": {
            k: {**asdict(v), "recall": v.recall, "seconds_per_page": v.seconds / v.pages if v.pages else 0}
            for k, v in gold_cells.items()
        },
        "table_layer_datasets": {
            name: {
                k: {
                    **asdict(v),
                    "precision": v.precision,
                    "recall": v.recall,
                    "f1": v.f1,
                    "seconds_per_page": v.seconds / v.pages if v.pages else 0,
                }
                for k, v in scores.items()
            }
            for name, scores in datasets_scores.items()
        },
        "wall_seconds": time.perf_counter() - start,
        "peak_rss_mb": peak_rss_mb(),
    }
    (out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    chart = _chart(report, out / "bench.png")
    (out / "bench.md").write_text(render_markdown(report, chart), encoding="utf-8")
    return report


def _chart(report: dict, path: Path) -> Path | None:
    """Accuracy against seconds a page: one colour a system, one marker a profile."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(8.5, 4.8))
    markers = {"text": "o", "clean": "s", "office": "D", "poor": "^"}
    points = [(r["system"], r["profile"], r["seconds_per_page"], r["accuracy"]) for r in report["runs"] if r["pages"]]
    points += [
        (f"{name} (gold cells)", "text", v["seconds_per_page"], v["recall"])
        for name, v in report["table_layer_gold_cells"].items()
        if v["pages"]
    ]
    colours = {}
    for system, profile, seconds, accuracy in points:
        colour = colours.setdefault(system, f"C{len(colours)}")
        ax.scatter(
            seconds,
            accuracy * 100,
            marker=markers.get(profile, "o"),
            s=70,
            color=colour,
            label=f"{system}, {profile}",
            alpha=0.85,
        )
    ax.set_xscale("log")
    ax.set_xlabel("seconds a page (log scale)")
    ax.set_ylabel("fields right %  (table layers: gold cells recovered %)")
    ax.set_title("Accuracy against seconds a page")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _pct(value: float) -> str:
    return f"{value * 100:.2f}%"


def run_rows(report: dict) -> list[list]:
    rows = []
    for r in report["runs"]:
        cats = " ".join(f"{c} {_pct(v[0] / v[1]) if v[1] else '-'}" for c, v in r["by_category"].items())
        rows.append(
            [
                r["system"],
                r["profile"],
                _pct(r["accuracy"]) if r["fields"] else "n/a",
                cats or "-",
                f"{r['cer'] * 100:.2f}%",
                f"{r['forms_exact']}/{r['forms']}",
                r["forms_missed"],
                r["forms_invented"],
                r["wrong_flagged"],
                r["wrong_silent"],
                r["right_flagged"],
                f"{r['seconds_per_page']:.3f}",
                r["note"],
            ]
        )
    return rows


RUN_HEADERS = [
    "system",
    "profile",
    "fields right",
    "by category",
    "CER goal/outcome",
    "forms exact",
    "missed",
    "invented",
    "wrong flagged",
    "wrong SILENT",
    "right flagged",
    "s/page",
    "note",
]


def stage_rows(report: dict) -> list[list]:
    rows = []
    for r in report["runs"]:
        if r["pages"]:
            stages = " ".join(f"{k} {v:.3f}" for k, v in sorted(r["stages_per_page"].items()))
            rows.append([r["system"], r["profile"], stages])
    return rows


def table_rows(report: dict) -> list[list]:
    rows = [
        [name, "labelled samples: gold cells exact", _pct(v["recall"]), "", "", f"{v['seconds_per_page']:.3f}"]
        for name, v in report["table_layer_gold_cells"].items()
    ]
    for dataset, scores in report["table_layer_datasets"].items():
        for name, v in scores.items():
            rows.append(
                [
                    name,
                    f"{dataset}: adjacency P/R/F1",
                    _pct(v["precision"]),
                    _pct(v["recall"]),
                    _pct(v["f1"]),
                    f"{v['seconds_per_page']:.3f}",
                ]
            )
    return rows


TABLE_HEADERS = ["system", "measure", "score / precision", "recall", "F1", "s/page"]


def render_markdown(report: dict, chart: Path | None) -> str:
    parts = [
        "# filing-extract benchmark",
        "",
        f"Machine: {report['machine']['platform']}, {report['machine']['cpu_count']} cores, "
        f"Python {report['machine']['python']}. Whole run: {report['wall_seconds']:.0f} s, "
        f"peak resident memory {report['peak_rss_mb']:.0f} MB.",
        "",
        "## Field accuracy, review quality and speed",
        "",
        format_table(RUN_HEADERS, run_rows(report)),
        "",
        "`wrong SILENT` is the figure that matters most: a wrong field nobody is told to check.",
        "",
        "## Seconds a page by stage",
        "",
        format_table(["system", "profile", "stages"], stage_rows(report)),
        "",
    ]
    raw = report.get("raw_ocr")
    if raw:
        parts += [
            "## Against raw full-page OCR",
            "",
            f"On the {raw['profile']} scans, full-page detection + recognition alone takes "
            f"{raw['raw_seconds_per_page']:.2f} s a page; the whole pipeline takes "
            f"{raw['pipeline_seconds_per_page']:.2f} s a page (ratio {raw['ratio']:.2f}), because it "
            "recognises only the lines of ink the grid finds in cells and never runs the detector.",
            "",
        ]
    parts += ["## Table layer against its peers", "", format_table(TABLE_HEADERS, table_rows(report)), ""]
    if chart:
        parts += [f"![accuracy against seconds a page]({chart.name})", ""]
    return "\n".join(parts)


def print_report(report: dict, stream=sys.stdout) -> None:
    print(format_table(RUN_HEADERS, run_rows(report)), file=stream)
    print(file=stream)
    print(format_table(["system", "profile", "stages (s/page)"], stage_rows(report)), file=stream)
    print(file=stream)
    print(format_table(TABLE_HEADERS, table_rows(report)), file=stream)
    raw = report.get("raw_ocr")
    if raw:
        print(
            f"\nraw full-page OCR {raw['raw_seconds_per_page']:.2f} s/page vs pipeline "
            f"{raw['pipeline_seconds_per_page']:.2f} s/page on {raw['profile']} (ratio {raw['ratio']:.2f})",
            file=stream,
        )
    print(f"wall {report['wall_seconds']:.0f} s, peak RSS {report['peak_rss_mb']:.0f} MB", file=stream)
