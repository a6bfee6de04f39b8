"""Build the validated record of one form, with a confidence for every field.

Confidence combines how sure the reader was of the text (OCR scores, 1.0 on a
clean text layer), how well the label or column header matched, whether the
value has the shape its field must have, how it mapped onto the vocabulary,
and whether it takes part in a broken rule. Fields under the threshold go to
`review` with the reason a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extract.datamodel.form import MISSING, Extracted, FormRegion, IndicatorTable
from extract.datamodel.page import ReadInfo
from extract.normalize.values import parse_date, parse_decimal, parse_year, target_shape_problem
from extract.normalize.vocabulary import Matcher, Vocabulary
from extract.record.ledger import Ledger
from extract.record.repair import repair_sums
from extract.record.validate import check_record
from extract.settings import ConfidenceSettings, ReviewSettings
from models import Funds, FundsRow, Indicator, PageRead, Provenance, Record, ReviewItem, Source

FUNDS_COLUMNS = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")
FUNDS_LINES = ("total", "current_year_appropriation", "carryover", "other")


def _page_read(page: int, info: ReadInfo) -> PageRead:
    return PageRead(
        page=page,
        source=info.source,
        engine=info.engine,
        dpi=info.dpi,
        skew_degrees=info.skew_degrees,
        steps=list(info.steps),
    )


@dataclass
class FormBuilder:
    region: FormRegion
    fields: dict[str, Extracted]
    table: IndicatorTable
    vocab: Vocabulary
    settings: ReviewSettings
    penalties: ConfidenceSettings
    reads: dict[int, ReadInfo]  # page -> how it was read
    ledger: Ledger = field(init=False)
    ocr_pages: set[int] = field(init=False)

    def __post_init__(self) -> None:
        self.ledger = Ledger(self.penalties)
        self.ocr_pages = {page for page, read in self.reads.items() if read.source == "ocr"}

    def get(self, path: str) -> Extracted:
        return self.fields.get(path, MISSING)

    def text(self, path: str, required: bool = True) -> str | None:
        value = self.get(path)
        self.ledger.seen(path, value, required)
        return value.text

    def decimal(self, path: str, value: Extracted, required: bool = True) -> Decimal | None:
        self.ledger.seen(path, value, required)
        number, problem = parse_decimal(value.text)
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)
        return number

    def date(self, path: str) -> str | None:
        iso, problem = parse_date(self.text(path))
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)
        return iso

    def shaped_text(self, path: str, value: Extracted) -> str | None:
        """A target or actual value; on OCR pages its shape is checked too."""
        self.ledger.seen(path, value)
        is_target = path.endswith(".target")
        problem = target_shape_problem(value.text, is_target) if value.page in self.ocr_pages else None
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)
        return value.text

    def fuzzy_allowed(self, value: Extracted) -> bool:
        return value.page in self.ocr_pages

    # --- parts of the record -------------------------------------------------

    def funds(self) -> Funds:
        unit = self.text("funds.unit")
        if self.region.form_type == "target_declaration":
            amounts = {line: self.decimal(f"funds.{line}", self.get(f"funds.{line}")) for line in FUNDS_LINES}
            return Funds(unit=unit, **amounts)
        rows = {}
        for line in FUNDS_LINES:
            values = {}
            for col in FUNDS_COLUMNS:
                path = f"funds.{line}.{col}"
                # Sub-lines print '-' for weight and score: null is expected there.
                optional = line != "total" and col in ("weight", "score")
                values[col] = self.decimal(path, self.get(path), required=not optional)
            rows[line] = FundsRow(**values)
        return Funds(unit=unit, **rows)

    def _level(self, path: str, value: Extracted, matcher: Matcher) -> str | None:
        self.ledger.seen(path, value)
        if value.text is None:
            return None
        hit = matcher.match(value.text, self.settings.fuzzy_min_score, self.fuzzy_allowed(value))
        if hit.kind == "fuzzy" and hit.entry is not None:
            self.ledger.note(
                path,
                min(hit.score, self.penalties.fuzzy_cap),
                f"read as '{value.text}', taken as framework entry '{hit.entry}'",
            )
            return hit.entry
        return value.text

    def indicator(self, i: int, values: dict[str, Extracted]) -> Indicator:
        p = f"indicators[{i}]"
        self_eval = self.region.form_type == "self_evaluation"
        get = lambda name: values.get(name, MISSING)  # noqa: E731
        level1 = self._level(f"{p}.level1", get("level1"), self.vocab.level1)
        level2 = self._level(f"{p}.level2", get("level2"), self.vocab.level2)
        raw_value = get("name_raw")
        self.ledger.seen(f"{p}.name_raw", raw_value)
        name_raw = raw_value.text
        name = self._indicator_name(f"{p}.name", raw_value)
        indicator = Indicator(
            level1=level1,
            level2=level2,
            name_raw=name_raw,
            name=name,
            target=self.shaped_text(f"{p}.target", get("target")),
        )
        if self_eval:
            indicator.actual = self.shaped_text(f"{p}.actual", get("actual"))
            indicator.weight = self.decimal(f"{p}.weight", get("weight"))
            indicator.score = self.decimal(f"{p}.score", get("score"))
        note = get("note")
        self.ledger.seen(f"{p}.note", note, required=False)
        indicator.note = note.text
        return indicator

    def _indicator_name(self, path: str, raw: Extracted) -> str | None:
        if raw.text is None:
            return None
        # An exact or alias match is the vocabulary's own spelling: as sure as
        # the vocabulary; doubts about the printed text stay on name_raw.
        self.ledger.note(path, 1.0)
        self.ledger.place(path, raw.page, raw.box)
        hit = self.vocab.indicators.match(raw.text, self.settings.fuzzy_min_score, self.fuzzy_allowed(raw))
        if hit.entry is None:
            near = f"; nearest entry '{hit.nearest}' ({hit.score:.2f})" if hit.nearest and hit.score >= 0.6 else ""
            self.ledger.note(
                path, self.penalties.unmapped, f"indicator name not in the vocabulary{near}; kept as printed"
            )
            return raw.text
        if hit.kind == "fuzzy":
            self.ledger.note(
                path,
                min(hit.score, self.penalties.fuzzy_cap),
                f"read as '{raw.text}', mapped to '{hit.entry}' ({hit.score:.2f})",
            )
        return hit.entry

    def record(self, file: str, sha256: str) -> Record:
        region = self.region
        self_eval = region.form_type == "self_evaluation"
        year_line = region.year_line or region.title
        year = parse_year(year_line.text) or parse_year(region.title.text)
        self.ledger.note("form_type", region.title.confidence)
        self.ledger.place("form_type", region.title.page, region.title.box)
        self.ledger.note(
            "year", year_line.confidence if year else 0.0, None if year else "the year line （YYYY年度） was not found"
        )
        if year:
            self.ledger.place("year", year_line.page, year_line.box)
        rec = Record(
            form_type=region.form_type,
            year=year,
            project_name=self.text("project_name"),
            department=self.text("department"),
            implementing_unit=self.text("implementing_unit"),
            funds=self.funds(),
            goal=self.text("goal"),
            indicators=[self.indicator(i, row.values) for i, row in enumerate(self.table.rows)],
            source=Source(
                file=file,
                sha256=sha256,
                pages=region.pages,
                reads=[_page_read(p, self.reads[p]) for p in region.pages if p in self.reads],
            ),
        )
        if not rec.indicators:
            self.ledger.note("indicators", 0.0, "no indicator table (三级指标 header) was found")
        if self_eval:
            rec.outcome = self.text("outcome")
            rec.total_weight = self.decimal("total_weight", self.table.totals.get("total_weight", MISSING))
            rec.total_score = self.decimal("total_score", self.table.totals.get("total_score", MISSING))
            rec.grade = self.text("grade")
        else:
            rec.project_nature = self.text("project_nature")
            rec.project_category = self.text("project_category")
            rec.planned_start = self.date("planned_start")
            rec.planned_end = self.date("planned_end")
        if self.ocr_pages:
            # A scan may misread a digit; a text layer says what the filer wrote.
            for fix in repair_sums(rec, self.ledger.confidence, self.vocab.framework):
                self.ledger.note(
                    fix.field,
                    self.penalties.repaired,
                    f"read as {fix.read}; {fix.corrected} makes the form's sums hold, "
                    "so it was taken instead: confirm against the page",
                )
        for breach in check_record(rec, self.vocab.framework):
            for path in breach.fields:
                self.ledger.note(path, self.penalties.broken_rule, breach.reason)
        rec.confidence = dict(self.ledger.confidence)
        rec.provenance = {
            path: Provenance(page=page, box=box.as_list()) for path, (page, box) in self.ledger.places.items()
        }
        rec.review = [
            self._review_item(path, conf)
            for path, conf in self.ledger.confidence.items()
            if conf < self.settings.flag_below
        ]
        return rec

    def _review_item(self, path: str, confidence: float) -> ReviewItem:
        place = self.ledger.place_of(path)
        return ReviewItem(
            field=path,
            reason="; ".join(self.ledger.reasons.get(path) or ["low confidence"]),
            confidence=confidence,
            page=place[0] if place else None,
            box=place[1].as_list() if place else None,
        )
