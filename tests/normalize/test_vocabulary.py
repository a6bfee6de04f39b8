"""Thresholds of the vocabulary matcher, set on names it has never seen.

Unseen names must stay unmapped; OCR-sized slips of known names must map.
The unseen list here is disjoint from the sample generator's pool.
"""

from __future__ import annotations

import random

import pytest

from extract.normalize.vocabulary import Vocabulary
from extract.settings import ReviewSettings
from models.vocabulary import load

UNSEEN = [
    "培训覆盖人数",
    "设备故障修复及时率",
    "课题成果采纳数",
    "公共服务覆盖率",
    "会议组织场次",
    "档案查阅服务人次",
    "项目验收合格率",
    "人员到岗率",
    "办公设备配置率",
    "用车安全事故次数",
    "群众投诉办结率",
    "人员培训完成率",
    "资金使用合规率",
    "任务按期完成率",
    "数据报送准确率",
    "服务对象满意度",
    "宣传报道数量",
    "合同履约率",
    "固定资产利用率",
    "应急演练次数",
    "对外交流活动次数",
    "接待服务满意度",
    "信息公开率",
    "政策知晓率",
    "工作任务完成率",
    "长效管理机制完善程度",
    "人员配置到位情况",
    "资产使用年限",
    "服务保障时长",
    "差旅费控制率",
]


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


def _entries() -> list[str]:
    return [e["name"] for e in load("indicators")["indicators"]]


def test_seed_typo_maps_through_its_alias(vocab):
    hit = vocab.indicators.match("服务对象投诉或批评次数次数", 0.84, allow_fuzzy=False)
    assert hit.entry == "服务对象投诉或批评次数" and hit.kind == "alias"


@pytest.mark.parametrize("name", UNSEEN)
def test_unseen_names_stay_unmapped_even_on_ocr_pages(vocab, name):
    assert name not in _entries()
    hit = vocab.indicators.match(name, ReviewSettings().fuzzy_min_score, allow_fuzzy=True)
    assert hit.entry is None, f"{name} was forced onto {hit.entry} ({hit.score:.2f})"


def _slips(rng: random.Random, name: str) -> list[str]:
    """OCR-sized slips: a confusable swap, a dropped character, a doubled one."""
    out = []
    i = rng.randrange(len(name))
    out.append(name[:i] + name[i + 1 :])
    j = rng.randrange(len(name))
    out.append(name[:j] + name[j] + name[j:])
    for k, ch in enumerate(name):
        swap = {"率": "卒", "效": "放", "人": "入", "未": "末", "己": "已", "标": "栎", "绩": "续"}.get(ch)
        if swap:
            out.append(name[:k] + swap + name[k + 1 :])
            break
    return [s for s in out if len(s) >= 4]


def test_ocr_slips_of_known_names_map_back(vocab):
    rng = random.Random(5)
    tried = mapped = 0
    for name in _entries():
        for slip in _slips(rng, name):
            hit = vocab.indicators.match(slip, ReviewSettings().fuzzy_min_score, allow_fuzzy=True)
            tried += 1
            if hit.entry == name:
                mapped += 1
            else:
                # A slip that is not mapped must be left alone, never mapped elsewhere.
                assert hit.entry is None or hit.entry == slip, (slip, hit)
    assert tried > 100
    assert mapped / tried >= 0.85, f"{mapped}/{tried}"


def test_text_layer_never_maps_fuzzily(vocab):
    hit = vocab.indicators.match("服务办事处人员覆盖卒", 0.84, allow_fuzzy=False)
    assert hit.entry is None and hit.nearest == "服务办事处人员覆盖率"
