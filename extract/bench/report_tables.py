"""The report's tables as rows: one function a table, each from the report dict (bench.json)."""

from __future__ import annotations

from typing import Any

CATEGORIES = ("header", "funds", "text", "indicators", "totals")
STAGES = ("read", "render", "rules", "ocr", "grid", "forms", "validate")


def pct(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def engine(system: str) -> str:
    return system.split("(")[-1].rstrip(")") if "(" in system else system


ACCURACY_HEADERS = (
    "engine",
    "profile",
    "printer",
    "files",
    "pages",
    "fields",
    "fields right",
    "forms exact",
    "missed",
    "invented",
    "wrong flagged",
    "wrong unflagged (share of fields)",
    "right flagged (share of right)",
    "review items/form",
    "CER goal/outcome",
    "s/page",
    "note",
)


def _accuracy_row(r: dict[str, Any], printer: str) -> list:
    return [
        engine(r["system"]),
        r["profile"],
        printer,
        r["files"],
        r["pages"],
        r["fields"],
        pct(r["accuracy"]) if r["fields"] else "n/a",
        f"{r['forms_exact']}/{r['forms']}",
        r["forms_missed"],
        r["forms_invented"],
        r["wrong_flagged"],
        f"**{r['wrong_silent']}** ({pct(r['wrong_silent_share'], 3)})",
        f"{r['right_flagged']} ({pct(r['right_flagged_share'])})",
        f"{r['review_per_form']:.2f}",
        pct(r["cer"]),
        seconds(r["seconds_per_page"]),
        (r["note"] + (f"; {r['failed_files']} files failed" if r["failed_files"] else "")).strip("; "),
    ]


def accuracy_rows(runs: list[dict[str, Any]], printers: bool = True) -> list[list]:
    """A row a profile (and engine), followed by a row a printer."""
    rows = []
    for r in runs:
        rows.append(_accuracy_row(r, "all" if r["by_printer"] else "-"))
        if printers:
            rows += [_accuracy_row(p, p["printer"]) for p in r["by_printer"]]
    return rows


def category_rows(runs: list[dict[str, Any]]) -> list[list]:
    rows = []
    for r in runs:
        cats = r["by_category"]
        rows.append(
            [engine(r["system"]), r["profile"]]
            + [pct(cats[c][0] / cats[c][1]) if cats.get(c, [0, 0])[1] else "-" for c in CATEGORIES]
        )
    return rows


RELIABILITY_HEADERS = ("profile", "confidence band", "fields", "mean confidence", "observed accuracy")


def reliability_rows(calibrations: list[dict[str, Any]]) -> list[list]:
    rows = []
    for c in calibrations:
        for band in c["reliability"]:
            if band["fields"]:
                rows.append(
                    [
                        c["profile"],
                        band["band"],
                        band["fields"],
                        f"{band['mean_confidence']:.3f}",
                        pct(band["accuracy"]),
                    ]
                )
    return rows


def sweep_table(calibrations: list[dict[str, Any]]) -> tuple[list[str], list[list]]:
    """Threshold rows x profile columns: share of fields flagged, and wrong fields left unflagged."""
    headers = ["flag below"] + [f"{c['profile']}: flagged / wrong unflagged" for c in calibrations]
    rows = []
    for i, row in enumerate(calibrations[0]["sweep"] if calibrations else []):
        current = abs(row["threshold"] - calibrations[0]["flag_below"]) < 1e-9
        label = f"{row['threshold']:.2f}" + (" (current)" if current else "")
        cells = []
        for c in calibrations:
            s = c["sweep"][i]
            cells.append(f"{pct(s['flagged_share'])} / {s['wrong_unflagged']} ({pct(s['wrong_unflagged_share'], 3)})")
        rows.append([label, *cells])
    return headers, rows


STAGE_HEADERS = ("profile", "parts", "files", "pages", "pipeline s/page", *STAGES)


def stage_rows(speed: dict[str, Any]) -> list[list]:
    return [
        [p["profile"], "+".join(p["groups"]), p["files"], p["pages"], seconds(p["pipeline_seconds_per_page"])]
        + [seconds(p["stages_per_page"].get(s)) if s in p["stages_per_page"] else "-" for s in STAGES]
        for p in speed["profiles"]
    ]


RAW_HEADERS = ("profile", "files", "pages", "pipeline s/page (same pages)", "raw rapidocr s/page", "ratio", "target")


def raw_rows(speed: dict[str, Any]) -> list[list]:
    rows = []
    for p in speed["profiles"]:
        raw = p.get("raw")
        if raw:
            ratio = raw["ratio"]
            rows.append(
                [
                    p["profile"],
                    raw["files"],
                    raw["pages"],
                    seconds(raw["pipeline_seconds_per_page"]),
                    seconds(raw["raw_seconds_per_page"]),
                    "n/a" if ratio is None else f"{ratio:.2f}",
                    "≤ 0.35",
                ]
            )
    return rows


PEER_HEADERS = ("profile", "system", "files", "pages", "s/page", "÷ pipeline s/page", "values found verbatim", "note")


def peer_rows(speed: dict[str, Any]) -> list[list]:
    rows = []
    for p in speed["peers"]:
        ratio = p["ratio_to_pipeline"]
        ours = p["system"].startswith("filing-extract")
        found = f"{pct(p['score'])} ({p['found']}/{p['values']})" if p["score"] is not None else "n/a"
        note = p["note"] + (f"; {len(p['errors'])} pages failed" if p["errors"] else "")
        rows.append(
            [
                p["profile"],
                p["system"],
                p["files"],
                p["pages"],
                seconds(p["seconds_per_page"]) if p["pages"] else "n/a",
                "1 (itself)" if ours else "n/a" if ratio is None else f"{ratio:.1f}",
                found,
                note.strip("; "),
            ]
        )
    return rows


def import_rows(startup: dict[str, Any]) -> list[list]:
    return [
        ["  " * r["depth"] + r["module"], f"{r['cumulative_ms']:.0f}", f"{r['self_ms']:.0f}"]
        for r in startup.get("top_imports", [])
    ]


TABLE_HEADERS = ("system", "measure", "score / precision", "recall", "F1", "s/page")


def table_rows(report: dict[str, Any]) -> list[list]:
    rows = [
        [name, "labelled samples: gold cells exact", pct(v["recall"]), "", "", seconds(v["seconds_per_page"])]
        for name, v in report["table_layer_gold_cells"].items()
    ]
    for dataset, scores in report["table_layer_datasets"].items():
        for name, v in scores.items():
            rows.append(
                [
                    name,
                    f"{dataset}: adjacency P/R/F1",
                    pct(v["precision"]),
                    pct(v["recall"]),
                    pct(v["f1"]),
                    seconds(v["seconds_per_page"]),
                ]
            )
    return rows


TARGET_HEADERS = ("measure", "target", "measured", "met", "note")


def target_rows(targets: list[dict[str, Any]]) -> list[list]:
    met = {True: "yes", False: "**no**", None: "not measured"}
    return [[t["measure"], t["target"], t["measured"], met[t["met"]], t["note"]] for t in targets]
