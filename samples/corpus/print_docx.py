"""Print sheets as DOCX documents (python-docx) that LibreOffice Writer turns into PDF.

Writer, like Word, may split a row across pages unless the row says cantSplit,
and repeats rows marked tblHeader, but only rows at the top of a table; a
header band in mid-grid therefore starts a second table right under the first
(Sheet.bands), separated by a 1-point paragraph as Word requires.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from samples.corpus.sheet import Line, Sheet
from samples.corpus.style import PrintStyle

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _set_font(run_or_style, family: str, size: float, bold: bool = False) -> None:
    run_or_style.font.name = family
    run_or_style.font.size = Pt(size)
    run_or_style.font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), family)


def _tight(paragraph, line_height: float) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = line_height


def _add_line(doc, line: Line, style: PrintStyle, page_break: bool = False) -> None:
    p = doc.add_paragraph()
    _tight(p, 1.2)
    p.paragraph_format.space_after = Pt(3)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.page_break_before = page_break
    p.alignment = _ALIGN[line.align]
    _set_font(p.add_run(line.text), style.font, style.size_pt * line.scale, line.bold)


def _borders(table: Table, style: PrintStyle) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    size = str(max(2, round(style.rule_pt * 8)))  # eighths of a point
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), size)
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(style.padding_pt * 20)))  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _add_table(doc, sheet: Sheet, start: int, end: int, n_head: int, style: PrintStyle) -> None:
    table = doc.add_table(rows=end - start, cols=sheet.n_cols)
    table.autofit = False
    _borders(table, style)
    total = sum(sheet.widths)
    widths = [Pt(style.text_width * w / total) for w in sheet.widths]
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    for r in range(start, end):
        row = table.rows[r - start]
        if r < start + n_head:
            _row_flag(row, "w:tblHeader")
        if r in sheet.keep_rows:
            _row_flag(row, "w:cantSplit")
    for c in sheet.cells:
        if not start <= c.row < end:
            continue
        cell = table.cell(c.row - start, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.last_row - start, c.last_col))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        for extra in cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        _tight(p, style.line_height)
        p.alignment = _ALIGN[c.align]
        _set_font(p.add_run(c.text), style.font, style.size_pt * c.scale, c.bold)


def _spacer(doc, points: float) -> None:
    p = doc.add_paragraph()
    _tight(p, 1.0)
    _set_font(p.add_run(""), "Noto Sans CJK SC", points)
    p.paragraph_format.line_spacing = Pt(points)


def write_document(sheets: list[Sheet], style: PrintStyle, fresh: list[bool], out: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    width, height = style.page_size
    section.orientation = WD_ORIENT.LANDSCAPE if style.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Pt(width), Pt(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(style.margin_mm))
    _set_font(doc.styles["Normal"], style.font, style.size_pt)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)  # the template's empty first paragraph
    for i, (sheet, is_fresh) in enumerate(zip(sheets, fresh)):
        breaks = is_fresh and i > 0
        for j, line in enumerate(sheet.above):
            _add_line(doc, line, style, page_break=breaks and j == 0)
        if breaks and not sheet.above:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for k, (start, end, n_head) in enumerate(sheet.bands()):
            if k:
                _spacer(doc, 1)
            _add_table(doc, sheet, start, end, n_head, style)
        for line in sheet.below:
            _add_line(doc, line, style)
        _spacer(doc, style.size_pt * 1.5)
    doc.save(str(out))
