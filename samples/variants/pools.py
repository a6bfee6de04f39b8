"""Content pools of the variant forms: who files, about what, in which words.

Each part (dev, sealed) has its own pools module with disjoint regions,
agencies, units, project topics, invented indicator names and sentences, as
samples/corpus does; the canonical vocabulary is split between the parts the
same way (samples.corpus.pools.vocabulary_names).
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.corpus.pools import Bureau, vocabulary_names

# An indicator name and the unit its target is measured in ("text": a qualitative target).
Named = tuple[str, str]


@dataclass(frozen=True)
class VariantPools:
    shanghai_districts: tuple[str, ...]  # 浦东新区: departments are 上海市 + district + bureau
    sichuan_regions: tuple[str, ...]  # 四川省 or a city
    hunan_counties: tuple[str, ...]  # county-level cities of Hunan
    shaanxi_counties: tuple[str, ...]  # counties printing 某县财政支出项目绩效目标申报表
    bureaus: tuple[Bureau, ...]  # province_name for provinces, city_name for cities, districts, counties
    suffixes: tuple[str, ...]  # a project is a topic plus a suffix
    categories: tuple[str, ...]  # 项目类别
    invented: dict[str, tuple[Named, ...]]  # level-2 -> indicator names in no vocabulary
    text_targets: tuple[str, ...]  # qualitative targets
    text_actuals: tuple[str, ...]  # qualitative results
    goal_sentences: tuple[str, ...]  # placeholders: {project} {topic} {unit} {year} {n} {pct}
    long_term_sentences: tuple[str, ...]
    outcome_sentences: tuple[str, ...]
    problems: tuple[str, ...]
    measures: tuple[str, ...]
    notes: tuple[str, ...]  # why an indicator fell short
    reasons: tuple[str, ...]  # why funds were not all spent
    remarks: tuple[str, ...]  # a declaration's 备注


def unit_of(name: str) -> str:
    """The unit a vocabulary name's target is measured in, guessed from the name."""
    rules = (
        (("故障", "事故", "投诉", "隐患"), "次"),
        (("率", "满意度"), "%"),
        (("次数",), "次"),
        (("天数",), "天"),
        (("年限",), "年"),
        (("数量", "团组数"), "个"),
        (("工程量",), "平方米"),
    )
    for endings, unit in rules:
        if any(e in name for e in endings):
            return unit
    return "text"


def names_under(level2: str, part: str, pools: VariantPools) -> list[Named]:
    """The names a row under `level2` may print: this part's vocabulary names, then its invented ones."""
    vocab = [(n, unit_of(n)) for n in vocabulary_names(part).get(level2, [])]
    return vocab + list(pools.invented.get(level2, ()))


def pools_for(part: str) -> VariantPools:
    if part == "dev":
        from samples.variants.pools_dev import POOLS
    elif part == "sealed":
        from samples.variants.pools_sealed import POOLS
    else:
        raise ValueError(f"unknown part {part!r}: dev or sealed")
    return POOLS
