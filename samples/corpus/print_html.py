"""Print sheets as HTML+CSS through headless Chromium (Playwright) to PDF.

Chromium splits a tall row across pages unless told not to and repeats a
<thead> after each break; a header band in mid-grid is therefore printed as a
second table pulled up under the first (Sheet.bands). One browser serves a
whole batch: starting Chromium costs more than printing a form.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from samples.corpus.sheet import Cell, Line, Sheet
from samples.corpus.style import PrintStyle

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _css(style: PrintStyle) -> str:
    orientation = "landscape" if style.landscape else "portrait"
    return f"""
@page {{ size: A4 {orientation}; margin: {style.margin_mm}mm; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: '{style.font}'; font-size: {style.size_pt}pt; line-height: {style.line_height}; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
td {{ border: {style.rule_pt}pt solid #000; padding: {style.padding_pt}pt; vertical-align: middle;
      overflow-wrap: anywhere; word-break: break-all; }}
table + table {{ margin-top: -{style.rule_pt}pt; }}
tr.keep {{ break-inside: avoid; }}
.line {{ margin: 0 0 4pt 0; }}
section.form {{ margin-bottom: 14pt; }}
section.fresh {{ break-before: page; }}
"""


def _line(line: Line, style: PrintStyle) -> str:
    weight = "bold" if line.bold else "normal"
    return (
        f"<div class='line' style='text-align:{line.align};font-weight:{weight};"
        f"font-size:{style.size_pt * line.scale:.1f}pt'>{html.escape(line.text)}</div>"
    )


def _cell(cell: Cell, style: PrintStyle) -> str:
    attrs = []
    if cell.rowspan > 1:
        attrs.append(f"rowspan={cell.rowspan}")
    if cell.colspan > 1:
        attrs.append(f"colspan={cell.colspan}")
    css = [f"text-align:{cell.align}"]
    if cell.bold:
        css.append("font-weight:bold")
    if cell.scale != 1.0:
        css.append(f"font-size:{style.size_pt * cell.scale:.1f}pt")
    return f"<td {' '.join(attrs)} style='{';'.join(css)}'>{html.escape(cell.text)}</td>"


def _table(sheet: Sheet, start: int, end: int, n_head: int, style: PrintStyle) -> str:
    total = sum(sheet.widths)
    cols = "".join(f"<col style='width:{100 * w / total:.3f}%'>" for w in sheet.widths)
    rows = []
    for r in range(start, end):
        keep = " class='keep'" if r in sheet.keep_rows else ""
        cells = "".join(_cell(c, style) for c in sheet.row_cells(r))
        rows.append(f"<tr{keep}>{cells}</tr>")
    head = f"<thead>{''.join(rows[:n_head])}</thead>" if n_head else ""
    return f"<table><colgroup>{cols}</colgroup>{head}<tbody>{''.join(rows[n_head:])}</tbody></table>"


def sheet_html(sheet: Sheet, style: PrintStyle, fresh_page: bool) -> str:
    parts = [_line(line, style) for line in sheet.above]
    parts += [_table(sheet, start, end, n_head, style) for start, end, n_head in sheet.bands()]
    parts += [_line(line, style) for line in sheet.below]
    cls = "form fresh" if fresh_page else "form"
    return f"<section class='{cls}'>{''.join(parts)}</section>"


def document_html(sheets: list[Sheet], style: PrintStyle, fresh: list[bool]) -> str:
    body = "".join(sheet_html(s, style, f and i > 0) for i, (s, f) in enumerate(zip(sheets, fresh)))
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<style>{_css(style)}</style></head><body>{body}</body></html>"
    )


def print_html(jobs: list[tuple[str, Path]]) -> None:
    """Print each (html, pdf path) with one Chromium."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise RuntimeError("chromium is not installed (Debian package chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            for markup, out in jobs:
                page.set_content(markup, wait_until="load")
                page.evaluate("document.fonts.ready")
                page.pdf(path=str(out), prefer_css_page_size=True, print_background=False)
        finally:
            browser.close()
