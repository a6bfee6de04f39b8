"""Value parsers: decimals keep their scale, dates become ISO, years and units are found."""

from __future__ import annotations

import pytest

from extract.normalize.values import (
    parse_date,
    parse_decimal,
    parse_unit,
    parse_year,
    target_shape_problem,
    text_end_problem,
)


@pytest.mark.parametrize(
    "text,value",
    [
        ("180,000.00", "180000.00"),
        ("7.28", "7.28"),
        ("6,300,000.00", "6300000.00"),
        ("100", "100"),
        ("-", None),
        ("", None),
        (" 0.00 ", "0.00"),
        ("１２.５０", "12.50"),
    ],
)
def test_decimals_keep_their_scale(text, value):
    got, problem = parse_decimal(text)
    assert problem is None
    assert (str(got) if got is not None else None) == value


@pytest.mark.parametrize("text", ["7.2B", "1,23.00", "12..5", "达成指标"])
def test_bad_numbers_say_why(text):
    got, problem = parse_decimal(text)
    assert got is None and text in problem


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2024-01-01", "2024-01-01"),
        ("2024/1/1", "2024-01-01"),
        ("2024年12月31日", "2024-12-31"),
        ("20240630", "2024-06-30"),
    ],
)
def test_dates(text, iso):
    assert parse_date(text) == (iso, None)


def test_year_and_unit():
    assert parse_year("（2024年度）") == 2024
    assert parse_unit("项目资金（万元）") == "万元"
    assert parse_unit("项目资金(元)") == "元"


@pytest.mark.parametrize("text", ["92.00%", "88.00(%)", "153(批次)"])
def test_a_measured_target_without_its_sign_is_doubted(text):
    assert "no sign" in target_shape_problem(text)


@pytest.mark.parametrize("text", ["=92.00%", "100%及时", "全面完成"])
def test_targets_with_their_sign_or_in_words_are_not(text):
    assert target_shape_problem(text) is None


def test_a_target_that_starts_with_a_stop_is_a_speck_read_as_one():
    assert "starts with '。'" in target_shape_problem("。≥96%")
    assert target_shape_problem("≥96%") is None


@pytest.mark.parametrize(
    ("text", "doubted"),
    [
        ("加强管理，按时完成。群众满意度达到85%以上", True),  # its last stop lost
        ("加强管理，按时完成。群众满意度达到85%以上。", False),
        ("按时完成年度任务", False),  # one sentence, no stop: as the filer wrote it
        ("完成。见附件（一）", False),
    ],
)
def test_prose_whose_last_sentence_alone_lacks_a_stop_is_doubted(text, doubted):
    assert (text_end_problem(text) is not None) == doubted
