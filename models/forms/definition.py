"""Form definitions: what a printed form type (or a regional variant of it) looks like.

Each definition is a YAML file under models/forms/ (or a user's own folder): the
titles that name it, the printed labels of each field and where its value sits,
the funds block, the indicator columns and the value rules. The code reads
definitions; a new variant is a new file, not new code (docs/variants.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.record import Funds, FundsRow, Indicator, Record

FormType = Literal["target_declaration", "self_evaluation"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """A printed label (with its aliases) and where the value it names sits."""

    labels: list[str] = Field(min_length=1)
    at: Literal["right", "below"] = "right"
    # When the same label is printed twice (a declaration's two 其他资金 cells), which one.
    occurrence: Literal["first", "last"] = "first"
    required: bool = True  # False: a field the variant may leave out, null without a flag
    blank_allowed: bool = False  # the filer may leave the value cell empty: null without a flag
    choices: list[str] = Field(default_factory=list)  # check-box options: the ticked one is the value


class FundsSpec(_Strict):
    """The funds block: amounts beside their labels (pairs) or a grid of lines × columns."""

    layout: Literal["pairs", "grid"]
    lines: dict[str, FieldSpec]
    columns: dict[str, list[str]] = Field(default_factory=dict)  # grid: column field -> header labels
    # grid: (line, column) pairs that the form leaves blank or prints '-': null without a flag.
    optional: list[str] = Field(default_factory=list)  # "carryover.weight", "*.score", "other.*"


class IndicatorSpec(_Strict):
    columns: dict[str, list[str]]  # column field -> header labels; name_raw anchors the header row
    totals: list[str] = Field(default_factory=list)  # the totals row's label (总分, 合计)
    tables: dict[str, list[str]] = Field(default_factory=dict)  # table -> its block label (长期绩效指标)
    optional: list[str] = Field(default_factory=list)  # columns the filer may leave blank
    level1_weights: bool = False  # True: every level-1 cell prints its weight (产出指标(50分))


class Grade(_Strict):
    grade: str
    min_score: Decimal


class Rules(_Strict):
    grades: list[Grade] = Field(default_factory=list)  # highest first
    dates_within_year: bool = True  # False: a multi-year project's dates may lie outside the year


class FormDefinition(_Strict):
    id: str  # "self_evaluation/sichuan-2023": the variant, kept on every record
    form_type: FormType
    extends: str | None = None
    description: str = ""
    titles: list[str] = Field(default_factory=list)  # regular expressions over the folded title line
    signature: list[str] = Field(default_factory=list)  # labels that tell this variant from its siblings
    # True: this printing puts title and year inside the grid (it counts as one more signature label).
    title_in_grid: bool | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    structure: list[str] = Field(default_factory=list)  # labels that hold no value of their own
    funds: FundsSpec | None = None
    indicators: IndicatorSpec | None = None
    rules: Rules = Field(default_factory=Rules)

    @model_validator(mode="after")
    def _paths_are_the_contracts(self) -> FormDefinition:
        """Every field, funds line and column a definition names is one of the record contract's."""
        checks = [("fields", set(self.fields), set(Record.model_fields) - NOT_HEADER_FIELDS)]
        if self.funds is not None:
            checks += [
                ("funds.lines", set(self.funds.lines), set(Funds.model_fields) - {"unit"}),
                ("funds.columns", set(self.funds.columns), set(FundsRow.model_fields)),
            ]
        if self.indicators is not None:
            checks.append(("indicators.columns", set(self.indicators.columns), set(Indicator.model_fields)))
        for where, named, allowed in checks:
            unknown = sorted(named - allowed)
            if unknown:
                raise ValueError(
                    f"{where}: {', '.join(unknown)} not in the record contract "
                    f"(docs/records.md); known: {', '.join(sorted(allowed))}"
                )
        return self


# Record fields that are not read off a label (the form's type and year, its parts, its review).
NOT_HEADER_FIELDS = {
    "schema_version",
    "form_type",
    "year",
    "funds",
    "indicators",
    "total_weight",
    "total_score",
    "source",
    "review",
    "confidence",
    "provenance",
    "variant",
}
