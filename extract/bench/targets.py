"""The targets the project is judged against (issues 10 and 14), beside what this run measured."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

# profile -> (fields right >=, wrong-unflagged share <=, right-flagged share <=, forms exact >=); None: no target.
ACCURACY = MappingProxyType(
    {
        "text": (0.999, 0.0, 0.03, 0.95),
        "clean": (0.995, 0.001, 0.05, 0.80),
        "office": (0.995, 0.001, 0.05, 0.80),
        "archive": (0.98, 0.001, 0.08, None),
        "bitonal": (0.98, 0.001, 0.08, None),
    }
)
SPEED = (
    ("office scan, pipeline s a page", "office", 1.2),
    ("archive scan, pipeline s a page", "archive", 1.5),
    ("text page, pipeline s a page", "text", 0.03),
)


def _row(measure: str, target: str, measured: str, met: bool | None, note: str = "") -> dict[str, Any]:
    return {"measure": measure, "target": target, "measured": measured, "met": met, "note": note}


def _speed_profile(report: dict, profile: str) -> dict | None:
    return next((p for p in report["speed"]["profiles"] if p["profile"] == profile), None)


def _speed_rows(report: dict) -> list[dict[str, Any]]:
    rows = []
    for measure, profile, limit in SPEED:
        got = _speed_profile(report, profile)
        if got is None or not got["pages"]:
            rows.append(_row(measure, f"≤ {limit}", "not run", None, f"no {profile} pages in this run"))
            continue
        value = got["pipeline_seconds_per_page"]
        note = f"{got['pages']} pages, " + ", ".join(got["groups"])
        rows.append(_row(measure, f"≤ {limit}", f"{value:.3f}", value <= limit, note))
    subsets = [p for p in report["speed"]["profiles"] if (p.get("raw") or {}).get("ratio") is not None]
    chosen = next((p for p in subsets if p["profile"] == "office"), subsets[0] if subsets else None)
    if chosen is None:
        rows.append(_row("pipeline ÷ raw full-page rapidocr, same pages", "≤ 0.35", "not run", None, "no scans"))
    else:
        raw = chosen["raw"]
        others = ", ".join(f"{p['profile']} {p['raw']['ratio']:.2f}" for p in subsets if p is not chosen)
        note = f"{chosen['profile']}, {raw['pages']} pages" + (f"; {others}" if others else "")
        rows.append(
            _row(
                "pipeline ÷ raw full-page rapidocr, same pages",
                "≤ 0.35",
                f"{raw['ratio']:.2f}",
                raw["ratio"] <= 0.35,
                note,
            )
        )
    start = report["speed"].get("startup") or {}
    if "median_seconds" in start:
        value = start["median_seconds"]
        rows.append(
            _row("`extract` of a one-page text PDF, wall with start-up", "≤ 0.4 s", f"{value:.2f} s", value <= 0.4)
        )
    else:
        rows.append(_row("`extract` of a one-page text PDF, wall with start-up", "≤ 0.4 s", "not run", None))
    mem = report["speed"].get("memory", {}).get("extract_scan")
    if mem:
        gb = mem["peak_rss_mb"] / 1024
        note = f"one `extract` subprocess on {mem['file'].rsplit('/', 1)[-1]}"
        rows.append(_row("peak resident memory per worker on scans", "≤ 1 GB", f"{gb:.2f} GB", gb <= 1.0, note))
    else:
        rows.append(_row("peak resident memory per worker on scans", "≤ 1 GB", "not run", None, "no scans"))
    return rows


def _pct(value: float) -> str:
    return f"{value * 100:.2f}%"


def accuracy_row(run: dict) -> dict[str, Any]:
    """One corpus part x profile against its accuracy targets."""
    right, silent, noise, exact = ACCURACY[run["profile"]]
    checks = {
        "fields right": run["accuracy"] >= right,
        "wrong-unflagged": run["wrong_silent"] == 0 if silent == 0 else run["wrong_silent_share"] <= silent,
        "right-flagged": run["right_flagged_share"] <= noise,
        "forms exact": exact is None or run["forms_exact_share"] >= exact,
    }
    target = " / ".join(
        [
            f"≥ {_pct(right)}",
            "0" if silent == 0 else f"≤ {_pct(silent)}",
            f"≤ {_pct(noise)}",
            "—" if exact is None else f"≥ {exact:.0%}",
        ]
    )
    measured = " / ".join(
        [
            _pct(run["accuracy"]),
            f"{run['wrong_silent']} ({_pct(run['wrong_silent_share'])})",
            _pct(run["right_flagged_share"]),
            _pct(run["forms_exact_share"]),
        ]
    )
    missed = [name for name, ok in checks.items() if not ok]
    name = "SEALED" if run["group"] == "sealed" else f"{run['group']} (not the sealed part)"
    return _row(
        f"{name} {run['profile']}: fields right / wrong-unflagged / right-flagged / forms exact",
        target,
        measured,
        not missed,
        f"missed: {', '.join(missed)}" if missed else f"{run['forms']} forms, {run['fields']} fields",
    )


def target_rows(report: dict) -> list[dict[str, Any]]:
    """Every target with what was measured and whether it is met (None: not measured in this run)."""
    rows = _speed_rows(report)
    for group in ("sealed", "dev"):
        for run in report["runs"]:
            if run["group"] == group and run["system"] == "filing-extract (rapidocr)" and run["profile"] in ACCURACY:
                rows.append(accuracy_row(run))
    if not any(r["measure"].startswith("SEALED") for r in rows):
        rows.append(_row("SEALED: accuracy targets", "see the issue", "not run", None, "no sealed part in this run"))
    return rows
