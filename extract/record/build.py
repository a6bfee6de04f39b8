"""Build the validated record of one form, as its definition says, with a confidence for every field.

Confidence combines how sure the reader was of the text (OCR scores, 1.0 on a
clean text layer), how well the label or column header matched, whether the
value has the shape its field must have, how it mapped onto the vocabulary,
and whether it takes part in a broken rule. Fields under the threshold go to
`review` with the reason a person can act on. What the definition says may be
blank, or may not be printed at all, is null without a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract.datamodel.form import MISSING, Extracted, FormRegion, IndicatorRow, IndicatorTable
from extract.datamodel.page import ReadInfo
from extract.forms.library import FormSpec
from extract.normalize.text import fold
from extract.normalize.values import (
    COMPARATORS,
    compose_target,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_level,
    parse_year,
    target_shape_problem,
    text_end_problem,
)
from extract.normalize.vocabulary import Matcher, Vocabulary
from extract.record.calibrate import Calibration, field_family
from extract.record.ledger import Ledger
from extract.record.repair import repair_sums
from extract.record.validate import check_record
from extract.settings import ConfidenceSettings, ReviewSettings
from models import Funds, FundsRow, Indicator, PageRead, Provenance, Record, ReviewItem, Source

DATE_FIELDS = ("planned_start", "planned_end")
# Names of bodies: a date in one is a stamp's or signature's date read into its cell.
NAME_FIELDS = ("department", "implementing_unit", "reporting_unit")
SENTENCE_FIELDS = ("goal", "outcome", "long_term_goal", "conclusion", "problems", "measures")  # prose, in sentences
_DATE_IN_NAME = re.compile(r"\d{4}年\d{1,2}月(\d{1,2}日)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
TEXT_COLUMNS = ("reason",)  # funds columns holding words, not amounts
INDICATOR_TEXT = ("target", "actual")


def _page_read(page: int, info: ReadInfo) -> PageRead:
    return PageRead(
        page=page,
        source=info.source,
        engine=info.engine,
        dpi=info.dpi,
        skew_degrees=info.skew_degrees,
        steps=list(info.steps),
    )


def _matches(pattern: str, path: str) -> bool:
    """'*.score' or 'other.*' against 'carryover.score': a definition's optional-field pattern."""
    want, got = pattern.split("."), path.split(".")
    return len(want) == len(got) and all(w in ("*", g) for w, g in zip(want, got))


@dataclass
class FormBuilder:
    region: FormRegion
    spec: FormSpec
    fields: dict[str, Extracted]
    table: IndicatorTable
    vocab: Vocabulary
    settings: ReviewSettings
    penalties: ConfidenceSettings
    reads: dict[int, ReadInfo]  # page -> how it was read
    calibration: Calibration = field(default_factory=Calibration)  # none: raw confidence
    ledger: Ledger = field(init=False)
    ocr_pages: set[int] = field(init=False)

    def __post_init__(self) -> None:
        self.ledger = Ledger(self.penalties)
        self.ocr_pages = {page for page, read in self.reads.items() if read.source == "ocr"}
        self.definition = self.spec.definition

    def get(self, path: str) -> Extracted:
        return self.fields.get(path, MISSING)

    # --- values ------------------------------------------------------------------

    def seen(self, path: str, value: Extracted, required: bool = True, blank_ok: bool = False) -> str | None:
        """Note a raw value in the ledger; a blank the definition allows is null without a flag."""
        if blank_ok and value is not MISSING and value.text is None:
            self.ledger.seen(path, value, required=False)
            return None
        self.ledger.seen(path, value, required)
        return value.text

    def decimal(self, path: str, value: Extracted, required: bool = True, blank_ok: bool = False) -> Decimal | None:
        number, problem = parse_decimal(self.seen(path, value, required, blank_ok))
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)
        return number

    def shaped_text(self, path: str, value: Extracted, required: bool = True, blank_ok: bool = False) -> str | None:
        """A target or actual value; on OCR pages its shape is checked too."""
        text = self.seen(path, value, required, blank_ok)
        problem = target_shape_problem(text, path.endswith(".target")) if value.page in self.ocr_pages else None
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)
        return text

    def header_field(self, path: str) -> str | None:
        spec = self.definition.fields[path]
        value = self.get(path)
        text = self.seen(path, value, spec.required, spec.blank_allowed)
        if path in SENTENCE_FIELDS:
            self._check_end(path, value, text)
        if path in NAME_FIELDS and text and value.page in self.ocr_pages and _DATE_IN_NAME.search(fold(text)):
            self.ledger.note(
                path,
                self.penalties.bad_shape,
                f"'{text}' holds a date: a stamp's or signature's date may have been read into the name",
            )
        if path in DATE_FIELDS:
            value, problem = parse_date(text)
        elif spec.choices:
            value, problem = parse_choice(text, spec.choices)
        else:
            return text
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)
        return value

    # --- parts of the record -------------------------------------------------------

    def funds(self) -> Funds:
        funds = self.definition.funds
        out = Funds(unit=self.seen("funds.unit", self.get("funds.unit")))
        if funds is None:
            return out
        for line, spec in funds.lines.items():
            path = f"funds.{line}"
            if funds.layout == "pairs":
                setattr(out, line, self.decimal(path, self.get(path), spec.required, spec.blank_allowed))
                continue
            row = FundsRow()
            for column in funds.columns:
                col_path = f"{path}.{column}"
                optional = any(_matches(p, f"{line}.{column}") for p in funds.optional)
                value = self.get(col_path)
                if value is MISSING and not spec.required:
                    continue  # a line the form does not print
                if column in TEXT_COLUMNS:
                    setattr(row, column, self.seen(col_path, value, not optional, blank_ok=True))
                else:
                    setattr(row, column, self.decimal(col_path, value, not optional, blank_ok=optional))
            setattr(out, line, row)
        return out

    def _level(self, path: str, value: Extracted, matcher: Matcher) -> tuple[str | None, Decimal | None]:
        self.ledger.seen(path, value)
        name, weight = parse_level(value.text)
        if name is None:
            return None, None
        hit = matcher.match(name, self.settings.fuzzy_min_score, value.page in self.ocr_pages)
        if hit.kind == "fuzzy" and hit.entry is not None:
            self.ledger.note(
                path,
                min(hit.score, self.penalties.fuzzy_cap),
                f"read as '{value.text}', taken as framework entry '{hit.entry}'",
            )
            return hit.entry, weight
        return name, weight

    def indicator(self, i: int, row: IndicatorRow) -> Indicator:
        p = f"indicators[{i}]"
        columns = self.definition.indicators.columns if self.definition.indicators else {}
        optional = set(self.definition.indicators.optional) if self.definition.indicators else set()
        get = row.values.get
        level1, level1_weight = self._level(f"{p}.level1", get("level1", MISSING), self.vocab.level1)
        level2, _ = self._level(f"{p}.level2", get("level2", MISSING), self.vocab.level2)
        raw = get("name_raw", MISSING)
        self.ledger.seen(f"{p}.name_raw", raw)
        level_like = self._level_entry(raw.text)
        if level_like and raw.page in self.ocr_pages:
            self.ledger.note(
                f"{p}.name_raw",
                self.penalties.bad_shape,
                f"the indicator name reads as the framework's {level_like}: the name column may hold the "
                "level column's text (a rule between them not found)",
            )
        ind = Indicator(
            level1=level1,
            level2=level2,
            name_raw=raw.text,
            name=self._indicator_name(f"{p}.name", raw, f"{p}.name_raw"),
            table=row.table,
            level1_weight=level1_weight,
        )
        for column in ("nature", "unit"):
            if column in columns:
                value = get(column, MISSING)
                text = self.seen(f"{p}.{column}", value, column not in optional, column in optional)
                setattr(ind, column, text)
                if text and value.page in self.ocr_pages:
                    self._check_part(f"{p}.{column}", column, text)
        for column in INDICATOR_TEXT:
            if column in columns:
                setattr(
                    ind,
                    column,
                    self.shaped_text(f"{p}.{column}", get(column, MISSING), column not in optional, column in optional),
                )
        if "nature" in columns or "unit" in columns:
            ind.target = compose_target(ind.nature, ind.target, ind.unit)
            for part in ("nature", "unit"):  # the whole target is only as sure as its parts
                if part in columns:
                    self.ledger.inherit(f"{p}.target", f"{p}.{part}")
        for column in ("weight", "score"):
            if column in columns:
                setattr(
                    ind,
                    column,
                    self.decimal(f"{p}.{column}", get(column, MISSING), column not in optional, column in optional),
                )
        if "note" in columns:
            ind.note = self.seen(f"{p}.note", get("note", MISSING), required=False)
            self._check_end(f"{p}.note", get("note", MISSING), ind.note)
        return ind

    def _check_end(self, path: str, value: Extracted, text: str | None) -> None:
        problem = text_end_problem(text) if value.page in self.ocr_pages else None
        if problem:
            self.ledger.note(path, self.penalties.bad_shape, problem)

    def _check_part(self, path: str, column: str, text: str) -> None:
        """A scanned nature or unit is one of few words: one outside them is most likely misread (田 for 亩)."""
        key = fold(text)
        if column == "nature" and key not in COMPARATORS and key not in self.vocab.natures:
            reason = f"'{text}' is not a comparator (≥ ≤ = > <) or a nature the vocabulary knows (定性, 定量)"
        elif column == "unit" and key not in self.vocab.units:
            reason = f"'{text}' is not a unit of measure the vocabulary knows (models/vocabulary/units.json)"
        else:
            return
        self.ledger.note(path, self.penalties.bad_shape, reason + ": check it against the page")

    def _missing_level1_weights(self, indicators: list[Indicator]) -> None:
        """Where the form prints scores in its level-1 cells (产出指标(50分)), a row without one is a doubt:
        the score is read from the level-1 cell, and a cell lost or misread loses it too.

        The variant's definition says so (`indicators.level1_weights`) and a row shows it, or most rows do.
        """
        declared = self.definition.indicators is not None and self.definition.indicators.level1_weights
        weighed = sum(ind.level1_weight is not None for ind in indicators)
        # A variant told by its labels may be the wrong one: the form must show a score somewhere; and
        # without the definition's word, a number or two read into level-1 cells is no sign at all.
        shown = weighed > 0 if declared else weighed >= 2 and 2 * weighed >= len(indicators)
        for i, ind in enumerate(indicators):
            # A level-1 cell not read at all lost its score with it, where the variant prints one.
            if ind.level1_weight is None and (shown or (declared and ind.level1 is None)):
                path = f"indicators[{i}]"
                self.ledger.inherit(f"{path}.level1_weight", f"{path}.level1")
                self.ledger.note(
                    f"{path}.level1_weight",
                    self.penalties.bad_shape,
                    "no score was read in this row's level-1 cell, though this form prints one in its level-1 cells",
                )

    def _level_entry(self, text: str | None) -> str | None:
        """'level-1 entry 产出指标' when a printed name is exactly a level-1 or level-2 entry."""
        if not text:
            return None
        for level, matcher in (("level-1 entry", self.vocab.level1), ("level-2 entry", self.vocab.level2)):
            hit = matcher.match(text, 1.0, allow_fuzzy=False)
            if hit.entry is not None and hit.kind != "fuzzy":
                return f"{level} '{hit.entry}'"
        return None

    def _indicator_name(self, path: str, raw: Extracted, raw_path: str) -> str | None:
        """The vocabulary's entry for a printed name; an unknown name is kept as printed, not flagged.

        Level-3 names are free text: being unknown is no doubt, but a name kept as printed (or
        mapped loosely) is only as sure as its reading; one printed exactly as a known name is sure.
        """
        if raw.text is None:
            return None
        self.ledger.note(path, 1.0)
        self.ledger.place(path, raw.page, raw.box)
        hit = self.vocab.indicators.match(raw.text, self.settings.fuzzy_min_score, raw.page in self.ocr_pages)
        if hit.kind not in ("exact", "alias"):
            self.ledger.inherit(path, raw_path)
        if hit.entry is None:
            return raw.text
        if hit.kind == "fuzzy":
            self.ledger.note(
                path,
                min(hit.score, self.penalties.fuzzy_cap),
                f"read as '{raw.text}', mapped to '{hit.entry}' ({hit.score:.2f})",
            )
        return hit.entry

    def _form_type_and_year(self) -> int | None:
        region = self.region
        title = region.title
        if title is None:
            self.ledger.note(
                "form_type",
                0.5,
                "the form's title was not found; its type was told from its labels: check which form this is",
            )
        else:
            self.ledger.note("form_type", min(title.confidence, region.title_score))
            self.ledger.place("form_type", title.page, title.box)
        year_line = region.year_line or title
        year = parse_year(year_line.text) if year_line else None
        if year is None and title is not None:
            year = parse_year(title.text)
        self.ledger.note(
            "year", year_line.confidence if year else 0.0, None if year else "the year line （YYYY年度） was not found"
        )
        if year and year_line:
            self.ledger.place("year", year_line.page, year_line.box)
        return year

    def record(self, file: str, sha256: str) -> Record:
        region = self.region
        rec = Record(
            form_type=region.form_type,
            variant=self.spec.id,
            year=self._form_type_and_year(),
            source=Source(
                file=file,
                sha256=sha256,
                pages=region.pages,
                reads=[_page_read(p, self.reads[p]) for p in region.pages if p in self.reads],
            ),
        )
        for path in self.definition.fields:
            setattr(rec, path, self.header_field(path))
        rec.funds = self.funds()
        rec.indicators = [self.indicator(i, row) for i, row in enumerate(self.table.rows)]
        self._missing_level1_weights(rec.indicators)
        if not rec.indicators:
            self.ledger.note("indicators", 0.0, "no indicator table (三级指标 header) was found")
        for path, doubt in self.table.doubts:
            self.ledger.note(path, self.penalties.broken_rule, doubt)
        if self.definition.indicators and self.definition.indicators.totals:
            rec.total_weight = self.decimal("total_weight", self.table.totals.get("total_weight", MISSING))
            rec.total_score = self.decimal("total_score", self.table.totals.get("total_score", MISSING))
        if self.ocr_pages:
            # A scan may misread a digit; a text layer says what the filer wrote.
            for fix in repair_sums(rec, self.ledger.confidence, self.vocab.framework, self.definition.rules):
                self.ledger.note(
                    fix.field,
                    self.penalties.repaired,
                    f"read as {fix.read}; {fix.corrected} makes the form's sums hold, "
                    "so it was taken instead: confirm against the page",
                )
        for breach in check_record(rec, self.vocab.framework, self.definition.rules):
            for path in breach.fields:
                self.ledger.note(path, self.penalties.broken_rule, breach.reason)
        return self._finish(rec)

    def _kind(self, path: str) -> str:
        """text_layer or ocr: the kind of page the field was read from (its form's, if it has no place)."""
        place = self.ledger.place_of(path)
        if place is not None:
            return "ocr" if place[0] in self.ocr_pages else "text_layer"
        return "ocr" if self.ocr_pages and self.ocr_pages >= set(self.region.pages) else "text_layer"

    def _finish(self, rec: Record) -> Record:
        raw = dict(self.ledger.confidence)
        if self.settings.calibrate:
            for path, value in raw.items():
                self.ledger.confidence[path] = self.calibration.apply(value, self._kind(path), field_family(path))
        rec.confidence = dict(self.ledger.confidence)
        rec.provenance = {
            path: Provenance(page=page, box=box.as_list()) for path, (page, box) in self.ledger.places.items()
        }
        rec.review = [
            self._review_item(path, conf, raw[path])
            for path, conf in self.ledger.confidence.items()
            if conf < self.settings.flag_below
        ]
        return rec

    def _review_item(self, path: str, confidence: float, raw: float) -> ReviewItem:
        place = self.ledger.place_of(path)
        # Flagged by the calibration alone: say what it knows, so the reviewer knows why to look.
        calibrated = (
            f"read with confidence {raw:.2f}; on the calibration forms, fields read as surely were right "
            f"{confidence:.0%} of the time: check it against the page"
        )
        return ReviewItem(
            field=path,
            reason="; ".join(self.ledger.reasons.get(path) or [calibrated]),
            confidence=confidence,
            page=place[0] if place else None,
            box=place[1].as_list() if place else None,
        )
