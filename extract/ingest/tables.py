"""The store's tables: one metadata, so a store made by an older version gains what is new.

Records are kept as the contract's exact JSON (`forms.record_json`) and spread
over queryable tables (forms, funds rows, indicator rows, review items,
provenance, page reads). Beside them: every revision a record went through
(`record_revisions`), a change log the incremental export follows (`changes`),
the review loop's decisions kept by file and field (`corrections`) and the
audit trail of every decision (`review_audit`).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    text,
)
from sqlalchemy.engine import Connection

from models import Funds, FundsRow, Indicator, Record, ReviewItem

metadata = MetaData()
NOT_COLUMNS = {"funds", "indicators", "source", "review", "confidence", "provenance", "schema_version"}  # JSON only


def _contract_columns(model: type, declared: list[Column], skip: set[str] = frozenset()) -> list[Column]:
    """The declared columns, then one for each scalar field of the contract model not declared yet.

    The store follows the contract as it grows: a field added to the models
    gets its column here, and an older store gains it when opened.
    """
    names = {c.name for c in declared} | set(skip)
    out = list(declared)
    for name, info in model.model_fields.items():
        if name in names:
            continue
        kind = str(info.annotation)
        if "Decimal" in kind:
            column_type = String(32)
        elif info.annotation is bool:
            column_type = Boolean
        elif info.annotation is int or kind.startswith("int"):
            column_type = Integer
        else:
            column_type = Text
        out.append(Column(name, column_type))
    return out


files = Table(
    "files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),  # order first seen: records.jsonl follows it
    Column("status", String(16), nullable=False),  # done / failed
    Column("error", Text),
    Column("pages", Integer),
    Column("ocr_pages", Integer),
    Column("forms", Integer),
    Column("timings", Text),  # JSON: seconds by stage
    Column("updated_at", String(32)),
    Column("warnings", Text),  # JSON list: e.g. the reader had to repair the file
)
file_paths = Table(
    "file_paths",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256", ondelete="CASCADE"), primary_key=True),
    Column("path", Text, primary_key=True),
)
forms = Table(
    "forms",
    metadata,
    *_contract_columns(
        Record,
        [
            Column("record_id", String(80), primary_key=True),  # sha256:form_index
            Column("sha256", String(64), ForeignKey("files.sha256", ondelete="CASCADE"), nullable=False),
            Column("form_index", Integer, nullable=False),
            Column("form_type", String(32)),
            Column("year", Integer),
            Column("project_name", Text),
            Column("department", Text),
            Column("implementing_unit", Text),
            Column("project_nature", Text),
            Column("project_category", Text),
            Column("planned_start", String(10)),
            Column("planned_end", String(10)),
            Column("funds_unit", String(4)),
            Column("goal", Text),
            Column("outcome", Text),
            Column("total_weight", String(32)),
            Column("total_score", String(32)),
            Column("grade", String(8)),
            Column("pages", String(64)),
            Column("review_count", Integer),
            Column("record_json", Text, nullable=False),
        ],
        NOT_COLUMNS,
    ),
)
funds = Table(
    "funds",
    metadata,
    *_contract_columns(
        FundsRow,
        [
            Column("record_id", String(80), ForeignKey("forms.record_id", ondelete="CASCADE"), primary_key=True),
            Column("line", String(40), primary_key=True),
            Column("amount", String(32)),  # a declaration's single amount
            Column("initial_budget", String(32)),
            Column("annual_budget", String(32)),
            Column("executed", String(32)),
            Column("weight", String(32)),
            Column("execution_rate", String(32)),
            Column("score", String(32)),
        ],
    ),
)
indicators = Table(
    "indicators",
    metadata,
    *_contract_columns(
        Indicator,
        [
            Column("record_id", String(80), ForeignKey("forms.record_id", ondelete="CASCADE"), primary_key=True),
            Column("row", Integer, primary_key=True),
            Column("level1", Text),
            Column("level2", Text),
            Column("name_raw", Text),
            Column("name", Text),
            Column("target", Text),
            Column("actual", Text),
            Column("weight", String(32)),
            Column("score", String(32)),
            Column("note", Text),
        ],
    ),
)
review = Table(
    "review",
    metadata,
    *_contract_columns(
        ReviewItem,
        [
            Column("record_id", String(80), ForeignKey("forms.record_id", ondelete="CASCADE"), primary_key=True),
            Column("field", String(120), primary_key=True),
            Column("reason", Text),
            Column("confidence", Float),
            Column("page", Integer),
            Column("x0", Float),
            Column("y0", Float),
            Column("x1", Float),
            Column("y1", Float),
            # The review loop (1.3): what a person decided, and the item's version for optimistic concurrency.
            Column("status", String(16)),
            Column("decided_by", Text),
            Column("decided_at", String(32)),
            Column("extracted", Text),
            Column("sample", Boolean),
            Column("version", Integer),  # the seq of the store change that last set the item
        ],
        {"box"},
    ),
)
provenance = Table(
    "provenance",
    metadata,
    Column("record_id", String(80), ForeignKey("forms.record_id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(120), primary_key=True),
    Column("page", Integer, nullable=False),
    Column("x0", Float),
    Column("y0", Float),
    Column("x1", Float),
    Column("y1", Float),
)
page_reads = Table(
    "page_reads",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256", ondelete="CASCADE"), primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("source", String(16), nullable=False),  # text_layer / ocr
    Column("engine", String(64)),
    Column("dpi", Integer),
    Column("skew_degrees", Float),
    Column("steps", Text),  # JSON list
)
# Every revision of every record, the current one included; kept after the record is deleted.
record_revisions = Table(
    "record_revisions",
    metadata,
    Column("record_id", String(80), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("why", String(16), nullable=False),  # WHY in revisions.py
    Column("updated_at", String(32), nullable=False),
    Column("seq", Integer),  # the change that made it
    Column("record_json", Text, nullable=False),  # a 'deleted' revision keeps the record as it was last
)
# The change log: one row a new revision or deletion, in commit order. The export cursor is a seq.
changes = Table(
    "changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(80), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # upsert / tombstone
    Column("at", String(32), nullable=False),
    sqlite_autoincrement=True,  # a seq is never reused
)
Index("ix_changes_record_id", changes.c.record_id)
# A reviewer's decision on one field of one form of one file: re-applied when the file is read again.
corrections = Table(
    "corrections",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("form_index", Integer, primary_key=True),
    Column("field", String(120), primary_key=True),
    Column("action", String(16), nullable=False),  # correct / confirm
    Column("value", Text),  # JSON text: the value decided on
    Column("extracted", Text),  # JSON text: the value the file read when it was decided
    Column("reason", Text),  # the review item's reason then, shown again with the decision
    Column("decided_by", Text, nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("sample", Boolean),
    Column("audit_id", Integer),
)
# The audit trail: nothing is overwritten without a row here.
review_audit = Table(
    "review_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("record_id", String(80), nullable=False),
    Column("field", String(120), nullable=False),
    Column("action", String(16), nullable=False),  # confirm / correct / bulk_confirm / undo
    Column("old_value", Text),  # JSON text
    Column("new_value", Text),  # JSON text
    Column("confidence", Float),  # the item's confidence at the time
    Column("engine", String(64)),  # how the field's page was read: text_layer, or the OCR engine
    Column("engine_version", String(32)),
    Column("seconds", Float),  # the reviewer's time on it
    Column("status", String(16)),  # the item's status after
    Column("item_version", Integer),  # the item's version after
    Column("revision", Integer),  # the record's revision after
    Column("undoes", Integer),  # undo: the audit row undone
    Column("before_json", Text),  # what undo restores: the value, the item and the correction before
    sqlite_autoincrement=True,
)
Index("ix_review_audit_record_id", review_audit.c.record_id)
store_info = Table(
    "store_info",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)

RECORD_TABLES = (review, provenance, indicators, funds)  # a record's rows besides forms
BASE_FUNDS_LINES = ("total", "current_year_appropriation", "carryover", "other")  # a row each, always
FUNDS_LINES = tuple(name for name in Funds.model_fields if name != "unit")


def add_missing_columns(conn: Connection) -> None:
    """Bring a store made by an older version up to date: new nullable columns are added."""
    existing = inspect(conn)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.nullable and not column.primary_key:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
