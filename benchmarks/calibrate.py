"""Fit the confidence calibration on the development corpus, and choose the review threshold.

    python benchmarks/calibrate.py CORPUS/dev [VARIANTS/dev ...] [--write] [--workers N]

Runs the pipeline with raw confidence (no calibration) over every labelled file
under the folders (all profiles and printers), fits one isotonic curve for
text-layer fields, one for OCR fields and one for each family of OCR fields
with enough of them (amount, entry, text, name: extract/record/calibrate.py), and
prints each kind's reliability table before and after, and the threshold
sweep on calibrated confidence. --write stores the curves in
models/calibration/confidence.json, which the pipeline then applies. Fit on the
development part only: the sealed part is for reporting.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

from extract import Extractor, Settings
from extract.bench.reliability import Judged, judged_fields, reliability, sweep
from extract.bench.scoring import gold_path, pair_forms, read_gold, score_form
from extract.record.calibrate import Calibration, Curve, fit_isotonic
from extract.settings import ReviewSettings

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "calibration" / "confidence.json"


def labelled(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".pdf", ".tif") and gold_path(p).exists())


@cache
def _extractor() -> Extractor:
    """One per worker process, loaded on its first file."""
    return Extractor(Settings(review=ReviewSettings(calibrate=False)))


def _judge(path: Path) -> list[Judged]:
    result = _extractor().extract_file(path)
    pairs, _ = pair_forms(result.records, read_gold(gold_path(path)))
    return [j for got, want in pairs if got is not None for j in judged_fields(got, score_form(got, want))]


def collect(files: list[Path], workers: int) -> list[Judged]:
    out: list[Judged] = []
    with multiprocessing.Pool(workers) as pool:
        for i, (path, judged) in enumerate(zip(files, pool.imap(_judge, files)), 1):
            out += judged
            print(f"[{i}/{len(files)}] {path.relative_to(path.parents[2])}", file=sys.stderr, flush=True)
    return out


MIN_FAMILY_FIELDS = 300  # a family of OCR fields gets a curve of its own with at least this many


def show(title: str, fields: list[Judged]) -> None:
    print(f"\n{title}: {len(fields)} fields")
    for row in reliability(fields):
        acc = f"{row['accuracy']:.4f}" if row["accuracy"] is not None else "-"
        print(f"  {row['band']:>10}  {row['fields']:>7}  right {acc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="+", help="development corpus parts (never a sealed one)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    parser.add_argument("--write", action="store_true", help=f"write the curves to {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    start = time.perf_counter()
    fields = collect([path for folder in args.folder for path in labelled(folder)], args.workers)
    curves = {}
    families = sorted({f.family for f in fields})
    groups = [("text_layer", None), ("ocr", None)] + [("ocr", family) for family in families]
    for kind, family in groups:
        mine = [f for f in fields if f.kind == kind and family in (None, f.family)]
        if not mine or (family and len(mine) < MIN_FAMILY_FIELDS):
            continue
        name = f"{kind}/{family}" if family else kind
        curve = fit_isotonic([f.confidence for f in mine], [f.right for f in mine])
        curves[name] = [[x, y] for x, y in zip(curve.raw, curve.calibrated)]
        show(f"{name}, raw", mine)
        after = [replace(f, confidence=curve(f.confidence)) for f in mine]
        show(f"{name}, calibrated", after)
    calibration = Calibration({k: Curve(tuple(x for x, _ in v), tuple(y for _, y in v)) for k, v in curves.items()})
    calibrated = [replace(f, confidence=calibration.apply(f.confidence, f.kind, f.family)) for f in fields]
    print("\nthreshold sweep (calibrated):")
    for row in sweep(calibrated):
        print(
            f"  < {row['threshold']:.2f}: flagged {row['flagged_share']:.3%}, right flagged {row['right_flagged']}, "
            f"wrong unflagged {row['wrong_unflagged']} ({row['wrong_unflagged_share']:.4%})"
        )
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        fitted = f"{', '.join(map(str, args.folder))} ({len(fields)} fields, {time.strftime('%Y-%m-%d')})"
        OUT.write_text(
            json.dumps({"fitted_on": fitted, "curves": curves}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"\nwrote {OUT}")
    print(f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
