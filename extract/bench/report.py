"""bench.json, bench.md (tables for a person: the sealed part first) and bench.png; and the terminal summary."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

from extract.bench import report_tables as t
from extract.bench.chart import write_chart
from extract.bench.harness import format_table
from extract.bench.targets import target_rows

GROUP_TITLES = MappingProxyType(
    {
        "sealed": "SEALED: corpus part `sealed` (never looked at while tuning; scored only to report)",
        "dev": "Corpus part `dev` (the part failures are looked at and tuned on)",
        "samples": "Bundled samples (samples/text, samples/scans)",
    }
)


def write_report(report: dict[str, Any], out: Path) -> None:
    report["targets"] = target_rows(report)
    (out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    chart = write_chart(report, out / "bench.png")
    (out / "bench.md").write_text(render_markdown(report, chart), encoding="utf-8")


def _groups(report: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(r["group"] for r in report["runs"]))


def _group_section(report: dict[str, Any], group: str) -> list[str]:
    runs = [r for r in report["runs"] if r["group"] == group]
    title = GROUP_TITLES.get(group, group)
    parts = [
        f"## {title}",
        "",
        "### Accuracy and review quality",
        "",
        format_table(t.ACCURACY_HEADERS, t.accuracy_rows(runs)),
        "",
        "### Fields right by category",
        "",
        format_table(["engine", "profile", *t.CATEGORIES], t.category_rows(runs)),
        "",
    ]
    calibrations = [c for c in report["calibration"] if c["group"] == group]
    if calibrations:
        headers, rows = t.sweep_table(calibrations)
        parts += [
            f"### Calibration{' (SEALED)' if group == 'sealed' else ''}: does a confidence mean what it says?",
            "",
            "Every scored field of an extracted form that carries a confidence, by band: the share that was right "
            "should match the band's confidence.",
            "",
            format_table(t.RELIABILITY_HEADERS, t.reliability_rows(calibrations)),
            "",
            "The review threshold's trade-off: flag every field under the threshold; share of fields flagged / "
            "wrong fields left unflagged.",
            "",
            format_table(headers, rows),
            "",
        ]
    return parts


def _speed_section(report: dict[str, Any]) -> list[str]:
    speed = report["speed"]
    parts = [
        "## Speed",
        "",
        "### Seconds a page by profile and stage (the pipeline, every file of the run)",
        "",
        format_table(t.STAGE_HEADERS, t.stage_rows(speed)),
        "",
    ]
    raw = t.raw_rows(speed)
    if raw:
        parts += [
            "### The pipeline against raw full-page OCR, on the same pages",
            "",
            f"The first {speed['speed_files']} file(s) of each set: the same rapidocr instance at the same dpi "
            "detecting and recognising every line of each whole page (`engine.read` on the rendered page; "
            "rendering not counted), against the whole pipeline's seconds on those files.",
            "",
            format_table(t.RAW_HEADERS, raw),
            "",
        ]
    parts += [
        "### Peers that do the same job on the same pages",
        "",
        f"*Values found verbatim*: the share of {speed['score_meaning']} (folded, no white space, numbers "
        "without thousands separators; a value repeated on the form, as a merged cell's is, is found where one "
        "cell holds it). The peers give tables, not records: this is a "
        "ceiling on what a person could copy out of their cells, not fields right; a value printed inside a "
        "longer cell or in another spelling (dates, years) is not found for any system. The pipeline's own cells "
        "are scored the same way; its fields right are in the accuracy tables.",
        "",
        format_table(t.PEER_HEADERS, t.peer_rows(speed)),
        "",
    ]
    if not speed["speed_peers"]:
        parts += ["img2table + Tesseract on the scans was not asked for (`--speed-peers`).", ""]
    memory = speed["memory"]
    parts += ["### Memory", "", f"- the bench process: peak resident {memory['bench_process_peak_rss_mb']:.0f} MB"]
    scan = memory.get("extract_scan")
    if scan:
        parts.append(
            f"- one `filing-extract extract` subprocess on the scan `{Path(scan['file']).name}` (one worker's "
            f"need): peak resident {scan['peak_rss_mb']:.0f} MB, {scan['wall_seconds']:.1f} s wall, "
            f"exit code {scan['exit_code']}"
        )
    parts.append("")
    start = speed["startup"]
    parts += ["### Start-up", ""]
    if "median_seconds" in start:
        runs = ", ".join(f"{s:.2f}" for s in start["runs"])
        parts += [
            f"`python -m extract extract` of a one-page text PDF ({start['file']}) as a subprocess: "
            f"median {start['median_seconds']:.2f} s wall of {len(start['runs'])} runs ({runs}). The slowest "
            "imports (`python -X importtime`, cumulative, nested ones indented):",
            "",
            format_table(["module", "cumulative ms", "self ms"], t.import_rows(start)),
            "",
        ]
    else:
        parts += [start.get("note", "not run"), ""]
    return parts


def render_markdown(report: dict[str, Any], chart: Path | None) -> str:
    machine = report["machine"]
    load = "/".join(f"{x:.1f}" for x in machine["load_average"])
    load_end = "/".join(f"{x:.1f}" for x in machine.get("load_average_at_end", []))
    sets = ", ".join(f"{s['label']} ({s['files']})" for s in report["sets"])
    parts = [
        "# filing-extract benchmark",
        "",
        f"Machine: {machine['platform']}, {machine['cpu_count']} cores, Python {machine['python']}. "
        f"Whole run: {report['wall_seconds']:.0f} s ({report['wall_seconds'] / 60:.1f} min). Load average "
        f"(1/5/15 min) {load} at the start, {load_end} at the end: other processes share this machine, so the "
        "seconds are what this run measured on it, at that load.",
        "",
        f"Files by set: {sets}.",
        "",
        "Wall seconds by phase: "
        + (", ".join(f"{k} {v:.0f}" for k, v in report.get("phase_seconds", {}).items()) or "n/a")
        + ".",
        "",
        "## Targets",
        "",
        format_table(t.TARGET_HEADERS, t.target_rows(report["targets"])),
        "",
        "`wrong unflagged` is the figure that matters most: a wrong field nobody is told to check.",
        "",
    ]
    for group in _groups(report):
        parts += _group_section(report, group)
    parts += _speed_section(report)
    rows = t.table_rows(report)
    if rows:
        parts += ["## Table layer against its peers", "", format_table(t.TABLE_HEADERS, rows), ""]
    if chart:
        parts += [f"![accuracy against seconds a page]({chart.name})", ""]
    return "\n".join(parts)


def summary_text(report: dict[str, Any]) -> str:
    """What the terminal shows: the targets, the accuracy of each part and profile, seconds by stage."""
    parts = [format_table(t.TARGET_HEADERS, t.target_rows(report["targets"])), ""]
    for group in _groups(report):
        runs = [r for r in report["runs"] if r["group"] == group]
        parts += [group.upper() if group == "sealed" else group, _accuracy_table(runs), ""]
    parts += [format_table(t.STAGE_HEADERS, t.stage_rows(report["speed"])), ""]
    parts.append(f"wall {report['wall_seconds']:.0f} s")
    return "\n".join(parts)


def _accuracy_table(runs: list[dict[str, Any]]) -> str:
    return format_table(t.ACCURACY_HEADERS, t.accuracy_rows(runs, printers=False))
