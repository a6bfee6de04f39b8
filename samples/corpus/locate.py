"""Find, in a printed PDF, the pages each form really occupies.

Gold pages are read off the printed file, never assumed from the layout: every
form prints its title exactly once, as its first text, so the k-th title (pages
in order, top to bottom) starts form k, and form k ends on the last page with
any text before the title of form k+1: the page of that title when text sits
above it, else the page before. Positions, not content-stream order, decide
"above": Calc writes a page's one-line cells before its wrapped ones. The same
pass reports where page breaks fell: which long cells were cut across pages
and which forms start mid-page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from models import Record
from samples.corpus.layout_common import TITLES
from samples.corpus.pools import fold


@dataclass
class Placement:
    """Where one form fell in the printed file."""

    pages: list[int]
    starts_mid_page: bool
    cut_cells: list[str] = field(default_factory=list)  # long cells broken across pages
    indicator_pages: list[int] = field(default_factory=list)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text layer, folded (NFKC, no white space)."""
    with pymupdf.open(pdf) as doc:
        return [fold(page.get_text("text")) for page in doc]


def title_places(doc: pymupdf.Document, titles: set[str]) -> list[tuple[int, bool]]:
    """(page index, text above it?) for every printed title, in reading order."""
    out = []
    for index, page in enumerate(doc):
        tops: list[float] = []
        for title in titles:
            for rect in page.search_for(title):
                if all(abs(rect.y0 - y) > 2 for y in tops):
                    tops.append(rect.y0)
        words = page.get_text("words")
        for y in sorted(tops):
            out.append((index, any(w[3] < y - 0.5 and w[4].strip() for w in words)))
    return out


def _pages_holding(needle: str, texts: list[str], pages: list[int]) -> list[int]:
    key = fold(needle)
    return [p for p in pages if key and key in texts[p - 1]]


def _cut(text: str, texts: list[str], pages: list[int]) -> bool:
    """A long cell is cut when its head and its tail sit on different pages."""
    key = fold(text)
    if len(key) < 16 or _pages_holding(key, texts, pages):
        return False
    head = _pages_holding(key[:8], texts, pages)
    tail = _pages_holding(key[-8:], texts, pages)
    return bool(head and tail and head[0] != tail[-1])


def locate(pdf: Path, records: list[Record]) -> list[Placement]:
    """Placements of `records` (in print order) in `pdf`; raises if they cannot be told apart."""
    texts = page_texts(pdf)
    with pymupdf.open(pdf) as doc:
        titles = title_places(doc, set(TITLES.values()))
    if len(titles) != len(records):
        raise ValueError(f"{pdf.name}: {len(titles)} titles printed for {len(records)} forms")
    last_page = max((p for p, t in enumerate(texts) if t), default=0)
    out = []
    for k, rec in enumerate(records):
        first, mid_page = titles[k]
        if k + 1 < len(titles):
            nxt_page, text_above = titles[k + 1]
            end = nxt_page if text_above else nxt_page - 1
        else:
            end = last_page
        pages = list(range(first + 1, end + 2))
        name_pages = _pages_holding(rec.project_name or "", texts, pages)
        if not name_pages or name_pages[0] not in pages[:2]:
            raise ValueError(f"{pdf.name}: project name of form {k + 1} is not near its first page")
        long_cells = [("goal", rec.goal), ("outcome", rec.outcome)] + [
            (f"indicators[{i}].{key}", getattr(ind, key))
            for i, ind in enumerate(rec.indicators)
            for key in ("name_raw", "target", "note")
        ]
        cut = [path for path, text in long_cells if text and _cut(text, texts, pages)]
        rows = [ind.name_raw for ind in rec.indicators if ind.name_raw]
        ind_pages = sorted({p for name in rows for p in _pages_holding(name, texts, pages)})
        out.append(Placement(pages=pages, starts_mid_page=mid_page, cut_cells=cut, indicator_pages=ind_pages))
    _cross_check(pdf, records, out, texts)
    return out


def _cross_check(pdf: Path, records: list[Record], placements: list[Placement], texts: list[str]) -> None:
    """Indicator names printed by one form only must sit on that form's pages."""
    every = list(range(1, len(texts) + 1))
    for k, (rec, where) in enumerate(zip(records, placements)):
        others = "|".join(fold(json) for j, r in enumerate(records) if j != k for json in [r.model_dump_json()])
        for ind in rec.indicators:
            key = fold(ind.name_raw or "")
            if len(key) >= 5 and key not in others:
                stray = set(_pages_holding(key, texts, every)) - set(where.pages)
                if stray:
                    raise ValueError(
                        f"{pdf.name}: {ind.name_raw} of form {k + 1} printed on "
                        f"pages {sorted(stray)} outside {where.pages}"
                    )


def has_text_layer(pdf: Path) -> bool:
    """True when every page carries extractable text."""
    with pymupdf.open(pdf) as doc:
        return all(page.get_text("text").strip() for page in doc)
