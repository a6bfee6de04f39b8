"""The record contract as JSON Schema (draft 2020-12), generated from the pydantic models.

It describes a record as it is written (records.jsonl, the jsonl export,
`filing-extract extract`): decimals are strings of digits that keep the
printed scale. docs/record.schema.json is this text, committed; a test holds
the two equal.
"""

from __future__ import annotations

import json

from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from models import SCHEMA_VERSION, Record

DECIMAL_PATTERN = r"^[+-]?\d+(\.\d+)?$"
SCHEMA_ID = "urn:filing-extract:record:" + SCHEMA_VERSION


class _ContractSchema(GenerateJsonSchema):
    """Decimals as the contract writes them: strings of digits, never floats."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> dict:
        return {"type": "string", "pattern": DECIMAL_PATTERN}


def record_schema() -> dict:
    body = Record.model_json_schema(mode="serialization", schema_generator=_ContractSchema)
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"filing-extract record, schema {SCHEMA_VERSION}",
        "description": "One form of a Chinese fiscal performance filing, as docs/records.md specifies. "
        "Versions only add fields: validate a record against the schema of its schema_version.",
        "x-schema-version": SCHEMA_VERSION,
    }
    body.pop("title", None)
    return {**head, **body}


def schema_text() -> str:
    """The schema as committed in docs/record.schema.json."""
    return json.dumps(record_schema(), ensure_ascii=False, indent=2) + "\n"
