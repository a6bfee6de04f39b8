"""Per page: find the tables, fill their cells, and keep the text outside them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from extract.geometry import TextLine
from extract.grid import Table, fill_cell_text, find_tables, place_words, words_to_text_lines
from extract.page import PageContent, PageKind
from extract.settings import GridSettings


@dataclass
class PageLayout:
    number: int
    kind: PageKind
    tables: list[Table]
    lines: list[TextLine]
    timings: dict[str, float] = field(default_factory=dict)


def page_to_layout(content: PageContent, settings: GridSettings) -> PageLayout:
    start = time.perf_counter()
    tables = find_tables(content, settings)
    outside = place_words(tables, content.words)
    for table in tables:
        fill_cell_text(table)
    lines = words_to_text_lines(outside, content.number)
    timings = dict(content.timings)
    timings["grid"] = time.perf_counter() - start
    return PageLayout(content.number, content.kind, tables, lines, timings)
