"""A page's layout: tables found from its rules, or handed in when found already."""

from __future__ import annotations

from extract.datamodel.geometry import Box, Word
from extract.datamodel.page import PageContent, ReadInfo
from extract.grid.layout import page_to_layout
from extract.grid.rules import find_tables
from extract.settings import GridSettings
from tests.builders import ruled


def test_tables_handed_in_are_used_not_found_again():
    rules = ruled([0, 100, 200], [100, 120, 140])
    found = find_tables(rules, 1, GridSettings())
    words = [Word("甲", Box(10, 105, 20, 115))]
    content = PageContent(1, 595, 842, words, rules=[], read=ReadInfo("ocr", engine="fake 0", dpi=200))
    layout = page_to_layout(content, GridSettings(), tables=found)
    assert layout.tables is found and layout.tables[0].cells[0].text == "甲"
    assert layout.kind == "ocr" and layout.read.dpi == 200


def test_tables_are_found_from_the_rules_when_not_given():
    content = PageContent(2, 595, 842, [Word("标题", Box(10, 10, 40, 20))], ruled([0, 100], [100, 120]))
    layout = page_to_layout(content, GridSettings())
    assert len(layout.tables) == 1 and [ln.text for ln in layout.lines] == ["标题"]
    assert layout.kind == "text"
