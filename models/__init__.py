"""Pydantic record models and the canonical vocabulary (shipped as package data)."""

from models.record import (
    SCHEMA_VERSION,
    Funds,
    FundsRow,
    Indicator,
    PageRead,
    Provenance,
    Record,
    ReviewItem,
    Source,
)

__all__ = [
    "SCHEMA_VERSION",
    "Funds",
    "FundsRow",
    "Indicator",
    "PageRead",
    "Provenance",
    "Record",
    "ReviewItem",
    "Source",
]
