"""Words to cell text: wrapped labels join, OCR lines across a rule split, outside text kept."""

from __future__ import annotations

from extract.datamodel.geometry import Box, Word
from extract.grid.rules import find_tables
from extract.grid.words import fill_cell_text, group_lines, place_words, split_word, words_to_text_lines
from extract.settings import GridSettings
from tests.builders import ruled


def test_wrapped_label_joins_and_straddling_line_splits():
    rules = ruled([0, 60, 200], [0, 40])
    words = [
        Word("服务办事处人员覆", Box(2, 4, 58, 16), 0.99),
        Word("盖率", Box(2, 20, 16, 32), 0.98),
        # One OCR line across the ruling at x=60: the text of two cells.
        Word("完成率≥90.00(%)", Box(30, 22, 130, 34), 0.95),
    ]
    (table,) = find_tables(rules, 1, GridSettings())
    place_words([table], words)
    fill_cell_text(table)
    left, right = table.cells
    assert left.text.startswith("服务办事处人员覆盖率")
    assert right.text.endswith("90.00(%)")
    assert left.confidence == 0.95


def test_split_word_gives_latin_less_width_than_cjk():
    glyphs = split_word(Word("成本a", Box(0, 0, 25, 10)))
    assert [g.text for g in glyphs] == ["成", "本", "a"]
    assert glyphs[0].box.width > glyphs[2].box.width
    assert abs(glyphs[-1].box.x1 - 25) < 1e-9


def test_lines_group_by_vertical_overlap_and_sort_left_to_right():
    words = [Word("乙", Box(20, 0, 30, 10)), Word("甲", Box(0, 1, 10, 11)), Word("丙", Box(0, 20, 10, 30))]
    assert [[w.text for w in line] for line in group_lines(words)] == [["甲", "乙"], ["丙"]]


def test_words_outside_tables_become_text_lines():
    (table,) = find_tables(ruled([0, 100], [100, 140]), 1, GridSettings())
    words = [Word("财政项目支出绩效自评表", Box(10, 20, 150, 36), 0.9), Word("内", Box(10, 110, 20, 120))]
    outside = place_words([table], words)
    (title,) = words_to_text_lines(outside, 1)
    assert title.text == "财政项目支出绩效自评表" and title.confidence == 0.9 and title.page == 1
