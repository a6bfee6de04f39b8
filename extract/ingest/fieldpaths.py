"""Field paths of the contract (`funds.total.executed`, `indicators[3].target`): read, set, parse by type.

Values are handled in the record's JSON form (decimals as strings, as the
contract writes them), so a value compares and stores exactly as exported.
"""

from __future__ import annotations

import json
import re
import types
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from extract.normalize.values import parse_date, parse_decimal
from models import Record

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
DATE_FIELDS = {"planned_start", "planned_end"}  # ISO dates, typed str in the contract
MAX_DECIMAL_PLACES = 8  # the exports' decimal type (Parquet decimal128(38, 8)) holds no more


class FieldPathError(ValueError):
    """The path names no field of the record, or not a value a reviewer can set."""


Step = str | int


def parse_path(path: str) -> list[Step]:
    """'indicators[3].target' -> ['indicators', 3, 'target']."""
    steps: list[Step] = []
    for part in path.split("."):
        matches = list(_STEP.finditer(part))
        if not part or "".join(m[0] for m in matches) != part or matches[0][1] is None:
            raise FieldPathError(f"'{path}' is not a field path (e.g. funds.total.executed, indicators[3].target)")
        steps += [m[1] if m[1] else int(m[2]) for m in matches]
    return steps


def get_value(data: dict, path: str) -> Any:
    """The value at `path` in a record's JSON form; FieldPathError where the record has no such place."""
    node: Any = data
    for step in parse_path(path):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise FieldPathError(f"{path}: the record has no row {step} there")
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                raise FieldPathError(f"{path}: the record has no field '{step}' there")
            node = node[step]
    return node


def set_value(data: dict, path: str, value: Any) -> None:
    steps = parse_path(path)
    parent = get_value(data, _join(steps[:-1])) if len(steps) > 1 else data
    last = steps[-1]
    if isinstance(last, int):
        if not isinstance(parent, list) or last >= len(parent):
            raise FieldPathError(f"{path}: the record has no row {last} there")
    elif not isinstance(parent, dict) or last not in parent:
        raise FieldPathError(f"{path}: the record has no field '{last}' there")
    parent[last] = value


def _join(steps: list[Step]) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _members(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def annotation_of(path: str) -> Any:
    """The contract's type of the field at `path`, from the pydantic models."""
    annotation: Any = Record
    for step in parse_path(path):
        members = _members(annotation)
        if isinstance(step, int):
            lists = [m for m in members if get_origin(m) is list]
            if not lists:
                raise FieldPathError(f"{path}: [{step}] indexes a field that is not a list")
            annotation = get_args(lists[0])[0]
            continue
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if not models or step not in models[0].model_fields:
            raise FieldPathError(f"{path}: the contract has no field '{step}' there")
        annotation = models[0].model_fields[step].annotation
    return annotation


def parse_input(path: str, text: str | None, current: Any) -> Any:
    """A reviewer's text as the JSON value of the field at `path`, by the field's type.

    Decimals and dates go through the pipeline's own parsers (`1,234.50` ->
    "1234.50", `2024年1月1日` -> "2024-01-01"); empty text is null.
    """
    if isinstance(current, dict | list):
        raise FieldPathError(f"{path} is a group of fields: correct one of them (e.g. {path}.executed)")
    members = _members(annotation_of(path))
    if text is None or not text.strip():
        return None
    raw = text.strip()
    leaf = path.rsplit(".", 1)[-1]
    if Decimal in members:
        value, problem = parse_decimal(raw)
        if problem:
            raise FieldPathError(f"{path}: {problem}")
        if value is not None and -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
            raise FieldPathError(f"{path}: '{raw}' has more than {MAX_DECIMAL_PLACES} decimal places")
        return None if value is None else str(value)
    if int in members:
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise FieldPathError(f"{path}: '{raw}' is not a whole number")
        return int(raw)
    choices = [c for m in members if get_origin(m) is Literal for c in get_args(m)]
    if choices:
        if raw not in choices:
            raise FieldPathError(f"{path}: '{raw}' is not one of {', '.join(map(str, choices))}")
        return raw
    if leaf in DATE_FIELDS:
        value, problem = parse_date(raw)
        if problem:
            raise FieldPathError(f"{path}: {problem}")
        return value
    if str in members:
        return raw
    raise FieldPathError(f"{path} is not a value a reviewer can set")


def as_json(value: Any) -> str:
    """A value as JSON text, the form `ReviewItem.extracted` and the audit trail keep."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
