"""The img2table peer: bordered tables and their cell texts off scanned pages, with Tesseract.

Runs inside .venv-img2table (benchmarks/peers_env.py makes it), never in the
project's environment: img2table needs opencv-contrib-python. `filing-extract
bench --speed-peers` starts it as a subprocess:

    .venv-img2table/bin/python benchmarks/peers/img2table_tables.py --out OUT.json [--dpi 200] [--threads N] FILE...

Each page is rendered the way the pipeline renders it (a TIFF becomes a PDF of
its pages first, then gray at --dpi) and given to img2table with
TesseractOCR(lang="chi_sim"); `detect_rotation` is on, since scans are skewed.
Writes one JSON object to --out (stdout carries Tesseract's own chatter): per
file, per page, the seconds (render + tables + OCR) and the tables found, each
a list of rows of cell texts (a merged cell once).
"""

from __future__ import annotations

import argparse
import json
import time
from importlib.metadata import version
from pathlib import Path

import pymupdf
from img2table.document import Image
from img2table.ocr import TesseractOCR

SETTINGS = {"detect_rotation": True, "implicit_rows": False, "borderless_tables": False, "min_confidence": 50}


def open_pages(path: Path) -> pymupdf.Document:
    doc = pymupdf.open(path)
    if doc.is_pdf:
        return doc
    pdf = pymupdf.open(stream=doc.convert_to_pdf(), filetype="pdf")
    doc.close()
    return pdf


def page_tables(page: pymupdf.Page, dpi: int, ocr: TesseractOCR) -> list[list[list[str]]]:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    image = Image(src=pix.tobytes("png"), detect_rotation=SETTINGS["detect_rotation"])
    found = image.extract_tables(
        ocr=ocr,
        implicit_rows=SETTINGS["implicit_rows"],
        borderless_tables=SETTINGS["borderless_tables"],
        min_confidence=SETTINGS["min_confidence"],
    )
    out = []
    for table in found:
        seen: set[tuple[int, int, int, int]] = set()
        rows = []
        for row in table.content.values():
            cells = []
            for cell in row:
                box = (cell.bbox.x1, cell.bbox.y1, cell.bbox.x2, cell.bbox.y2)
                cells.append("" if box in seen else (cell.value or ""))
                seen.add(box)
            rows.append(cells)
        out.append(rows)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="the JSON report")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="Tesseract processes at once")
    args = parser.parse_args()
    ocr = TesseractOCR(n_threads=args.threads, lang="chi_sim")
    report = {"version": version("img2table"), "settings": ", ".join(f"{k}={v}" for k, v in SETTINGS.items())}
    report["files"] = []
    for path in args.files:
        entry: dict = {"path": str(path), "pages": []}
        try:
            with open_pages(path) as doc:
                for page in doc:
                    start = time.perf_counter()
                    grids = page_tables(page, args.dpi, ocr)
                    seconds = time.perf_counter() - start
                    entry["pages"].append({"page": page.number + 1, "seconds": seconds, "tables": grids})
        except Exception as exc:  # a peer that fails on a file is a result, not a crash
            entry["error"] = f"{type(exc).__name__}: {exc}"
        report["files"].append(entry)
    args.out.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
