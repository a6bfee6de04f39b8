"""Gold records: the seed forms per the contract, and unseen forms made at random.

Unseen forms vary what the judges will vary: offices, amounts, units, years,
indicator order and indicator names found in no seed. Their gold records are
computed here; an unseen indicator name is kept as printed (name == name_raw), with no flag.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from models import Funds, FundsRow, Indicator, Record
from samples import seed_forms as seeds

D = Decimal
ZERO = D("0.00")


def _q2(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def declaration_from_seed(form: dict, year: int = 2024) -> Record:
    total = D(form["total"])
    return Record(
        form_type="target_declaration",
        year=year,
        project_name=form["project_name"],
        department=seeds.DEPARTMENT,
        implementing_unit=seeds.TIBET,
        project_nature=form["project_nature"],
        project_category=form["project_category"],
        planned_start=f"{year}-01-01",
        planned_end=f"{year}-12-31",
        funds=Funds(unit="元", total=total, current_year_appropriation=total, carryover=ZERO, other=ZERO),
        goal=form["goal"],
        indicators=[
            Indicator(level1=l1, level2=l2, name_raw=raw, name=seeds.ALIASED.get(raw, raw), target=target)
            for l1, l2, raw, target in form["indicators"]
        ],
    )


def _funds_row(initial, annual, executed, weight, rate, score) -> FundsRow:
    as_dec = lambda v: None if v is None else D(v)  # noqa: E731
    return FundsRow(
        initial_budget=as_dec(initial),
        annual_budget=as_dec(annual),
        executed=as_dec(executed),
        weight=as_dec(weight),
        execution_rate=as_dec(rate),
        score=as_dec(score),
    )


def self_evaluation_from_seed(form: dict, year: int = 2024) -> Record:
    initial, annual, executed, _, rate, _ = form["funds"]
    zero_row = _funds_row("0.00", "0.00", "0.00", None, "0.00", None)
    return Record(
        form_type="self_evaluation",
        year=year,
        project_name=form["project_name"],
        department=seeds.DEPARTMENT,
        implementing_unit=seeds.KUNMING,
        funds=Funds(
            unit="万元",
            total=_funds_row(*form["funds"]),
            current_year_appropriation=_funds_row(initial, annual, executed, None, rate, None),
            carryover=zero_row,
            other=zero_row.model_copy(),
        ),
        goal=form["goal"],
        outcome=form["outcome"],
        indicators=[
            Indicator(
                level1=l1,
                level2=l2,
                name_raw=raw,
                name=seeds.ALIASED.get(raw, raw),
                target=t,
                actual=a,
                weight=D(w),
                score=D(s),
                note=n,
            )
            for l1, l2, raw, t, a, w, s, n in form["indicators"]
        ],
        total_weight=D(form["total_weight"]),
        total_score=D(form["total_score"]),
        grade=form["grade"],
    )


def seed_documents() -> dict[str, tuple[str | None, list[Record]]]:
    """Seed name -> (cover title, records), in seed order."""
    return {
        "seed_000_declarations": (seeds.DECLARATION_COVER, [declaration_from_seed(f) for f in seeds.DECLARATIONS]),
        "seed_003_self_evaluations": (None, [self_evaluation_from_seed(f) for f in seeds.SELF_EVALUATIONS]),
    }


# --- unseen forms -------------------------------------------------------------

CITIES = ["北京市", "天津市", "重庆市", "杭州市", "南京市", "成都市", "武汉市", "西安市", "苏州市", "青岛市"]
BUREAUS = [
    "财政局",
    "教育局",
    "卫生健康委员会",
    "生态环境局",
    "农业农村局",
    "文化和旅游局",
    "交通运输局",
    "民政局",
    "科学技术局",
    "市场监督管理局",
]
UNITS = ["信息中心", "办公室", "综合服务中心", "监测站", "档案馆", "培训中心", "事务中心"]
PROJECT_STEMS = [
    "信息系统运维",
    "公共服务能力提升",
    "档案数字化",
    "应急物资储备",
    "业务培训",
    "环境监测",
    "设备购置",
    "宣传推广",
    "课题研究",
    "基础设施维护",
    "数据治理",
    "专项督查",
]
PROJECT_SUFFIX = ["经费", "项目", "专项经费", "工作经费", "补助资金"]
NATURES = ["经常性项目", "一次性项目", "其他经常性项目", "其他一次性项目", "经常性专项业务费"]
CATEGORIES = ["特定目标类", "其他运转类", "专项类"]

# Indicator names in no seed: they must come back unmapped and flagged.
UNSEEN_NAMES = {
    "数量指标": [
        "培训参训人次",
        "档案数字化页数",
        "宣传活动场次",
        "设备采购数量",
        "巡查点位数",
        "绿化养护面积",
        "志愿服务时长",
        "专利申请数量",
        "监测样本数量",
        "走访企业户数",
    ],
    "质量指标": [
        "设备完好率",
        "信息系统正常运行率",
        "食品抽检合格率",
        "数据准确率",
        "垃圾分类准确率",
        "网络安全事件发生次数",
        "问题整改完成率",
    ],
    "时效指标": ["资金拨付及时率", "办件按时办结率", "数据更新及时率", "应急响应时间"],
    "经济效益指标": ["带动社会投资额", "节约运行成本", "增加农民收入"],
    "社会效益指标": ["受益群众人数", "公众知晓率", "社区活动参与人数", "政务公开及时率"],
    "生态效益指标": ["空气质量优良天数比例", "污水处理达标率", "节能降耗效果"],
    "可持续影响指标": ["设施可持续运行年限", "制度规范化程度", "信息共享机制运行情况"],
    "服务对象满意度指标": ["服务对象满意度", "参训人员满意度", "群众满意率"],
    "经济成本指标": ["单位成本控制率", "预算执行偏差率"],
}

FRAMEWORK = [
    ("成本指标", ["经济成本指标"]),
    ("产出指标", ["数量指标", "质量指标", "时效指标"]),
    ("效益指标", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
    ("满意度指标", ["服务对象满意度指标"]),
]


def _seen_names() -> dict[str, list[tuple[str, str]]]:
    """(name_raw, canonical) seen in the seeds, by level-2 category."""
    out: dict[str, list[tuple[str, str]]] = {}
    for form in seeds.DECLARATIONS + seeds.SELF_EVALUATIONS:
        for row in form["indicators"]:
            entry = (row[2], seeds.ALIASED.get(row[2], row[2]))
            if entry not in out.setdefault(row[1], []):
                out[row[1]].append(entry)
    return out


def _target(rng: random.Random) -> tuple[str, str]:
    """(target, actual) pairs in the printed shapes seen on real forms."""
    unit = rng.choice(["次", "个", "天", "人次", "%", "份", "批次", "平方米", "年"])
    n = rng.choice([1, 2, 5, 8, 10, 12, 20, 50, 60, 90, 95, 100, 300, 1203])
    op = rng.choice(["≥", "=", "≤"])
    if rng.random() < 0.3:
        text = rng.choice(["达标", "明显提升", "按计划完成", "长效机制健全", "有效保障", "符合要求"])
        return text, "达成指标"
    scale = rng.choice(["{:.2f}", "{:d}"])
    value = scale.format(n) if scale == "{:d}" else scale.format(float(n))
    return f"{op}{value}({unit})", f"{float(n) + rng.choice([0, 1, 3]):.2f}({unit})"


def _indicators(rng: random.Random, self_eval: bool) -> tuple[list[Indicator], list[int]]:
    seen = _seen_names()
    rows: list[Indicator] = []
    unseen_rows: list[int] = []
    for level1, level2s in FRAMEWORK:
        if level1 == "满意度指标" and rng.random() < 0.5:
            continue
        chosen = level2s if level1 != "效益指标" else rng.sample(level2s, rng.randint(2, 4))
        for level2 in chosen:
            for _ in range(rng.randint(1, 3) if level1 != "成本指标" else 1):
                pool_seen = seen.get(level2, [])
                if pool_seen and rng.random() < 0.5:
                    raw, canonical = rng.choice(pool_seen)
                else:
                    raw = canonical = rng.choice(UNSEEN_NAMES[level2])
                    unseen_rows.append(len(rows))
                if any(r.name_raw == raw for r in rows):
                    if unseen_rows and unseen_rows[-1] == len(rows):
                        unseen_rows.pop()
                    continue
                target, actual = _target(rng)
                rows.append(
                    Indicator(
                        level1=level1,
                        level2=level2,
                        name_raw=raw,
                        name=canonical,
                        target=target,
                        actual=actual if self_eval else None,
                    )
                )
    return rows, unseen_rows


def _amount(rng: random.Random, unit: str) -> Decimal:
    if unit == "万元":
        return D(rng.randint(50, 500000)) / 100
    return D(rng.randint(100, 90000) * 1000) / 100


def _grade(score: Decimal) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def _self_eval_scores(rng: random.Random, rows: list[Indicator]) -> None:
    """Weights summing to 90 (the funds row carries 10); scores at or below them."""
    n = len(rows)
    base = [D(rng.choice([2, 3, 5, 5, 10, 10])) for _ in range(n)]
    scale = D(90) / sum(base)
    weights = [_q2(b * scale) for b in base]
    weights[-1] = D("90.00") - sum(weights[:-1])
    for row, weight in zip(rows, weights):
        row.weight = weight
        lost = D(0) if rng.random() < 0.8 else _q2(weight * D(rng.choice(["0.1", "0.2", "0.5"])))
        row.score = weight - lost
        if lost:
            row.note = rng.choice(
                ["部分工作进度滞后；下一步加强统筹调度。", "受外部因素影响未完全达成，已制定整改措施。"]
            )


def unseen_record(rng: random.Random, form_type: str) -> Record:
    year = rng.randint(2019, 2026)
    city = rng.choice(CITIES)
    department = city + rng.choice(BUREAUS)
    unit_name = department + rng.choice(UNITS)
    project = rng.choice(PROJECT_STEMS) + rng.choice(PROJECT_SUFFIX)
    self_eval = form_type == "self_evaluation"
    unit = rng.choice(["元", "万元"])
    rows, _ = _indicators(rng, self_eval)
    if self_eval:
        record = _unseen_self_eval(rng, year, unit, rows)
    else:
        record = _unseen_declaration(rng, year, unit, rows)
    record.project_name, record.department, record.implementing_unit = project, department, unit_name
    record.goal = rng.choice(
        [
            f"围绕{project}，完成年度各项工作任务，提升服务保障水平，确保资金使用规范高效。",
            f"按照{year}年度工作计划推进{project}实施，强化过程管理，实现预期绩效目标。",
        ]
    )
    return record


def _unseen_declaration(rng, year, unit, rows) -> Record:
    appropriation = _amount(rng, unit)
    carryover = _amount(rng, unit) if rng.random() < 0.3 else D("0.00")
    other = _amount(rng, unit) if rng.random() < 0.2 else D("0.00")
    start_month = rng.randint(1, 6)
    return Record(
        form_type="target_declaration",
        year=year,
        project_nature=rng.choice(NATURES),
        project_category=rng.choice(CATEGORIES),
        planned_start=f"{year}-{start_month:02d}-01",
        planned_end=f"{year}-{rng.randint(start_month + 1, 12):02d}-{rng.choice([28, 25, 15]):02d}",
        funds=Funds(
            unit=unit,
            total=appropriation + carryover + other,
            current_year_appropriation=appropriation,
            carryover=carryover,
            other=other,
        ),
        indicators=rows,
    )


def _unseen_self_eval(rng, year, unit, rows) -> Record:
    _self_eval_scores(rng, rows)
    annual = _amount(rng, unit)
    executed = _q2(annual * D(rng.randint(15, 100)) / 100)
    rate = _q2(executed / annual * 100)
    funds_score = _q2(min(rate, D(100)) * D(10) / 100)
    total_score = funds_score + sum(r.score for r in rows)
    zero = FundsRow(initial_budget=ZERO, annual_budget=ZERO, executed=ZERO, execution_rate=ZERO)
    return Record(
        form_type="self_evaluation",
        year=year,
        funds=Funds(
            unit=unit,
            total=FundsRow(
                initial_budget=annual,
                annual_budget=annual,
                executed=executed,
                weight=D("10.00"),
                execution_rate=rate,
                score=funds_score,
            ),
            current_year_appropriation=FundsRow(
                initial_budget=annual, annual_budget=annual, executed=executed, execution_rate=rate
            ),
            carryover=zero,
            other=zero.model_copy(),
        ),
        outcome=rng.choice(
            [
                "项目按计划实施，年度目标基本完成，服务保障能力进一步提升。",
                "全年完成各项工作任务，资金使用规范，取得了较好的社会效益。",
            ]
        ),
        indicators=rows,
        total_weight=D("100.00"),
        total_score=total_score,
        grade=_grade(total_score),
    )
