"""The record contract (docs/records.md) as pydantic models.

These models are the single source of the JSON shape that downstream systems
import: field names and nesting are fixed; fields may be added, never renamed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.3"  # 1.1 provenance; 1.2 regional variants; 1.3 review decisions, revisions

FormType = Literal["target_declaration", "self_evaluation"]
IndicatorTable = Literal["annual", "long_term"]
ReviewStatus = Literal["open", "confirmed", "corrected"]
FundsUnit = Literal["元", "万元"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Box = list[float]  # [x0, y0, x1, y1] in PDF points, origin at the page's top left


class ReviewItem(_Strict):
    """A field a person should look at, and why."""

    field: str = Field(description="path of the field, e.g. funds.total.executed")
    reason: str
    confidence: float = Field(ge=0.0, le=1.0)
    # Added in 1.1: where the value was read, for the reviewer's crop.
    page: int | None = Field(default=None, description="1-based page of the value")
    box: Box | None = Field(default=None, description="[x0, y0, x1, y1], PDF points, top-left origin")
    # Added in 1.3: what a person decided about it (the review loop).
    status: ReviewStatus = Field(default="open", description="open, confirmed (the value stands) or corrected")
    decided_by: str | None = Field(default=None, description="the reviewer who confirmed or corrected it")
    decided_at: str | None = Field(default=None, description="when, ISO 8601 UTC")
    extracted: str | None = Field(default=None, description="corrected: the value as extracted, as JSON text")
    sample: bool = Field(default=False, description="a QA sample of an unflagged field, not a flag (1.3)")


class PageRead(_Strict):
    """How one page's text was obtained (added in 1.1)."""

    page: int
    source: Literal["text_layer", "ocr"]
    engine: str | None = Field(default=None, description="OCR engine and version, e.g. 'rapidocr 3.10.0'")
    dpi: int | None = None
    skew_degrees: float | None = Field(default=None, description="tilt corrected before OCR")
    steps: list[str] = Field(default_factory=list, description="what the page image went through")


class Provenance(_Strict):
    """Where one value was read (added in 1.1)."""

    page: int
    box: Box


class Source(_Strict):
    file: str
    sha256: str
    pages: list[int] = Field(description="1-based pages the form spans")
    reads: list[PageRead] = Field(default_factory=list, description="how each of those pages was read (1.1)")


class FundsRow(_Strict):
    """One row of a self-evaluation's funds table; a printed '-' is null."""

    initial_budget: Decimal | None = None
    annual_budget: Decimal | None = None
    executed: Decimal | None = None
    weight: Decimal | None = None
    execution_rate: Decimal | None = None
    score: Decimal | None = None
    # Added in 1.2 (Sichuan-style 预算执行情况): the budget after adjustment, and the reason given.
    adjusted_budget: Decimal | None = Field(default=None, description="调整后预算数")
    reason: str | None = Field(default=None, description="原因: why execution fell short")


# A declaration prints one amount per funds line; a self-evaluation a FundsRow.
FundsValue = FundsRow | Decimal | None


class Funds(_Strict):
    unit: FundsUnit | None = None
    total: FundsValue = None
    current_year_appropriation: FundsValue = None
    carryover: FundsValue = None
    other: FundsValue = None
    # Added in 1.2.
    project_total: Decimal | None = Field(default=None, description="项目资金总额: the whole project's funds")
    special_account: FundsValue = Field(default=None, description="财政专户管理资金")
    unit_funds: FundsValue = Field(default=None, description="单位资金")


class Indicator(_Strict):
    level1: str | None = None
    level2: str | None = None
    name_raw: str | None = None
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    note: str | None = None
    # Added in 1.2.
    nature: str | None = Field(default=None, description="指标性质, the comparator printed in its own column")
    unit: str | None = Field(default=None, description="度量单位, printed in its own column")
    table: IndicatorTable = Field(default="annual", description="which indicator table: 年度 or 长期")
    level1_weight: Decimal | None = Field(default=None, description="the weight printed in the level-1 cell")


class Record(_Strict):
    schema_version: str = SCHEMA_VERSION
    form_type: FormType
    year: int | None = None
    project_name: str | None = None
    department: str | None = None
    implementing_unit: str | None = None
    project_nature: str | None = None
    project_category: str | None = None
    planned_start: str | None = Field(default=None, description="ISO date")
    planned_end: str | None = Field(default=None, description="ISO date")
    funds: Funds = Field(default_factory=Funds)
    goal: str | None = None
    outcome: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    grade: str | None = None
    source: Source | None = None
    review: list[ReviewItem] = Field(default_factory=list)
    # Added to the contract: every field's confidence, keyed by its path.
    confidence: dict[str, float] = Field(default_factory=dict)
    # Added in 1.1: the page and box of every extracted value, keyed by its path.
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    # Added in 1.2: regional variants (models/forms/ holds their definitions).
    variant: str | None = Field(default=None, description="the form definition read, e.g. self_evaluation/base")
    reporting_unit: str | None = Field(default=None, description="填报单位")
    project_attribute: str | None = Field(default=None, description="项目属性: the ticked option, e.g. 延续")
    long_term_goal: str | None = Field(default=None, description="项目总目标 / 长期目标")
    conclusion: str | None = Field(default=None, description="评价结论")
    problems: str | None = Field(default=None, description="存在问题")
    measures: str | None = Field(default=None, description="改进措施")
    # Added in 1.3: a record's revision grows whenever its content changes (a re-read, a correction).
    revision: int = Field(default=1, ge=1, description="1 when first stored; +1 at each change")
    updated_at: str | None = Field(default=None, description="when this revision was stored, ISO 8601 UTC")
    record_id: str | None = Field(
        default=None, description="the store's id of the record, sha256:form_index (set when stored; 1.3)"
    )

    def to_json_line(self) -> str:
        return self.model_dump_json()
