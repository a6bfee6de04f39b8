"""Score records against gold records, field by field.

Values are compared after NFKC folding and white-space removal; decimals are
compared as decimals. Every contract field counts, so a test or a benchmark
built on this compares whole records, not a few fields.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extract.errors import GoldFileError
from extract.normalize.text import fold
from models import Record

# Fields that are outputs of review, not facts printed on the form.
NOT_SCORED = frozenset(
    {"review", "confidence", "schema_version", "provenance", "variant", "revision", "updated_at", "record_id"}
)

HEADER = frozenset(
    {
        "form_type",
        "year",
        "project_name",
        "department",
        "implementing_unit",
        "project_nature",
        "project_category",
        "planned_start",
        "planned_end",
    }
)
LONG_TEXT = frozenset({"goal", "outcome"})
TOTALS = frozenset({"total_weight", "total_score", "grade"})


def category(path: str) -> str:
    head = path.split(".")[0].split("[")[0]
    if head in HEADER:
        return "header"
    if head == "funds":
        return "funds"
    if head == "indicators":
        return "indicators"
    if head in LONG_TEXT:
        return "text"
    if head in TOTALS:
        return "totals"
    return "source"


def flatten(record: Record) -> dict[str, Any]:
    """Leaf field path -> JSON value, for every scored field."""
    data = json.loads(record.model_dump_json())
    data["source"] = {k: v for k, v in (data.get("source") or {}).items() if k not in ("file", "reads")}
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else key, sub)
        elif isinstance(value, list) and prefix != "source.pages":
            for i, sub in enumerate(value):
                walk(f"{prefix}[{i}]", sub)
        else:
            out[prefix] = value

    for key, value in data.items():
        if key not in NOT_SCORED:
            walk(key, value)
    return out


def values_equal(got: Any, want: Any) -> bool:
    if got is None or want is None:
        return got is None and want is None
    if isinstance(got, str) and isinstance(want, str):
        try:
            return Decimal(got) == Decimal(want) and _looks_decimal(want)
        except InvalidOperation:
            pass
        return fold(got) == fold(want)
    return got == want


def _looks_decimal(text: str) -> bool:
    return text.replace(".", "", 1).lstrip("-").isdigit()


@dataclass
class FieldResult:
    path: str
    got: Any
    want: Any
    right: bool
    flagged: bool


@dataclass
class FormScore:
    fields: list[FieldResult] = field(default_factory=list)

    @property
    def wrong(self) -> list[FieldResult]:
        return [f for f in self.fields if not f.right]


def _flagged(record: Record, path: str) -> bool:
    for item in record.review:
        if item.field == path or path.startswith(item.field + ".") or path.startswith(item.field + "["):
            return True
    return False


def score_form(got: Record | None, want: Record) -> FormScore:
    """Every gold field against the extracted one; a missing form gets all wrong."""
    want_flat = flatten(want)
    got_flat = flatten(got) if got is not None else {}
    paths = list(want_flat) + [p for p in got_flat if p not in want_flat]
    result = FormScore()
    for path in paths:
        g, w = got_flat.get(path), want_flat.get(path)
        right = got is not None and values_equal(g, w)
        flagged = got is not None and _flagged(got, path)
        result.fields.append(FieldResult(path, g, w, right, flagged))
    return result


def read_gold(path: Path) -> list[Record]:
    """Gold records in the contract's shape, one JSON object a line."""
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{path}: cannot read the gold file ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(Record.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise GoldFileError(
                f"{path}:{number}: not a record in the contract's shape: {where}: {first['msg']}"
            ) from exc
    return records


def pair_forms(got: list[Record], want: list[Record]) -> tuple[list[tuple[Record | None, Record]], list[Record]]:
    """Pair extracted forms with gold ones in document order (by pages, then title).

    Returns the pairs (missed gold forms pair with None) and the invented forms.
    """
    remaining = list(got)
    pairs: list[tuple[Record | None, Record]] = []
    for gold in want:
        best = None
        for cand in remaining:
            if cand.form_type == gold.form_type and (
                cand.source and gold.source and cand.source.pages[:1] == gold.source.pages[:1]
            ):
                best = cand
                break
        if best is None:
            best = next(
                (
                    c
                    for c in remaining
                    if c.form_type == gold.form_type and fold(c.project_name or "") == fold(gold.project_name or "")
                ),
                None,
            )
        if best is not None:
            remaining.remove(best)
        pairs.append((best, gold))
    return pairs, remaining


@dataclass
class Tally:
    """Field counts over many forms.

    `right_flagged` (noise) counts right fields flagged beyond the gold's own
    flags; the fields of a missed form count as wrong, and in `forms_missed`.
    """

    fields: int = 0
    right: int = 0
    wrong_flagged: int = 0
    wrong_silent: int = 0
    right_flagged: int = 0
    forms: int = 0
    forms_exact: int = 0
    forms_missed: int = 0
    forms_invented: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.fields if self.fields else 0.0

    @property
    def silent_rate(self) -> float:
        return self.wrong_silent / self.fields if self.fields else 0.0

    @property
    def noise_rate(self) -> float:
        return self.right_flagged / self.right if self.right else 0.0

    def add_form(self, got: Record | None, want: Record) -> FormScore:
        score = score_form(got, want)
        gold_flags = {item.field for item in want.review}
        self.forms += 1
        self.forms_missed += got is None
        self.forms_exact += got is not None and not score.wrong
        for f in score.fields:
            self.fields += 1
            if f.right:
                self.right += 1
                self.right_flagged += f.flagged and f.path not in gold_flags
            elif got is None:
                continue  # a missed form: counted wrong, and in forms_missed, not as silent
            elif f.flagged:
                self.wrong_flagged += 1
            else:
                self.wrong_silent += 1
                self.errors.append(f"{f.path}: got {f.got!r}, want {f.want!r}")
        return score


def gold_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name.rsplit(".", 1)[0] + ".gold.jsonl")


def evaluate(files: list[Path], extract: Callable[[Path], Any]) -> Tally:
    """Run `extract` (path -> FileResult) on labelled files and tally every field."""
    import time

    tally = Tally()
    for path in files:
        gold = read_gold(gold_path(path))
        start = time.perf_counter()
        result = extract(path)
        tally.seconds += time.perf_counter() - start
        tally.pages += result.pages
        pairs, invented = pair_forms(result.records, gold)
        tally.forms_invented += len(invented)
        for got, want in pairs:
            tally.add_form(got, want)
    return tally
