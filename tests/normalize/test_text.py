"""Joining wrapped lines and folding text for comparison, as the contract says."""

from __future__ import annotations

from extract.normalize.confusions import fold_confusable
from extract.normalize.text import fold, is_cjk, join_lines, tidy


def test_chinese_lines_join_without_a_space_latin_words_keep_one():
    assert join_lines(["服务办事处人员覆", "盖率"]) == "服务办事处人员覆盖率"
    assert join_lines(["ISO", "9001 认证"]) == "ISO 9001认证"
    assert join_lines(["", "  ", "甲"]) == "甲"


def test_spaces_inside_chinese_and_numbers_are_dropped():
    assert tidy(" 其中： 当年 财政拨款 ") == "其中：当年财政拨款"
    assert tidy("1 203.00") == "1203.00"
    assert tidy("Word  count") == "Word count"


def test_fold_is_nfkc_without_white_space():
    assert fold("（２０２４年度） ") == "(2024年度)"


def test_cjk_range():
    assert is_cjk("指") and is_cjk("，") and not is_cjk("a")


def test_confusable_shapes_fold_to_one_and_others_stay():
    assert fold_confusable("己") == fold_confusable("已") == fold_confusable("巳")
    assert fold_confusable("率") == fold_confusable("卒")
    assert fold_confusable("成本") == "成本"


def test_specks_read_as_stops_at_a_labels_ends_do_not_hide_it():
    from extract.normalize.labels import label_key

    assert label_key("总分。。") == label_key("。总分") == label_key("总分")
    assert label_key("年度资金总额:") == label_key("年度资金总额")
