"""Build a part of variant forms: print, locate, scan, and write gold and a manifest.

Printing and scanning are samples/corpus's (Chromium, LibreOffice Calc and
Writer; the scan profiles); only the forms and their gold are this package's.

  DIR/<part>/source/<printer>/NAME.html|xlsx|docx   what was printed
  DIR/<part>/text/<printer>/NAME.pdf                the printed PDF (text layer)
  DIR/<part>/<profile>/<printer>/NAME.pdf           its scan, NAME.scan.json beside
  every document has NAME.gold.jsonl beside it (empty for the disclosure table,
  which must be refused); DIR/<part>/manifest.json lists every file and form.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from models import ReviewItem, Source
from samples.corpus.build import _print as print_plans
from samples.corpus.build import gold_path, page_count, sha256
from samples.corpus.scan import scan_pdf
from samples.variants.common import Form
from samples.variants.locate import form_pages
from samples.variants.plan import DISCLOSURE, PRINTERS, SEEDS, VARIANTS, VariantDoc, plan_part

PROFILES = ("text", "clean", "office", "archive")
EMPTY = "printed empty where a value is due"


def write_gold(doc: Path, forms: list[Form], pages: list[list[int]]) -> None:
    """One gold record a line; the fields a form prints empty by design are in its review."""
    digest = sha256(doc)
    lines = []
    for form, where in zip(forms, pages):
        gold = form.record.model_copy(deep=True)
        gold.source = Source(file=doc.name, sha256=digest, pages=where)
        gold.variant = form.variant
        gold.confidence = {}
        gold.review = [ReviewItem(field=path, reason=EMPTY, confidence=0.0) for path in form.flags]
        lines.append(gold.model_dump_json())
    gold_path(doc).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _scan_job(args: tuple[str, str, str, str]) -> str:
    src, out, profile, seal_text = args
    scan_pdf(Path(src), Path(out), profile, seal_text)
    return out


def _entry(doc: VariantDoc, path: Path, root: Path, profile: str, pages: list[list[int]], n: int) -> dict:
    return {
        "path": str(path.relative_to(root)),
        "variant": doc.variant,
        "printer": doc.printer,
        "profile": profile,
        "pages": n,
        "refuse": doc.variant == DISCLOSURE,
        "style": doc.plan.style.as_dict(),
        "forms": [form.describe() | {"pages": where} for form, where in zip(doc.forms, pages)],
    }


def build_part(
    part: str,
    out_dir: Path,
    profiles: list[str] | tuple[str, ...] = ("text", "office"),
    n_forms: int | None = None,
    printers: list[str] | tuple[str, ...] = PRINTERS,
    variants: list[str] | tuple[str, ...] = tuple(VARIANTS),
    workers: int | None = None,
) -> list[Path]:
    """Generate one part under out_dir/<part>; returns every document written."""
    unknown = set(profiles) - set(PROFILES)
    if unknown:
        raise ValueError(f"unknown profiles {sorted(unknown)}: choose from {PROFILES}")
    started = time.perf_counter()
    root = Path(out_dir) / part
    if root.exists():
        shutil.rmtree(root)
    docs = plan_part(part, n_forms, printers, variants)
    print_plans([d.plan for d in docs], root)
    timings = {"print": round(time.perf_counter() - started, 1)}
    located, jobs = [], []
    for doc in docs:
        pdf = root / "text" / doc.printer / f"{doc.name}.pdf"
        titles = [f.title for f in doc.forms]
        pages = form_pages(pdf, titles, [f.record.project_name or "" for f in doc.forms]) if doc.forms else []
        write_gold(pdf, doc.forms, pages)
        outputs = {}
        for profile in profiles:
            if profile == "text":
                outputs[profile] = pdf
                continue
            outputs[profile] = root / profile / doc.printer / f"{doc.name}.pdf"
            outputs[profile].parent.mkdir(parents=True, exist_ok=True)
            seal = doc.forms[0].record.implementing_unit if doc.forms else "预算公开"
            jobs.append((str(pdf), str(outputs[profile]), profile, seal or ""))
        located.append((doc, pages, outputs, page_count(pdf)))
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(_scan_job, jobs))
    timings["scan"] = round(time.perf_counter() - started - timings["print"], 1)
    files, written = [], []
    for doc, pages, outputs, n in located:
        for profile, path in outputs.items():
            if profile != "text":
                write_gold(path, doc.forms, pages)
            written.append(path)
            files.append(_entry(doc, path, root, profile, pages, n))
    timings["total"] = round(time.perf_counter() - started, 1)
    manifest = {
        "part": part,
        "seed": SEEDS[part],
        "printers": list(printers),
        "profiles": list(profiles),
        "variants": list(variants),
        "forms": sum(len(d.forms) for d in docs),
        "seconds": timings,
        "files": files,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return written
