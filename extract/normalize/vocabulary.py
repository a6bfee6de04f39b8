"""Map printed indicator names onto the canonical vocabulary (rapidfuzz).

A name maps when it equals an entry or alias after folding, or (on OCR pages)
when it is within a small, OCR-like edit of exactly one entry. A name that maps
to nothing well enough stays as printed and is flagged: it is never forced onto
the nearest entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from extract.errors import UsageError
from extract.normalize.confusions import fold_confusable
from extract.normalize.text import fold
from models.vocabulary import load

MatchKind = Literal["exact", "alias", "fuzzy", "none"]


@dataclass(frozen=True)
class Match:
    entry: str | None  # canonical entry, or None when unmapped
    score: float  # similarity to the entry (or to the nearest one when unmapped)
    kind: MatchKind
    nearest: str | None = None


def _strip_prefix(key: str) -> str:
    for prefix in ("其中:", "其中"):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            return key[len(prefix) :]
    return key


def _key(text: str) -> str:
    """Folded comparison key: NFKC, no spaces, no '其中:' prefix, confusables folded."""
    return fold_confusable(_strip_prefix(fold(text)))


def _ocr_like(key: str, entry_key: str) -> bool:
    """Is the difference the size of an OCR slip rather than another name?

    OCR misreads or drops a character or two; it does not add words. One edit
    is allowed under ten characters, two from ten up, and lengths may differ
    by one at most (tests/test_vocabulary.py holds the unseen names this keeps
    out and the slips it lets in).
    """
    allowed = 1 if len(entry_key) < 10 else 2
    return abs(len(key) - len(entry_key)) <= 1 and Levenshtein.distance(key, entry_key) <= allowed


class Matcher:
    """Fuzzy lookup of one list of canonical entries with their aliases."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.canonical: dict[str, str] = {}  # key -> canonical entry
        self.alias: set[str] = set()
        for entry, aliases in entries.items():
            self.canonical.setdefault(_key(entry), entry)
            for alias in aliases:
                self.canonical.setdefault(_key(alias), entry)
                self.alias.add(_key(alias))
        self.keys = list(self.canonical)
        # The folded spellings that count as printed exactly (entry or alias).
        self.printed = {_strip_prefix(fold(t)) for e, a in entries.items() for t in [e, *a]}

    def match(self, text: str, min_score: float, allow_fuzzy: bool = True) -> Match:
        key = _key(text)
        if not key:
            return Match(None, 0.0, "none")
        if key in self.canonical and (allow_fuzzy or _strip_prefix(fold(text)) in self.printed):
            entry = self.canonical[key]
            if _strip_prefix(fold(text)) not in self.printed:
                # Equal only once confusable shapes are folded: an OCR slip.
                return Match(entry, 0.97, "fuzzy", entry)
            kind: MatchKind = "alias" if key in self.alias else "exact"
            return Match(entry, 1.0, kind)
        best = process.extract(key, self.keys, scorer=fuzz.ratio, limit=3)
        if not best:
            return Match(None, 0.0, "none")
        top_key, top_score, _ = best[0]
        score = top_score / 100.0
        nearest = self.canonical[top_key]
        # A second, different entry nearly as close makes the match ambiguous.
        rivals = [s for k, s, _ in best[1:] if self.canonical[k] != nearest]
        ambiguous = bool(rivals) and top_score - rivals[0] < 3.0
        if allow_fuzzy and score >= min_score and not ambiguous and _ocr_like(key, top_key):
            return Match(nearest, score, "fuzzy", nearest)
        return Match(None, score, "none", nearest)


@dataclass
class Vocabulary:
    """The names the forms layer maps onto: the indicator framework and the indicator names."""

    framework: dict[str, list[str]]
    indicators: Matcher
    level1: Matcher
    level2: Matcher
    units: frozenset[str] = frozenset()  # a 度量单位 column's units (folded)
    natures: frozenset[str] = frozenset()  # a 指标性质 column's words besides a comparator (folded)

    @classmethod
    def load(cls, learned: list[dict] | None = None) -> Vocabulary:
        """The packaged vocabulary; `learned` adds reviewers' indicator aliases (see `learned_aliases`)."""
        framework = load("framework")["framework"]
        names = {e["name"]: list(e.get("aliases", [])) for e in load("indicators")["indicators"]}
        for alias in learned or ():
            if alias.get("kind") == "indicator":
                names.setdefault(alias["canonical"], []).append(alias["printed"])
        level2s = sorted({name for names in framework.values() for name in names})
        return cls(
            framework=framework,
            indicators=Matcher(names),
            level1=Matcher({name: [] for name in framework}),
            level2=Matcher({name: [] for name in level2s}),
            units=frozenset(fold(u) for u in load("units")["units"]),
            natures=frozenset(fold(n) for n in load("units")["natures"]),
        )


def learned_aliases(path: str | Path | None) -> list[dict]:
    """The aliases reviewers saved (DIR/vocabulary.user.json, docs/exports.md); none when there is no file."""
    if path is None or not Path(path).is_file():
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable vocabulary file ({exc}); fix or remove it") from exc
    return [a for a in data.get("aliases", []) if a.get("printed") and a.get("canonical")]
