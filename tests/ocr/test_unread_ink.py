"""Ink the recogniser read nothing from, before its first or after its last character."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from extract.ocr.rapid import _unread_ink


def _crop_and_words(first_column: int, last_column: int):
    """A line crop 40 px high with ink from x=20 to x=220 and two characters read at two columns
    of a 50-step output (4.8 px a step)."""
    crop = np.full((40, 240), 230, np.uint8)
    crop[8:32, 20:220] = 30
    words = SimpleNamespace(words=[["次", "目"]], word_cols=[[first_column, last_column]], line_txt_len=50.0)
    return crop, words


def test_a_line_read_from_where_its_ink_begins_to_where_it_ends_is_whole():
    crop, words = _crop_and_words(first_column=5, last_column=44)  # 24 px and 211 px
    assert not _unread_ink(crop, words, lead_em=0.65, trail_em=1.1)


def test_ink_before_the_first_character_read_is_a_skipped_character():
    crop, words = _crop_and_words(first_column=10, last_column=44)  # the first read 28 px (1.2 em) in
    assert _unread_ink(crop, words, lead_em=0.65, trail_em=1.1)


def test_ink_after_the_last_character_read_is_a_skipped_character():
    crop, words = _crop_and_words(first_column=5, last_column=33)  # the last read 2.5 em before the ink ends
    assert _unread_ink(crop, words, lead_em=0.65, trail_em=1.1)
