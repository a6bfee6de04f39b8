"""Printed labels: matching a cell's text to a label, tolerating OCR slips and print habits.

Forms print the same label in many ways: `年度资金总额:` with a colon,
`实施单位 (盖章)` with a stamp note, `年度预算数(万元)` with the unit inside, a
label and its value in one cell (`项目名称：…`). The comparison key drops what
does not change the label's meaning; the unit is read separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from extract.normalize.confusions import fold_confusable
from extract.normalize.text import fold

LabelRole = Literal["field", "funds_line", "funds_column", "column", "total", "table", "structure"]

_NOTE = re.compile(r"[(（](盖章|签章|公章|签字|万元|元|单位:?万元|单位:?元)[)）]")
# A colon ends many labels; a stop, comma or dot at either end is a speck the scan read as one.
_TRAILING = re.compile(r"[:：。.,，、·]+$")
_LEADING = re.compile(r"^[。.,，、·]+")
_PREFIX = re.compile(r"^其中[:：]?")
_COLON = re.compile(r"[:：]")
MAX_LABEL_CHARS = 18  # a cell longer than this is a value, not a label


def label_key(text: str) -> str:
    """The comparison key of a label: folded, without stamp and unit notes, '其中:' or a trailing colon."""
    key = _LEADING.sub("", _TRAILING.sub("", _NOTE.sub("", fold(text))))
    stripped = _PREFIX.sub("", key)
    return fold_confusable(stripped if len(stripped) > 1 else key)


@dataclass(frozen=True)
class Label:
    """One printed spelling of a label, and what it labels."""

    path: str | None  # the record path its value goes to; None: a label that only structures the form
    text: str
    role: LabelRole = "field"
    at: str = "right"  # right, below
    occurrence: str = "first"  # first, last: which one when the form prints it twice
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", label_key(self.text))


class LabelSet:
    """Fuzzy lookup of a cell's text among one definition's labels, optionally of some roles only."""

    def __init__(self, labels: list[Label]) -> None:
        self.labels = [lab for lab in labels if lab.key]
        self.exact: dict[str, list[Label]] = {}
        for lab in self.labels:
            self.exact.setdefault(lab.key, []).append(lab)
        self._by_roles: dict[frozenset[str] | None, tuple[list[str], list[Label]]] = {}

    def _subset(self, roles: frozenset[str] | None) -> tuple[list[str], list[Label]]:
        if roles not in self._by_roles:
            chosen = [lab for lab in self.labels if roles is None or lab.role in roles]
            self._by_roles[roles] = ([lab.key for lab in chosen], chosen)
        return self._by_roles[roles]

    def match(self, text: str, min_score: float, roles: frozenset[str] | None = None) -> tuple[Label, float] | None:
        """The label this text is, with its score (1.0 exact), or None."""
        key = label_key(text)
        if not key or len(key) > MAX_LABEL_CHARS:
            return None
        exact = [lab for lab in self.exact.get(key, ()) if roles is None or lab.role in roles]
        if exact:
            return exact[0], 1.0
        keys, labels = self._subset(roles)
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=min_score * 100)
        return (labels[hit[2]], hit[1] / 100) if hit else None

    def match_prefix(self, text: str, min_score: float) -> tuple[Label, float, str] | None:
        """A label and its value printed in one cell (`项目名称：某某项目`): the label and the rest."""
        parts = _COLON.split(fold(text), maxsplit=1)
        if len(parts) != 2 or not parts[1].strip():
            return None
        hit = self.match(parts[0], min_score, frozenset({"field", "funds_line"}))
        if hit is None:
            return None
        return hit[0], hit[1], _value_after_colon(text)


def _value_after_colon(text: str) -> str:
    match = _COLON.search(text)
    return text[match.end() :].strip() if match else ""
