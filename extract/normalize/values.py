"""Normalise printed values: decimals keep their scale, dates become ISO.

Each parser returns (value, problem): `problem` is None when the text has the
shape its column must have, else a reason a person can act on.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from extract.normalize.text import fold

_NULLS = {"-", "—", "–", "--", "/", "无"}
_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR = re.compile(r"(\d{4})\s*年")
_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")


def parse_decimal(text: str | None) -> tuple[Decimal | None, str | None]:
    """'180,000.00' -> Decimal('180000.00'); '-' -> None; keeps the printed scale."""
    if text is None:
        return None, None
    folded = fold(text)
    if folded == "":
        return None, None
    if folded in _NULLS:
        return None, None
    if _GROUPED.match(folded):
        folded = folded.replace(",", "")
    elif "," in folded:
        return None, f"'{text}' has misplaced thousands separators; expected a number like 1,234.56"
    if not _DECIMAL.match(folded):
        return None, f"'{text}' is not a number; expected digits like 1234.56"
    try:
        return Decimal(folded), None
    except InvalidOperation:
        return None, f"'{text}' is not a number"


def parse_date(text: str | None) -> tuple[str | None, str | None]:
    """'2024-01-01', '2024/1/1', '2024年1月1日', '20240101' -> '2024-01-01'."""
    if not text:
        return None, None
    folded = fold(text)
    m = _DATE.match(folded) or _COMPACT_DATE.match(folded)
    if not m:
        return None, f"'{text}' is not a date; expected YYYY-MM-DD"
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat(), None
    except ValueError:
        return None, f"'{text}' is not a valid calendar date"


def parse_year(text: str | None) -> int | None:
    """The year of a '（2024年度）' line."""
    if not text:
        return None
    m = _YEAR.search(fold(text))
    if m and 1949 <= int(m[1]) <= 2100:
        return int(m[1])
    return None


def parse_unit(text: str | None) -> str | None:
    """'项目资金（万元）' -> '万元'."""
    if not text:
        return None
    m = _UNIT.search(text) or _UNIT.search(fold(text))
    return m[1] if m else None


# '产出指标(50分)', '产出指标50分', and with the 分 or the closing bracket lost (the cell's last
# line cut by a page break: '效益指标(40'): an opening bracket then a number ends the cell.
_LEVEL_WEIGHT = re.compile(r"^(.*?)\s*(?:[(（]?\s*(\d+(?:\.\d+)?)\s*分\s*[)）]?|[(（]\s*(\d+(?:\.\d+)?)\s*[)）]?)$")
TICKED = "☑✓√■☒▣●✔✅"
UNTICKED = "□☐○◯"


def parse_level(text: str | None) -> tuple[str | None, Decimal | None]:
    """A level-1 cell printed with its weight: '产出指标(50分)' -> ('产出指标', Decimal('50'))."""
    if not text:
        return None, None
    m = _LEVEL_WEIGHT.match(fold(text))
    if not m or not m[1]:
        return text, None
    return m[1], Decimal(m[2] or m[3])


def parse_choice(text: str | None, choices: list[str]) -> tuple[str | None, str | None]:
    """The ticked option of a check-box field: '新增□ 延续☑' -> '延续'.

    The box is printed before or after its option; exactly one must be ticked. With the
    spaces folded away a box sits between two options ('新增☑延续□'), so the side the
    boxes are printed on is the side most options have a box on.
    """
    if not text:
        return None, None
    folded = fold(text)
    boxes = TICKED + UNTICKED
    found = []  # (choice, the mark before it, the mark after it)
    for choice in choices:
        at = folded.find(choice) if choice else -1
        if at >= 0:
            found.append((choice, folded[max(0, at - 1) : at], folded[at + len(choice) : at + len(choice) + 1]))
    before = sum(1 for _, b, _ in found if b and b in boxes)
    after = sum(1 for _, _, a in found if a and a in boxes)
    ticked = [
        choice
        for choice, b, a in found
        if (after <= before and b and b in TICKED) or (before <= after and a and a in TICKED)
    ]
    if len(ticked) == 1:
        return ticked[0], None
    if not ticked:
        return None, f"'{text}': no option is ticked (expected one of {'/'.join(choices)})"
    return None, f"'{text}': more than one option is ticked ({'/'.join(ticked)})"


COMPARATORS = set("≥≤=<>＝≧≦") | {">=", "<="}


def compose_target(nature: str | None, value: str | None, unit: str | None) -> str | None:
    """A target printed over three columns as one: 指标性质 '=', 指标值 '100', 度量单位 '%' -> '=100%'.

    Only a comparator joins the target; a nature in words (定性, 定量) stays in its own field.
    """
    sign = nature.strip() if nature and nature.strip() in COMPARATORS else ""
    parts = [p.strip() for p in (sign, value, unit) if p and p.strip()]
    return "".join(parts) or None


_LONE_POINT = re.compile(r"(^|[^\d])\.\d|\d\.($|[^\d])")
_COLON_NUMBER = re.compile(r"\d[:;,]\d{2}\b")
_BARE_MEASURE = re.compile(r"^\d+(\.\d+)?(\(.+\)|%)$")  # 88.00(%) or 88%, no sign


STOPS = ("。", "，", "、", "；", ",", ";")


def text_end_problem(text: str | None) -> str | None:
    """A scanned text of several sentences whose last one has no full stop: a scan loses a stop
    at the end of a cell more often than a filer leaves one off, the others being there."""
    if not text or "。" not in text[:-1]:
        return None
    if fold(text).endswith(("。", "！", "？", "；", ".", "!", "?", ";", "）", ")", "”")):
        return None
    return "its sentences end with a full stop but the last one does not: check whether one was lost"


def target_shape_problem(text: str | None, is_target: bool = True) -> str | None:
    """Why a printed target or actual value looks misread, if it does.

    Targets read like '≥90.00(%)', '=1.00(次)', '100%及时' or plain text; a
    bare '>' is most often a misread '≥', and a point or bracket without its
    partner is a slip of the reader, not of the filer. A measured target
    ('=100.00(人次)') carries its sign; an actual value ('100.00(人次)') does not.
    """
    if not text:
        return None
    folded = fold(text)
    if _COLON_NUMBER.search(folded):
        return f"'{text}' has ':' or ',' where a decimal point is expected"
    if is_target and _BARE_MEASURE.match(folded):
        return f"target '{text}' has no sign (≥, =, ≤): check whether one was lost"
    if folded.startswith(STOPS):
        return f"'{text}' starts with '{folded[0]}': a speck may have been read as a stop"
    if folded.startswith((">", "<")):  # not `folded[:1] in "><"`: white space alone folds to ""
        return f"'{text}' starts with '{folded[0]}': forms print ≥ or ≤; check the sign"
    if _LONE_POINT.search(folded):
        return f"'{text}' has a decimal point without digits on both sides"
    if folded.count("(") != folded.count(")"):
        return f"'{text}' has an unmatched bracket"
    return None
