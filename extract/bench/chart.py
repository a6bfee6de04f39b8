"""bench.png: accuracy against seconds a page, one colour a system and part, one marker a profile."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

MARKERS = MappingProxyType({"text": "o", "clean": "s", "office": "D", "poor": "^", "archive": "v", "bitonal": "P"})


def _points(report: dict) -> list[tuple[str, str, float, float, bool]]:
    """(legend, profile, seconds a page, score, hollow): hollow points score cells, not fields."""
    points = [
        (f"{r['system']}, {r['group']}: fields right", r["profile"], r["seconds_per_page"], r["accuracy"], False)
        for r in report["runs"]
        if r["pages"] and r["fields"]
    ]
    points += [
        (f"{p['system']}: values found in cells", p["profile"], p["seconds_per_page"], p["score"], True)
        for p in report.get("speed", {}).get("peers", [])
        if p["pages"] and p["score"] is not None
    ]
    points += [
        (f"{name}: gold cells exact", "text", v["seconds_per_page"], v["recall"], True)
        for name, v in report.get("table_layer_gold_cells", {}).items()
        if v["pages"]
    ]
    return [p for p in points if p[2] > 0]


def write_chart(report: dict, path: Path) -> Path | None:
    """The chart, or None where matplotlib is not installed (the [bench] extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(11, 5.6))
    colours: dict[str, str] = {}
    hollow: dict[str, bool] = {}
    for system, profile, seconds, accuracy, empty in _points(report):
        colour = colours.setdefault(system, f"C{len(colours) % 10}")
        hollow[system] = empty
        face = "none" if empty else colour
        ax.scatter(seconds, accuracy * 100, marker=MARKERS.get(profile, "o"), s=60, facecolors=face, edgecolors=colour)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=c, markerfacecolor="none" if hollow[s] else c, label=s)
        for s, c in colours.items()
    ]
    used = {p[1] for p in _points(report)}
    handles += [
        Line2D([], [], marker=m, linestyle="", color="grey", label=f"profile {p}")
        for p, m in MARKERS.items()
        if p in used
    ]
    ax.set_xscale("log")
    ax.set_xlabel("seconds a page (log scale)")
    ax.set_ylabel("fields right %  (hollow: gold values found in cells %)")
    ax.set_title("Accuracy against seconds a page")
    ax.grid(True, alpha=0.3)
    ax.legend(handles=handles, fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
