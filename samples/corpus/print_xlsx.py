"""Print sheets as XLSX workbooks (openpyxl) that LibreOffice Calc turns into PDF.

Calc never splits a row across pages and does not grow a row for wrapped text
in merged cells, so row heights are computed here from the real font's glyph
widths, with slack. A form that starts on a fresh page gets a worksheet of its
own; only a form alone on its worksheet may repeat its indicator header ("print
titles"), since print titles repeat on every later page of the worksheet.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from samples.corpus.sheet import Line, Sheet
from samples.corpus.style import MM, PrintStyle, ceil_lines, line_factor

SLACK = 1.1  # measured widths may run this much narrower in Calc
PT_PER_CHAR = 7.0  # points per column-width unit, as Calc prints them (measured)


def _side(style: PrintStyle) -> Side:
    """Calc prints "thin" 0.75 pt and "medium" 1.75 pt; its "hair" (0.1 pt) is
    fainter than any printer prints a rule, so it is not used."""
    return Side(style="thin" if style.rule_pt < 1.1 else "medium", color="000000")


def _col_points(sheet: Sheet, style: PrintStyle) -> list[float]:
    total = sum(sheet.widths)
    return [style.text_width * w / total for w in sheet.widths]


def _bounds(sheet: Sheet) -> list[float]:
    total, out = sum(sheet.widths), [0.0]
    for w in sheet.widths:
        out.append(out[-1] + w / total)
    return out


def common_grid(sheets: list[Sheet]) -> tuple[list[float], list[list[int]]]:
    """One worksheet column grid for forms with different columns.

    Worksheet columns are shared by every form on the worksheet, so each form's
    column boundaries map onto the union of all boundaries (near ones merged), and
    a form's column becomes a run of merged worksheet columns, as people do in Excel.
    Returns the grid's widths (fractions) and, per sheet, boundary -> grid index.
    """
    union: list[float] = []
    for b in sorted(x for s in sheets for x in _bounds(s)):
        if not union or b - union[-1] > 0.012:
            union.append(b)
    union[-1] = 1.0
    widths = [b - a for a, b in itertools.pairwise(union)]
    maps = [[min(range(len(union)), key=lambda i: abs(union[i] - b)) for b in _bounds(s)] for s in sheets]
    return widths, maps


def _row_heights(sheet: Sheet, style: PrintStyle, cols: list[float]) -> list[float]:
    """Heights (points) that fit every cell's wrapped text, spanning cells last."""
    line = style.size_pt * max(1.2, line_factor(style.font) * 1.04)
    pad = 2 * style.padding_pt + 2
    heights = [line + pad] * sheet.n_rows
    for cell in sorted(sheet.cells, key=lambda c: c.rowspan):
        width = sum(cols[cell.col : cell.last_col + 1]) - 2 * style.padding_pt - 2
        size = style.size_pt * cell.scale
        n = ceil_lines(cell.text, style.font, size, width, SLACK)
        need = n * line * cell.scale + pad
        have = sum(heights[cell.row : cell.last_row + 1])
        if need > have:
            heights[cell.last_row] += need - have
    return heights


def _write_line(ws: Worksheet, row: int, line: Line, n_cols: int, style: PrintStyle) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)
    cell = ws.cell(row, 1, line.text)
    cell.font = Font(name=style.font, size=round(style.size_pt * line.scale, 1), bold=line.bold)
    cell.alignment = Alignment(horizontal=line.align, vertical="center")
    ws.row_dimensions[row].height = style.size_pt * line.scale * 1.8


def _write_sheet(ws: Worksheet, top: int, sheet: Sheet, style: PrintStyle, bounds: list[int]) -> tuple[int, int]:
    """Write one form from row `top` (1-based) on grid columns `bounds`; returns the
    next free row and the first header band (worksheet row, rows), (0, 0) if none."""
    n = bounds[-1]
    row = top
    for line in sheet.above:
        _write_line(ws, row, line, n, style)
        row += 1
    grid_top = row
    side = _side(style)
    heights = _row_heights(sheet, style, _col_points(sheet, style))
    for r, h in enumerate(heights):
        ws.row_dimensions[grid_top + r].height = round(h, 1)
    for c in sheet.cells:
        r0, c0 = grid_top + c.row, bounds[c.col] + 1
        r1, c1 = grid_top + c.last_row, bounds[c.last_col + 1]
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        target = ws.cell(r0, c0)
        if c.text:
            target.value = c.text
            target.data_type = "s"  # a target like =1.00(次) is text, not a formula
        target.font = Font(name=style.font, size=round(style.size_pt * c.scale, 1), bold=c.bold)
        target.alignment = Alignment(horizontal=c.align, vertical="center", wrap_text=True)
        for rr in range(r0, r1 + 1):
            for cc in range(c0, c1 + 1):
                ws.cell(rr, cc).border = Border(
                    left=side if cc == c0 else None,
                    right=side if cc == c1 else None,
                    top=side if rr == r0 else None,
                    bottom=side if rr == r1 else None,
                )
    row = grid_top + sheet.n_rows
    for line in sheet.below:
        _write_line(ws, row, line, n, style)
        row += 1
    bands = sheet.header_bands()
    return row + 1, (grid_top + bands[0][0], len(bands[0])) if bands else (0, 0)


def _page_setup(ws: Worksheet, widths: list[float], style: PrintStyle) -> None:
    for i, fraction in enumerate(widths, 1):
        pt = style.text_width * fraction
        ws.column_dimensions[get_column_letter(i)].width = round(pt / PT_PER_CHAR, 2)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if style.landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    inch = style.margin_mm * MM / 72
    ws.page_margins.left = ws.page_margins.right = inch
    ws.page_margins.top = ws.page_margins.bottom = inch
    ws.page_margins.header = ws.page_margins.footer = 0.1
    ws.print_options.horizontalCentered = True


def write_workbook(sheets: list[Sheet], style: PrintStyle, fresh: list[bool], out: Path) -> list[bool]:
    """Write the forms to `out`; returns, per form, whether its (first) header band repeats."""
    wb = Workbook()
    ws = wb.active
    repeats: list[bool] = []
    groups: list[list[int]] = []
    for i, is_fresh in enumerate(fresh):
        if i == 0 or is_fresh:
            groups.append([i])
        else:
            groups[-1].append(i)
    for g, members in enumerate(groups):
        if g:
            ws = wb.create_sheet()
        ws.title = f"表{g + 1}"
        widths, maps = common_grid([sheets[i] for i in members])
        _page_setup(ws, widths, style)
        row = 1
        for i, bounds in zip(members, maps):
            row, (header, n_head) = _write_sheet(ws, row, sheets[i], style, bounds)
            alone = len(members) == 1  # print titles repeat one band, on every later page
            if alone and header:
                ws.print_title_rows = f"{header}:{header + n_head - 1}"
            repeats.append(alone and bool(header))
        ws.print_area = f"A1:{get_column_letter(len(widths))}{row}"
    wb.save(out)
    return repeats
