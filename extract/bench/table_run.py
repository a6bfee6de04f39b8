"""The table layer against its peers: gold cells of the labelled samples, public datasets."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from extract.bench import tables
from extract.bench.harness import Log
from extract.bench.inputs import BenchSet


def table_layer(sets: list[BenchSet], datasets: Path | None, log: Log) -> dict[str, Any]:
    """Gold-cell recovery on the bundled text samples; adjacency P/R/F1 on camelot's cases and ICDAR 2013."""
    texts = [f for s in sets if s.source == "samples" and s.profile == "text" for f in s.files]
    gold_cells = {}
    if texts:
        log("table layer on the labelled text samples ...")
        gold_cells = tables.score_gold_cells(texts)
    scores: dict[str, dict[str, tables.RelationScore]] = {}
    if datasets and datasets.is_dir():
        camelot_root = datasets / "camelot"
        if (camelot_root / "manifest.json").exists():
            log("table layer on camelot's lattice test cases ...")
            scores["camelot test cases"] = tables.score_relations(tables.camelot_cases(camelot_root))
        if (camelot_root / "icdar2013").is_dir():
            log("table layer on ICDAR 2013 ...")
            scores["ICDAR 2013"] = tables.score_relations(tables.icdar_cases(camelot_root / "icdar2013"))
    elif datasets:
        log(f"no public table datasets at {datasets}: left out")
    return {
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
                for k, v in found.items()
            }
            for name, found in scores.items()
        },
    }
