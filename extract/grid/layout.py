"""Per page: find the tables (unless the reader found them), fill their cells, keep the text outside."""

from __future__ import annotations

from extract.datamodel.page import PageContent, PageLayout
from extract.datamodel.table import Table
from extract.grid.rules import find_tables
from extract.grid.words import fill_cell_text, place_words, words_to_text_lines
from extract.settings import GridSettings


def page_to_layout(content: PageContent, settings: GridSettings, tables: list[Table] | None = None) -> PageLayout:
    """`tables`: found already from the same rules (a scanned page), so not found twice."""
    if tables is None:
        tables = find_tables(content.rules, content.number, settings)
    outside = place_words(tables, content.words)
    for table in tables:
        fill_cell_text(table)
    lines = words_to_text_lines(outside, content.number)
    return PageLayout(content.number, content.read, tables, lines, content.rules)
