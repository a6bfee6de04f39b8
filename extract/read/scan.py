"""A page with no usable text layer: render, straighten, find its rules, OCR its cells.

Two steps with the grid stage between them, so the grid is found once:
`prepare_scan` renders and straightens the page and finds its ruling lines;
the caller turns the rules into tables; `recognise_cells` then cuts each
cell's lines of ink and recognises them in one batch, so the detector never
runs over the page (it costs more than recognition on a ruled form). A page
with no ruled table falls back to full-page detection and recognition.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.datamodel.geometry import Box, Rule, Word
from extract.datamodel.page import PageContent, ReadInfo
from extract.datamodel.table import Table
from extract.ocr.base import OcrEngine, OcrLine
from extract.read.imaging import (
    PixelBox,
    clean_speckle,
    darkness,
    estimate_skew,
    ink_bands,
    ink_mask,
    paper_level,
    rotate,
    stretches,
)
from extract.read.ruling import RuleFinding, find_rules
from extract.settings import ScanSettings


@dataclass(frozen=True)
class Crop:
    box: PixelBox
    image: np.ndarray
    ink_width: int
    ink_height: int


@dataclass
class ScanPage:
    """A straightened page image, its ink without the rules, and the rules in points."""

    content: PageContent  # rules found, no words yet
    gray: np.ndarray
    text_ink: np.ndarray  # ink mask with the ruling lines painted out and specks dropped
    px_per_pt: float


def _rules_in_points(h_lines: list[PixelBox], v_lines: list[PixelBox], scale: float) -> list[Rule]:
    rules = []
    for b in h_lines:
        y = (b.y0 + b.y1) / 2 * scale
        rules.append(Rule(b.x0 * scale, y, b.x1 * scale, y))
    for b in v_lines:
        x = (b.x0 + b.x1) / 2 * scale
        rules.append(Rule(x, b.y0 * scale, x, b.y1 * scale))
    return rules


def _text_only(mask: np.ndarray, rules: list[PixelBox], folds: list[PixelBox], dark: np.ndarray) -> np.ndarray:
    """The ink mask with the ruling lines painted out (3 px either side), and the folds too,
    but for the strokes of text that cross a fold: darker than the fold, they stay (次 on a fold)."""
    out = mask.copy()
    for b in rules:
        out[max(0, b.y0 - 3) : b.y1 + 3, max(0, b.x0 - 3) : b.x1 + 3] = 0
    for b in folds:
        rows, cols = slice(max(0, b.y0 - 3), b.y1 + 3), slice(max(0, b.x0 - 3), b.x1 + 3)
        level = float(np.median(dark[b.y0 : b.y1 + 1, b.x0 : b.x1 + 1]))
        band = out[rows, cols]  # a view: written through
        band[dark[rows, cols] <= max(2 * level, level + 0.25)] = 0
    return out


def rule_finding(settings: ScanSettings, px: float) -> RuleFinding:
    """The rule finder's sizes, in pixels at `px` pixels a point."""
    return RuleFinding(
        min_length=max(8, int(settings.rule_min_pt * px)),
        along=max(3, int(settings.rule_along_pt * px)) | 1,
        max_thickness=max(3, round(settings.rule_max_thickness_pt * px)),
        min_darkness=settings.rule_darkness,
        pen_share=settings.rule_pen_share,
        clear_share=settings.rule_clear_share,
        join_gap=round(settings.rule_join_pt * px),
    )


def prepare_scan(
    gray: np.ndarray,
    number: int,
    dpi: int,
    engine_label: str,
    settings: ScanSettings,
    seals_lifted: bool = False,
    threads: int = 1,
) -> ScanPage:
    """Straighten a rendered page and find its ruling lines (in points); `seals_lifted`: the
    render took red seals off (kept in the page's steps); `threads`: the cores it may use."""
    paper = paper_level(gray)
    mask = ink_mask(gray, settings.ink_ratio, paper, settings.ink_share)
    skew = estimate_skew(mask, settings.max_skew)
    straightened = rotate(gray, skew)
    if straightened is not gray:  # a page left as it was keeps its paper and ink
        gray = straightened
        paper = paper_level(gray)
        mask = ink_mask(gray, settings.ink_ratio, paper, settings.ink_share)
    px = dpi / 72.0
    scale = 1 / px
    dark = darkness(gray, paper)
    found = find_rules(dark, rule_finding(settings, px), threads)
    h_lines, v_lines = found.horizontal, found.vertical
    steps = ("seal removal",) * seals_lifted + (("deskew",) if abs(skew) >= 0.02 else ())
    read = ReadInfo("ocr", engine=engine_label, dpi=dpi, skew_degrees=round(skew, 2), steps=steps)
    content = PageContent(
        number, gray.shape[1] * scale, gray.shape[0] * scale, [], _rules_in_points(h_lines, v_lines, scale), read
    )
    text = clean_speckle(_text_only(mask, h_lines + v_lines, found.page_wide, dark), min_area=max(3, int(px * px / 2)))
    return ScanPage(content, gray, text, px)


def recognise_cells(scan: ScanPage, tables: list[Table], engine: OcrEngine, settings: ScanSettings) -> list[Word]:
    """The page's words: by cell when the grid found tables, else by full-page OCR."""
    scale = 1 / scan.px_per_pt
    if not tables:
        return _full_page_words(engine, scan.gray, scale)
    lines = _ocr_by_grid(engine, scan, tables, settings)
    return [w for w in (_word(line, crop.box, scale) for line, crop in lines) if w is not None]


def _line_crops(
    gray: np.ndarray, text: np.ndarray, region: PixelBox, min_height: int, split_gap: int | None, margin: int
) -> list[Crop]:
    """Cut each line of ink inside `region`; with `split_gap`, split a line at wide gaps."""
    sub = text[region.y0 : region.y1, region.x0 : region.x1]
    crops = []
    bands = ink_bands(sub, min_height, axis=1, min_gap=2)
    if not bands and sub.any():
        # Strokes each thinner than a line of text, one over another (the bars of =): one band.
        bands = ink_bands(sub, min_height, axis=1, min_gap=2 * min_height)
    for y0, y1 in bands:
        if (y0 == 0 or y1 == sub.shape[0]) and y1 - y0 < 2 * min_height:
            continue  # a sliver of the cell's own rule, not text
        band = sub[y0:y1]
        gap = split_gap if split_gap is not None else band.shape[1]
        for x0, x1 in ink_bands(band, 1, axis=0, min_gap=max(gap, 3 * (y1 - y0))):
            box = PixelBox(
                max(0, region.x0 + x0 - margin),
                max(0, region.y0 + y0 - margin),
                min(gray.shape[1], region.x0 + x1 + margin),
                min(gray.shape[0], region.y0 + y1 + margin),
            )
            crops.append(Crop(box, _padded(gray[box.y0 : box.y1, box.x0 : box.x1], y1 - y0), x1 - x0, y1 - y0))
    return crops


def _padded(image: np.ndarray, ink_height: int) -> np.ndarray:
    """The crop with paper around it: recognisers drop a first or last character (三 of 三级指标)
    that starts at the crop's edge. Paper, not more of the page, so no rule comes into it."""
    side, top = max(4, ink_height // 2), max(2, ink_height // 4)
    paper = int(np.percentile(image, 90)) if image.size else 255
    return cv2.copyMakeBorder(image, top, top, side, side, cv2.BORDER_CONSTANT, value=paper)


def _word(line: OcrLine, box: PixelBox, scale: float) -> Word | None:
    text = line.text.strip()
    if not text:
        return None
    confidence = min(line.char_scores) if line.char_scores else line.score
    return Word(text, Box(box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale), confidence)


def _full_page_words(engine: OcrEngine, gray: np.ndarray, scale: float) -> list[Word]:
    words = []
    for line in engine.read(gray):
        xs = [x for x, _ in line.quad]
        ys = [y for _, y in line.quad]
        box = PixelBox(int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))
        word = _word(line, box, scale)
        if word is not None:
            words.append(word)
    return words


def _ocr_by_grid(
    engine: OcrEngine, scan: ScanPage, tables: list[Table], settings: ScanSettings
) -> list[tuple[OcrLine, Crop]]:
    """Recognise the lines of every cell, and the lines outside the tables, in one batch."""
    px, gray, text = scan.px_per_pt, scan.gray, scan.text_ink
    min_height = max(3, int(settings.line_min_pt * px))
    inset = round(settings.cell_inset_pt * px)
    margin = settings.crop_margin_px
    groups: list[list[Crop]] = []  # the crops of one cell, or of the text outside tables
    outside = text.copy()
    for table in tables:
        b = table.box
        outside[
            max(0, int(b.y0 * px) - inset) : int(b.y1 * px) + inset,
            max(0, int(b.x0 * px) - inset) : int(b.x1 * px) + inset,
        ] = 0
        for cell in table.cells:
            region = PixelBox(
                int(cell.box.x0 * px) + inset,
                int(cell.box.y0 * px) + inset,
                int(cell.box.x1 * px) - inset,
                int(cell.box.y1 * px) - inset,
            )
            if region.x1 > region.x0 and region.y1 > region.y0:
                groups.append(_line_crops(gray, text, region, min_height, None, margin))
    page_region = PixelBox(0, 0, text.shape[1], text.shape[0])
    groups.append(_line_crops(gray, outside, page_region, min_height, int(12 * px), margin))
    heights = [c.ink_height for group in groups for c in group]
    if not heights:
        return []
    text_height = float(np.median(heights))
    to_read: list[Crop] = []
    marks: list[tuple[OcrLine, Crop]] = []
    for group in groups:
        group = _stack_pieces(gray, group, text_height, settings.small_mark * text_height, margin)
        small = [c for c in group if c.ink_height < settings.small_mark * text_height]
        large = [c for c in group if c.ink_height >= settings.small_mark * text_height]
        to_read += large
        for crop in small:
            mark = _lone_mark(crop)
            # A dash stands alone for a null amount, an equals sign for a target's comparator;
            # a full stop ends a text.
            if (mark.text in ("-", "=") and len(group) == 1) or (mark.text == "。" and large):
                marks.append((mark, crop))
    lines = engine.read_lines([c.image for c in to_read])
    return list(zip(lines, to_read)) + marks


def _stack_pieces(gray: np.ndarray, group: list[Crop], text_height: float, small: float, margin: int) -> list[Crop]:
    """Join bands of ink one over another in a cell that are one glyph the ink mask cut at a thin
    stroke (台, 亩, %): each about a character wide, together about a line high, one of them short.
    Read apart they are a lone mark and a wrong character; a line of text stays whole."""
    out: list[Crop] = []
    for crop in sorted(group, key=lambda c: c.box.y0):
        last = out[-1] if out else None
        if last is not None and max(last.ink_width, crop.ink_width) <= GLYPH_WIDE * text_height:
            box = PixelBox(
                min(last.box.x0, crop.box.x0),
                last.box.y0,
                max(last.box.x1, crop.box.x1),
                max(last.box.y1, crop.box.y1),
            )
            ink_height = box.y1 - box.y0 - 2 * margin
            overlap = min(last.box.x1, crop.box.x1) > max(last.box.x0, crop.box.x0)
            short = min(last.ink_height, crop.ink_height) < small
            if overlap and short and ink_height <= 1.3 * text_height:
                image = _padded(gray[box.y0 : box.y1, box.x0 : box.x1], ink_height)
                out[-1] = Crop(box, image, max(last.ink_width, crop.ink_width), ink_height)
                continue
        out.append(crop)
    return out


GLYPH_WIDE = 1.5  # a band of ink at most this many text heights wide holds a glyph or two


def _lone_mark(crop: Crop) -> OcrLine:
    """A line holding one small mark: a dash ('-', a null amount), an equals sign or a full stop.

    Recognisers read such a mark alone as noise ('8', 'o'); its shape says more.
    """
    h, w = crop.image.shape[:2]
    ink = crop.image < 0.6 * float(np.percentile(crop.image, 90))
    bars = [hi - lo for lo, hi in stretches(ink.sum(axis=1) >= max(2, crop.ink_width // 2))]
    if len(bars) == 2 and crop.ink_width >= 1.2 * max(bars) * 2:
        text = "="  # two bars one over the other
    else:
        text = "-" if crop.ink_width >= 1.8 * crop.ink_height else "。"
    return OcrLine(text, ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))), 0.85)
