"""Content pools: what a part's records are drawn from.

Each part (dev, sealed) has its own pools module with disjoint regions,
departments, project topics, invented indicator names and sentences, so an
extractor tuned on dev text meets none of it in sealed. The canonical
vocabulary (models/vocabulary/indicators.json) is split the same way: under each
level-2 indicator with two or more entries, dev draws the even-numbered entries
and sealed the odd-numbered ones; a level-2 with one entry is shared.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from models.vocabulary import load


@dataclass(frozen=True)
class Bureau:
    """A department kind: its provincial and city names, its units and topics."""

    province_name: str  # 交通运输厅
    city_name: str  # 交通运输局
    units: tuple[str, ...]  # 公路事业发展中心 (prefixed with the region when drawn)
    topics: tuple[str, ...]  # 农村公路养护 (a project is a topic plus a suffix)


@dataclass(frozen=True)
class Pools:
    regions: tuple[str, ...]
    bureaus: tuple[Bureau, ...]
    suffixes: tuple[str, ...]
    natures: tuple[str, ...]
    categories: tuple[str, ...]
    invented: dict[str, tuple[str, ...]]  # level-2 -> indicator names in no vocabulary
    text_targets: tuple[str, ...]
    goal_sentences: tuple[str, ...]  # placeholders: {project} {topic} {unit} {year} {n}
    outcome_sentences: tuple[str, ...]
    notes: tuple[str, ...]
    fillers: tuple[str, ...]  # 填表人 names, for lines under the grid


def fold(text: str) -> str:
    """The contract's comparison form: NFKC, no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@cache
def vocabulary() -> dict[str, str]:
    """Folded name or alias -> canonical name, for every vocabulary entry."""
    out: dict[str, str] = {}
    for entry in load("indicators")["indicators"]:
        for variant in [entry["name"], *entry["aliases"]]:
            out[fold(variant)] = entry["name"]
    return out


def canonical(name_raw: str) -> str:
    """The gold `name`: the vocabulary entry name_raw folds to, else name_raw."""
    return vocabulary().get(fold(name_raw), name_raw)


@cache
def framework() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in load("framework")["framework"].items()}


def vocabulary_names(part: str) -> dict[str, list[str]]:
    """Level-2 -> the vocabulary names (and their printed aliases) this part may print."""
    by_level2: dict[str, list[dict]] = {}
    for entry in load("indicators")["indicators"]:
        by_level2.setdefault(entry["level2"], []).append(entry)
    out: dict[str, list[str]] = {}
    for level2, entries in by_level2.items():
        entries = sorted(entries, key=lambda e: e["name"])
        if len(entries) > 1:
            entries = entries[0::2] if part == "dev" else entries[1::2]
        out[level2] = [v for e in entries for v in [e["name"], *e["aliases"]]]
    return out


def pools_for(part: str) -> Pools:
    if part == "dev":
        from samples.corpus.pools_dev import POOLS
    elif part == "sealed":
        from samples.corpus.pools_sealed import POOLS
    else:
        raise ValueError(f"unknown part {part!r}: dev or sealed")
    return POOLS
