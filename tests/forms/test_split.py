"""Splitting a document into forms by printed title, with the year line and tables."""

from __future__ import annotations

import pytest

from extract.forms.split import split_forms
from extract.normalize.vocabulary import Vocabulary
from tests.builders import layout, line, table


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


def test_each_title_opens_a_form_that_keeps_the_tables_below_it(vocab):
    first = table([(0, 0, 1, 1, "项目名称")], top=120)
    second = table([(0, 0, 1, 1, "项目名称")], top=500)
    pages = [
        layout(
            1,
            [first, second],
            [
                line("财政项目支出绩效目标申报表", y=60),
                line("（2024年度）", y=90),
                line("财政项目支出绩效自评表", y=420),
            ],
        )
    ]
    regions = split_forms(pages, vocab, 0.8)
    assert [r.form_type for r in regions] == ["target_declaration", "self_evaluation"]
    assert regions[0].tables == [first] and regions[1].tables == [second]
    assert regions[0].year_line.text == "（2024年度）" and regions[1].year_line is None


def test_a_form_runs_on_over_the_next_page(vocab):
    part1, part2 = table([(0, 0, 1, 1, "a")], top=120), table([(0, 0, 1, 1, "b")], page=2, top=40)
    pages = [layout(1, [part1], [line("财政项目支出绩效自评表", y=60)]), layout(2, [part2], [])]
    (region,) = split_forms(pages, vocab, 0.8)
    assert region.tables == [part1, part2] and region.pages == [1, 2]


def test_a_cover_title_opens_nothing_and_tables_before_a_title_are_dropped(vocab):
    stray = table([(0, 0, 1, 1, "x")], top=100)
    form = table([(0, 0, 1, 1, "y")], top=400)
    pages = [
        layout(
            1,
            [stray, form],
            [line("上海市人民政府2024年度项目绩效目标汇总表", y=40), line("财政项目支出绩效目标申报表", y=350)],
        )
    ]
    (region,) = split_forms(pages, vocab, 0.8)
    assert region.tables == [form]


def test_no_title_no_form(vocab):
    assert split_forms([layout(1, [table([(0, 0, 1, 1, "x")])], [line("会议纪要")])], vocab, 0.8) == []
