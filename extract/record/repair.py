"""Use the contract's sums to catch, and where unambiguous prefer, a misread digit.

When a sum breaks and exactly one of its fields is the least sure reading,
the value that makes the sum hold is preferred if it differs from what was
read by at most two digits, and every rule still holds afterwards. The field
stays flagged either way: a person confirms the correction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz.distance import Levenshtein

from extract.record.validate import PARTS, check_record
from models import FundsRow, Record
from models.forms import Rules

MAX_DIGIT_EDITS = 2


@dataclass(frozen=True)
class Repair:
    field: str
    read: Decimal
    corrected: Decimal


@dataclass(frozen=True)
class _Term:
    path: str
    get: Callable[[Record], Decimal | None]
    put: Callable[[Record, Decimal], None]


def _attr(path: str, obj_of: Callable[[Record], object], name: str) -> _Term:
    return _Term(path, lambda r: getattr(obj_of(r), name, None), lambda r, v: setattr(obj_of(r), name, v))


def _sum_rules(rec: Record) -> list[tuple[_Term, list[_Term]]]:
    """(total, parts) for every sum the contract states for this record."""
    if rec.form_type == "target_declaration":
        funds = lambda r: r.funds  # noqa: E731
        return [
            (
                _attr("funds.total", funds, "total"),
                [_attr(f"funds.{n}", funds, n) for n in PARTS if isinstance(getattr(rec.funds, n), Decimal)],
            )
        ]
    if not isinstance(rec.funds.total, FundsRow):
        return []
    total_row = lambda r: r.funds.total  # noqa: E731
    rules = []
    for key, funds_key, indicator_key in (("total_weight", "weight", "weight"), ("total_score", "score", "score")):
        parts = [_attr(f"funds.total.{funds_key}", total_row, funds_key)]
        for i in range(len(rec.indicators)):
            parts.append(_attr(f"indicators[{i}].{indicator_key}", lambda r, i=i: r.indicators[i], indicator_key))
        rules.append((_attr(key, lambda r: r, key), parts))
    return rules


def _close_reading(read: Decimal, candidate: Decimal) -> bool:
    if candidate < 0 or candidate.as_tuple().exponent != read.as_tuple().exponent:
        return False
    return Levenshtein.distance(str(read), str(candidate)) <= MAX_DIGIT_EDITS


def repair_sums(
    rec: Record, confidence: dict[str, float], framework: dict[str, list[str]], rules: Rules | None = None
) -> list[Repair]:
    """Correct `rec` in place where one reading alone breaks a sum; return what changed."""
    repairs = []
    for total, parts in _sum_rules(rec):
        terms = [total, *parts]
        values = [t.get(rec) for t in terms]
        if any(v is None for v in values):
            continue
        if abs(values[0] - sum(values[1:], Decimal(0))) <= Decimal("0.005"):
            continue
        ranked = sorted(terms, key=lambda t: confidence.get(t.path, 1.0))
        weakest = ranked[0]
        if confidence.get(weakest.path, 1.0) >= 1.0 or (
            len(ranked) > 1 and confidence.get(ranked[1].path, 1.0) <= confidence.get(weakest.path, 1.0)
        ):
            continue  # no single least-sure reading to blame
        read = weakest.get(rec)
        others = sum((t.get(rec) for t in parts if t is not weakest), Decimal(0))
        candidate = others if weakest is total else values[0] - others
        if not _close_reading(read, candidate):
            continue
        before = len(check_record(rec, framework, rules))
        weakest.put(rec, candidate)
        if len(check_record(rec, framework, rules)) >= before:
            weakest.put(rec, read)  # the correction did not make the record consistent
            continue
        repairs.append(Repair(weakest.path, read, candidate))
    return repairs
