"""Characters OCR confuses, folded to one representative for matching.

Only used to compare against the vocabulary: a printed value is never rewritten
through this table. Groups are shapes PP-OCR and Tesseract are known to swap.
"""

from __future__ import annotations

_GROUPS = [
    "己已巳",
    "未末",
    "土士",
    "人入",
    "日曰",
    "戊戌戍",
    "千干于",
    "大太犬",
    "王玉",
    "办为",
    "率卒",
    "拨拔",
    "效放",
    "标栎",
    "绩续",
    "传专",
    "坏环",
    "侯候",
    "刺剌",
    "析折",
    "一-—－",  # a lone stroke: 一级指标 read as -级指标
    "0OoD",
    "1lI|丨",
    "2Z",
    "5S",
    "8B",
]

_TABLE = {ord(ch): group[0] for group in _GROUPS for ch in group[1:]}


def fold_confusable(text: str) -> str:
    return text.translate(_TABLE)
