"""Build a part: print the planned files, read their gold pages off the PDFs,
scan them, and write gold and a manifest.

Layout of the output:
  DIR/<part>/source/<printer>/NAME.html|xlsx|docx   what was printed
  DIR/<part>/text/<printer>/NAME.pdf                the printed PDF (text layer)
  DIR/<part>/<profile>/<printer>/NAME.pdf|.tif      its scan, NAME.scan.json beside
  every document has NAME.gold.jsonl beside it; DIR/<part>/manifest.json lists all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pymupdf

from models import Record, Source
from samples.corpus.locate import Placement, locate
from samples.corpus.plan import PRINTERS, SEEDS, DocPlan, plan_part
from samples.corpus.print_docx import write_document
from samples.corpus.print_html import document_html, print_html
from samples.corpus.print_xlsx import write_workbook
from samples.corpus.scan import scan_pdf
from samples.corpus.soffice import to_pdf

PROFILES = ("text", "clean", "office", "archive", "bitonal")


def page_count(pdf: Path) -> int:
    with pymupdf.open(pdf) as doc:
        return doc.page_count


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gold_path(doc: Path) -> Path:
    return doc.with_name(doc.name.rsplit(".", 1)[0] + ".gold.jsonl")


def write_gold(doc: Path, records: list[Record], placements: list[Placement]) -> None:
    """One gold record a line, in print order, with the document's name, hash and pages."""
    digest = sha256(doc)
    lines = []
    for rec, where in zip(records, placements):
        gold = rec.model_copy(deep=True)
        gold.source = Source(file=doc.name, sha256=digest, pages=where.pages)
        gold.review, gold.confidence = [], {}
        lines.append(gold.model_dump_json())
    gold_path(doc).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _print(plans: list[DocPlan], root: Path) -> dict[str, list[bool]]:
    """Print every plan to root/text/<printer>/NAME.pdf; returns header repeats per file."""
    repeats: dict[str, list[bool]] = {}
    by_printer = {p: [d for d in plans if d.printer == p] for p in PRINTERS}
    for printer, docs in by_printer.items():
        if not docs:
            continue
        src = root / "source" / printer
        text = root / "text" / printer
        src.mkdir(parents=True, exist_ok=True)
        text.mkdir(parents=True, exist_ok=True)
        if printer == "html":
            jobs = []
            for d in docs:
                markup = document_html(d.sheets, d.style, d.fresh)
                (src / f"{d.name}.html").write_text(markup, encoding="utf-8")
                jobs.append((markup, text / f"{d.name}.pdf"))
                repeats[d.name] = [bool(s.header_rows) for s in d.sheets]
            print_html(jobs)
            continue
        files = []
        for d in docs:
            path = src / f"{d.name}.{printer}"
            if printer == "xlsx":
                repeats[d.name] = write_workbook(d.sheets, d.style, d.fresh, path)
            else:
                write_document(d.sheets, d.style, d.fresh, path)
                repeats[d.name] = [bool(s.header_rows) for s in d.sheets]
            files.append(path)
        to_pdf(files, text)
    return repeats


def _scan_job(args: tuple[str, str, str, str]) -> tuple[str, int]:
    src, out, profile, seal_text = args
    sidecar = scan_pdf(Path(src), Path(out), profile, seal_text)
    return out, len(sidecar["pages"])


def _form_entry(rec: Record, where: Placement, plan: DocPlan, i: int, repeats: list[bool]) -> dict:
    return {
        "form_type": rec.form_type,
        "project_name": rec.project_name,
        "pages": where.pages,
        "indicators": len(rec.indicators),
        "indicator_pages": where.indicator_pages,
        "starts_mid_page": where.starts_mid_page,
        "cut_cells": where.cut_cells,
        "header_repeats": repeats[i],
        "fresh_page": plan.fresh[i],
    }


def _summary(printer: str, entries: list) -> dict:
    """How often the page-break cases occur, per printer: the corpus must hold them all."""
    mine = [f for plan, _, fs, _, _ in entries if plan.printer == printer for f in fs]
    return {
        "files": sum(plan.printer == printer for plan, *_ in entries),
        "forms": len(mine),
        "pages": sum(n for plan, *_, n in entries if plan.printer == printer),
        "multi_page_forms": sum(len(f["pages"]) > 1 for f in mine),
        "indicator_table_broken": sum(len(f["indicator_pages"]) > 1 for f in mine),
        "cells_cut_across_pages": sum(len(f["cut_cells"]) for f in mine),
        "forms_starting_mid_page": sum(f["starts_mid_page"] for f in mine),
        "header_repeats": sum(f["header_repeats"] for f in mine),
    }


def build_part(
    part: str,
    out_dir: Path,
    profiles: list[str] | tuple[str, ...] = PROFILES,
    n_forms: int | None = None,
    printers: list[str] | tuple[str, ...] = PRINTERS,
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
    plans = plan_part(part, n_forms, printers)
    repeats = _print(plans, root)
    timings = {"print": round(time.perf_counter() - started, 1)}
    entries, jobs = [], []
    for plan in plans:
        pdf = root / "text" / plan.printer / f"{plan.name}.pdf"
        placements = locate(pdf, plan.records)
        write_gold(pdf, plan.records, placements)
        forms = [
            _form_entry(r, w, plan, i, repeats[plan.name]) for i, (r, w) in enumerate(zip(plan.records, placements))
        ]
        docs = {}
        for profile in profiles:
            if profile == "text":
                docs[profile] = pdf
                continue
            suffix = ".tif" if profile == "bitonal" else ".pdf"
            docs[profile] = root / profile / plan.printer / (plan.name + suffix)
            docs[profile].parent.mkdir(parents=True, exist_ok=True)
            jobs.append((str(pdf), str(docs[profile]), profile, plan.records[0].implementing_unit or ""))
        entries.append((plan, placements, forms, docs, page_count(pdf)))
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(_scan_job, jobs))
    timings["scan"] = round(time.perf_counter() - started - timings["print"], 1)
    files, written = [], []
    for plan, placements, forms, docs, pages in entries:
        for profile, doc in docs.items():
            if profile != "text":
                write_gold(doc, plan.records, placements)
            written.append(doc)
            files.append(
                {
                    "path": str(doc.relative_to(root)),
                    "printer": plan.printer,
                    "profile": profile,
                    "pages": pages,
                    "forms": forms,
                    "options": plan.describe(),
                }
            )
    timings["total"] = round(time.perf_counter() - started, 1)
    summary = {printer: _summary(printer, entries) for printer in printers}
    manifest = {
        "part": part,
        "seed": SEEDS[part],
        "printers": list(printers),
        "profiles": list(profiles),
        "forms": sum(len(p.records) for p in plans),
        "seconds": timings,
        "summary": summary,
        "files": files,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return written
