"""The record contract (docs/records.md) as pydantic models.

These models are the single source of the JSON shape that downstream systems
import: field names and nesting are fixed; fields may be added, never renamed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

FormType = Literal["target_declaration", "self_evaluation"]
FundsUnit = Literal["元", "万元"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewItem(_Strict):
    """A field a person should look at, and why."""

    field: str = Field(description="path of the field, e.g. funds.total.executed")
    reason: str
    confidence: float = Field(ge=0.0, le=1.0)


class Source(_Strict):
    file: str
    sha256: str
    pages: list[int] = Field(description="1-based pages the form spans")


class FundsRow(_Strict):
    """One row of a self-evaluation's funds table; a printed '-' is null."""

    initial_budget: Optional[Decimal] = None
    annual_budget: Optional[Decimal] = None
    executed: Optional[Decimal] = None
    weight: Optional[Decimal] = None
    execution_rate: Optional[Decimal] = None
    score: Optional[Decimal] = None


# A declaration prints one amount per funds line; a self-evaluation a FundsRow.
FundsValue = Union[FundsRow, Decimal, None]


class Funds(_Strict):
    unit: Optional[FundsUnit] = None
    total: FundsValue = None
    current_year_appropriation: FundsValue = None
    carryover: FundsValue = None
    other: FundsValue = None


class Indicator(_Strict):
    level1: Optional[str] = None
    level2: Optional[str] = None
    name_raw: Optional[str] = None
    name: Optional[str] = None
    target: Optional[str] = None
    actual: Optional[str] = None
    weight: Optional[Decimal] = None
    score: Optional[Decimal] = None
    note: Optional[str] = None


class Record(_Strict):
    schema_version: str = SCHEMA_VERSION
    form_type: FormType
    year: Optional[int] = None
    project_name: Optional[str] = None
    department: Optional[str] = None
    implementing_unit: Optional[str] = None
    project_nature: Optional[str] = None
    project_category: Optional[str] = None
    planned_start: Optional[str] = Field(default=None, description="ISO date")
    planned_end: Optional[str] = Field(default=None, description="ISO date")
    funds: Funds = Field(default_factory=Funds)
    goal: Optional[str] = None
    outcome: Optional[str] = None
    indicators: list[Indicator] = Field(default_factory=list)
    total_weight: Optional[Decimal] = None
    total_score: Optional[Decimal] = None
    grade: Optional[str] = None
    source: Optional[Source] = None
    review: list[ReviewItem] = Field(default_factory=list)
    # Added to the contract: every field's confidence, keyed by its path.
    confidence: dict[str, float] = Field(default_factory=dict)

    def to_json_line(self) -> str:
        return self.model_dump_json()
