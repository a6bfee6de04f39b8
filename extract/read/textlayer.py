"""Read a PDF page's text layer and vector rules with PyMuPDF."""

from __future__ import annotations

import pymupdf

from extract.datamodel.geometry import Box, Rule, Word
from extract.datamodel.page import TEXT_LAYER, PageContent
from extract.settings import TextLayerSettings


def page_words(page: pymupdf.Page) -> list[Word]:
    """Every glyph with its box: CJK text has no spaces, so glyphs are the unit."""
    words: list[Word] = []
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                for ch in span["chars"]:
                    c = ch["c"]
                    if not c.strip():
                        continue
                    x0, y0, x1, y1 = ch["bbox"]
                    words.append(Word(c, Box(x0, y0, x1, y1)))
    return words


def image_cover(page: pymupdf.Page) -> float:
    """Share of the page area covered by its largest image."""
    area = page.rect.width * page.rect.height or 1.0
    best = 0.0
    for info in page.get_image_info():
        rect = pymupdf.Rect(info["bbox"]) & page.rect
        best = max(best, rect.width * rect.height / area)
    return best


def has_usable_text(words: list[Word], page: pymupdf.Page, settings: TextLayerSettings) -> bool:
    """Is the text layer good enough to skip OCR?

    Broken encodings give U+FFFD or private-use code points; a scan carries no
    text or a few stray glyphs over a page-sized image. Either way: OCR.
    A sparse but clean page (the last row of a table) keeps its text layer.
    """
    good = sum(1 for w in words if w.text != "\ufffd" and not ("\ue000" <= w.text <= "\uf8ff"))
    if good == 0 or good < 0.9 * len(words):
        return False
    return not (good < settings.min_text_chars_on_image and image_cover(page) >= settings.image_cover)


def _rect_rules(rect: pymupdf.Rect, stroked: bool, thin: float) -> list[Rule]:
    if rect.width <= thin or rect.height <= thin:
        if rect.width <= thin and rect.height <= thin:
            return []
        if rect.height <= thin:
            y = (rect.y0 + rect.y1) / 2
            return [Rule(rect.x0, y, rect.x1, y)]
        x = (rect.x0 + rect.x1) / 2
        return [Rule(x, rect.y0, x, rect.y1)]
    if not stroked:
        return []  # a shaded background, not a ruling
    return [
        Rule(rect.x0, rect.y0, rect.x1, rect.y0),
        Rule(rect.x0, rect.y1, rect.x1, rect.y1),
        Rule(rect.x0, rect.y0, rect.x0, rect.y1),
        Rule(rect.x1, rect.y0, rect.x1, rect.y1),
    ]


def page_rules(page: pymupdf.Page, settings: TextLayerSettings) -> list[Rule]:
    """Horizontal and vertical segments from the vector drawings."""
    rules: list[Rule] = []
    for drawing in page.get_drawings():
        stroked = drawing.get("color") is not None and "s" in drawing.get("type", "")
        for item in drawing["items"]:
            kind = item[0]
            if kind == "l":
                p, q = item[1], item[2]
                if abs(p.y - q.y) <= 1.0 or abs(p.x - q.x) <= 1.0:
                    rules.append(Rule(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)))
            elif kind == "re":
                rules.extend(_rect_rules(pymupdf.Rect(item[1]), stroked, settings.thin_rect))
            elif kind == "qu":
                quad = item[1]
                if quad.is_rectangular:
                    rules.extend(_rect_rules(quad.rect, stroked, settings.thin_rect))
    return rules


def read_text_page(page: pymupdf.Page, settings: TextLayerSettings, words: list[Word] | None = None) -> PageContent:
    """The page's glyphs and rules; `words` when the caller has read them already."""
    rect = page.rect
    return PageContent(
        number=page.number + 1,
        width=rect.width,
        height=rect.height,
        words=page_words(page) if words is None else words,
        rules=page_rules(page, settings),
        read=TEXT_LAYER,
    )
