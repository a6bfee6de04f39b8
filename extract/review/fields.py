"""Field paths as a clerk sees them: a label, the value as text, a reason in plain words, the neighbours.

Pure functions of a record's JSON form (`Record.model_dump(mode="json")`):
nothing here touches the store or the web.
"""

from __future__ import annotations

import json
import re
import types
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from extract.ingest.columns import LABELS
from extract.ingest.fieldpaths import DATE_FIELDS, FieldPathError, annotation_of, get_value, parse_path
from models import FundsRow, Indicator

FUNDS_LINES = {
    "unit": "资金单位",
    "total": "资金总额",
    "current_year_appropriation": "当年财政拨款",
    "carryover": "上年结转",
    "other": "其他资金",
    "project_total": "项目资金总额",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
}
HEADER_FIELDS = (
    "project_name",
    "year",
    "department",
    "implementing_unit",
    "reporting_unit",
    "project_nature",
    "project_category",
    "project_attribute",
    "planned_start",
    "planned_end",
)
TOTAL_FIELDS = ("total_weight", "total_score", "grade", "funds.total.weight", "funds.total.score")
FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[\d{1,4}\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\d{1,4}\])?){0,3}")
FIELD_PATTERN = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(\[(\d{1,4}|\*)\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[(\d{1,4}|\*)\])?){0,3}"
)
_INDEX = re.compile(r"\[\d+\]")

_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^OCR read this cell with confidence (?P<c>[\d.]+); check it against the page$"),
        "The scan of this box is hard to read (the reader was {pct} sure). Compare the value with the page.",
    ),
    (
        re.compile(r"^its label was not found on the form$"),
        "The printed heading of this field was not found on the form, so nothing was read here. "
        "Type the value from the page, or press Enter if the form really leaves it out.",
    ),
    (
        re.compile(r"^its printed label only loosely matched \((?P<c>[\d.]+)\)$"),
        "The heading printed beside this value only roughly matches the expected one: "
        "check that the value belongs to this field.",
    ),
    (re.compile(r"^the cell is empty$"), "The box on the form is empty. Is it blank on the page too?"),
    (
        re.compile(r"^read as '(?P<a>.*)', mapped to '(?P<b>.*)' \([\d.]+\)$"),
        "The page reads “{a}”; it was taken to be the known indicator “{b}”. Is that the same indicator?",
    ),
    (
        re.compile(r"^read as '(?P<a>.*)', taken as framework entry '(?P<b>.*)'$"),
        "The page reads “{a}”; it was taken to be “{b}” from the indicator framework. Is that right?",
    ),
    (
        re.compile(r"^read as (?P<a>.*); (?P<b>.*) makes the form's sums hold, so it was taken instead"),
        "The scan read {a}, but {b} makes the form's totals add up, so {b} was used. Check it on the page.",
    ),
    (
        re.compile(r"^no indicator table \(三级指标 header\) was found$"),
        "No indicator table was found on this form. Press Enter if the form has none.",
    ),
    (
        re.compile(r"^QA sample"),
        "A random spot check of a value nobody flagged. Is it right? (This measures what the flags miss.)",
    ),
    (
        re.compile(r"^total (?P<k>score|weight) .* a value is misread, or a row is missing or doubled$"),
        "The {k}s on this form do not add up to the printed total. One of the numbers was probably "
        "misread: check this one against the page.",
    ),
)


def plain_reason(reason: str) -> str:
    """A review item's reason in words a clerk acts on; the reason itself where no plainer one is known."""
    for pattern, words in _PLAIN:
        hit = pattern.search(reason)
        if hit:
            found = hit.groupdict()
            pct = f"{float(found['c']) * 100:.0f} %" if found.get("c") else ""
            return words.format(pct=pct, **{k: v for k, v in found.items() if k != "c"})
    return reason[:1].upper() + reason[1:]


def label(path: str) -> str:
    """'indicators[3].target' -> '指标 4 · 年度指标值'; 'funds.total.executed' -> '资金总额 · 全年执行数'."""
    steps = path.split(".")
    head = steps[0]
    if head.startswith("indicators["):
        row = int(head[len("indicators[") : -1]) + 1
        column = steps[1] if len(steps) > 1 else ""
        return f"指标 {row}" + (f" · {LABELS.get(column, column)}" if column else "")
    if head == "funds" and len(steps) > 1:
        line = FUNDS_LINES.get(steps[1], steps[1])
        return line + (f" · {LABELS.get(steps[2], steps[2])}" if len(steps) > 2 else "")
    if path == "indicators":
        return "指标表"
    if path == "source.pages":
        return "页面"
    return LABELS.get(path, path)


def display(value: Any) -> str:
    """A field's JSON value as the text a reviewer reads and types: null is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return f"({len(value)} rows)"
    if isinstance(value, dict):
        return "(a group of fields)"
    return json.dumps(value, ensure_ascii=False)


def value_of(data: dict, path: str) -> Any:
    try:
        return get_value(data, path)
    except FieldPathError:
        return None


def is_group(data: dict, path: str) -> bool:
    """A list or a group of fields: it can be confirmed as a whole, not typed."""
    return isinstance(value_of(data, path), dict | list)


def _kinds(annotation: Any) -> set[Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        return {k for arg in get_args(annotation) for k in _kinds(arg)}
    return {annotation}


def is_decimal(data: dict, path: str, value: Any = None) -> bool:
    """Is the field a decimal (an amount, a weight, a score), not a group of fields? (`value`: when no `data`)"""
    try:
        kinds = _kinds(annotation_of(path))
    except FieldPathError:
        return False
    group = is_group(data, path) if data else isinstance(value, dict | list)
    return Decimal in kinds and not group


def kind_of(data: dict, path: str) -> str:
    """group, decimal, int, choice, date or text: how the value is typed (parse_input's rules)."""
    if is_group(data, path):
        return "group"
    try:
        kinds = _kinds(annotation_of(path))
    except FieldPathError:
        return "text"
    if Decimal in kinds:
        return "decimal"
    if int in kinds:
        return "int"
    if any(get_origin(k) is Literal for k in kinds):
        return "choice"
    return "date" if path.rsplit(".", 1)[-1] in DATE_FIELDS else "text"


def pattern_of(path: str) -> str:
    """'indicators[3].level2' -> 'indicators[*].level2': the field across every row (bulk confirm)."""
    return _INDEX.sub("[*]", path)


def valid_path(path: str) -> bool:
    """A field path as the store writes them, and nothing else (no traversal, no odd characters)."""
    if len(path) > 120 or not FIELD_PATH.fullmatch(path):
        return False
    try:
        parse_path(path)
    except FieldPathError:
        return False
    return True


def valid_pattern(pattern: str) -> bool:
    return len(pattern) <= 120 and FIELD_PATTERN.fullmatch(pattern) is not None


def _row_fields(prefix: str, model: type, data: dict, keep: tuple[str, ...]) -> list[str]:
    return [
        f"{prefix}.{name}"
        for name in model.model_fields
        if name in keep or value_of(data, f"{prefix}.{name}") not in (None, "")
    ]


def neighbours(data: dict, path: str) -> list[str]:
    """The fields beside `path` on the form: the rest of its indicator row or funds row, the header, the totals."""
    steps = path.split(".")
    if steps[0].startswith("indicators[") and isinstance(value_of(data, steps[0]), dict):
        keep = ("level1", "level2", "name", "target", "actual", "weight", "score")
        found = _row_fields(steps[0], Indicator, data, keep)
    elif steps[0] == "funds" and len(steps) == 3 and isinstance(value_of(data, ".".join(steps[:2])), dict):
        keep = ("initial_budget", "annual_budget", "executed", "execution_rate", "weight", "score")
        found = _row_fields(".".join(steps[:2]), FundsRow, data, keep)
    elif steps[0] == "funds":
        lines = data.get("funds") or {}
        found = []
        for line in FUNDS_LINES:
            value = lines.get(line)
            if isinstance(value, dict):
                found += [f"funds.{line}.{c}" for c in ("annual_budget", "executed") if value.get(c) is not None]
            elif value is not None or line in ("unit", "total"):
                found.append(f"funds.{line}")
    elif path in TOTAL_FIELDS:
        found = [p for p in TOTAL_FIELDS if value_of(data, p) is not None or "." not in p]
    elif path in HEADER_FIELDS or path in ("goal", "outcome"):
        found = [p for p in HEADER_FIELDS if p in data]
    elif path == "indicators":
        found = [f"indicators[{i}].name" for i in range(min(len(data.get("indicators") or []), 6))]
    else:
        found = []
    return [p for p in found if p != path and not p.endswith(".table")]
