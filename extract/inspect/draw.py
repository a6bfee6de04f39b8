"""Draw what the pipeline saw on a page, as camelot's plots and docling's debug views do.

The page is copied into a new PDF page (a scan straightened first, so the
drawing lines up with the boxes the pipeline reports), then drawn on with
PyMuPDF, whose built-in CJK font needs nothing installed: ruling lines in
blue, cells in green, OCR lines in orange with their scores, each mapped
field's box with its path, and flagged fields in red with the reason. The
drawing is written as a PNG a page, beside a JSON of the same facts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from extract.datamodel.page import PageLayout
from extract.datamodel.result import FileResult
from extract.read.imaging import render_gray, rotate

RULE, CELL, WORD, FIELD, FLAG = (
    (0.1, 0.35, 0.95),
    (0.1, 0.65, 0.2),
    (0.95, 0.55, 0.0),
    (0.45, 0.2, 0.75),
    (0.9, 0.0, 0.0),
)


@dataclass
class PageDrawing:
    page: int
    png: Path
    facts: Path


def _background(source: pymupdf.Page, layout: PageLayout, out: pymupdf.Document) -> pymupdf.Page:
    """A copy of the page to draw on: a scan is straightened as the pipeline straightened it."""
    page = out.new_page(width=source.rect.width, height=source.rect.height)
    if layout.kind == "text":
        page.show_pdf_page(page.rect, source.parent, source.number)
        return page
    dpi = layout.read.dpi or 200
    gray = rotate(render_gray(source, dpi), layout.read.skew_degrees or 0.0)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, gray.shape[1], gray.shape[0], gray.tobytes(), False)
    page.insert_image(pymupdf.Rect(0, 0, gray.shape[1] * 72 / dpi, gray.shape[0] * 72 / dpi), pixmap=pix)
    return page


def _label(page: pymupdf.Page, point: tuple[float, float], text: str, colour, size: float = 4.5) -> None:
    page.insert_text(point, text, fontname="china-s", fontsize=size, color=colour)


def draw_page(
    source: pymupdf.Page, layout: PageLayout, result: FileResult, out_dir: Path, dpi: int = 150
) -> PageDrawing:
    doc = pymupdf.open()
    page = _background(source, layout, doc)
    shape = page.new_shape()
    for rule in layout.rules:
        shape.draw_line((rule.x0, rule.y0), (rule.x1, rule.y1))
    shape.finish(color=RULE, width=0.6)
    facts: dict = {
        "page": layout.number,
        "read": layout.read.__dict__ | {"steps": list(layout.read.steps)},
        "tables": [],
        "fields": {},
        "flags": [],
    }
    for table in layout.tables:
        cells = []
        for cell in table.cells:
            page.draw_rect(pymupdf.Rect(cell.box.x0, cell.box.y0, cell.box.x1, cell.box.y1), color=CELL, width=0.4)
            _label(page, (cell.box.x0 + 1, cell.box.y0 + 4), f"{cell.row},{cell.col}", CELL, 3.5)
            for word in cell.words if layout.kind == "ocr" else ():
                page.draw_rect(pymupdf.Rect(word.box.x0, word.box.y0, word.box.x1, word.box.y1), color=WORD, width=0.3)
                _label(page, (word.box.x1 - 9, word.box.y1 + 3.5), f"{word.confidence:.2f}", WORD, 3.5)
            cells.append(
                {
                    "row": cell.row,
                    "col": cell.col,
                    "rowspan": cell.rowspan,
                    "colspan": cell.colspan,
                    "box": cell.box.as_list(),
                    "text": cell.text,
                    "confidence": round(cell.confidence, 3),
                }
            )
        facts["tables"].append({"box": table.box.as_list(), "rows": table.n_rows, "cols": table.n_cols, "cells": cells})
    shape.commit()
    for record in result.records:
        for path, place in record.provenance.items():
            if place.page != layout.number or path.startswith("indicators["):
                continue  # indicator rows are drawn by their cells; header fields by name
            x0, y0, x1, y1 = place.box
            page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=FIELD, width=0.7, dashes="[2] 0")
            _label(page, (x0 + 1, y1 - 1.5), path, FIELD)
            facts["fields"][path] = place.box
        for item in record.review:
            if item.page == layout.number and item.box:
                x0, y0, x1, y1 = item.box
                page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=FLAG, width=1.2)
                _label(page, (x0, y0 - 1.5), f"{item.field}: {item.reason[:60]}", FLAG, 4.0)
            if item.page in (None, layout.number):
                facts["flags"].append(item.model_dump())
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / f"page-{layout.number:03d}.png"
    page.get_pixmap(dpi=dpi).save(png)
    facts_path = png.with_suffix(".json")
    facts_path.write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
    doc.close()
    return PageDrawing(layout.number, png, facts_path)


def inspect_file(
    source_pdf: pymupdf.Document,
    result: FileResult,
    layouts: list[PageLayout],
    out_dir: Path,
    pages: list[int] | None = None,
) -> list[PageDrawing]:
    """Draw the chosen pages (1-based; all when None)."""
    wanted = set(pages) if pages else None
    return [
        draw_page(source_pdf[layout.number - 1], layout, result, out_dir)
        for layout in layouts
        if wanted is None or layout.number in wanted
    ]
