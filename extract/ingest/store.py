"""The store: every input file and every record, in SQLite (default) or PostgreSQL.

Each file's results are committed in one transaction, so a crash leaves every
file either fully stored or not at all. Records are kept as the contract's
exact JSON, and also spread over queryable tables of forms, funds rows,
indicator rows, review items and provenance (the page and box of every value,
and how each page was read). A store made by an older version gains the new
tables and columns when it is opened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

from extract.datamodel.result import FileResult
from models import Funds, FundsRow, Indicator, Record

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
        column_type = String(32) if "Decimal" in kind else Integer if kind.startswith("int") else Text
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
    Column("record_id", String(80), ForeignKey("forms.record_id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(120), primary_key=True),
    Column("reason", Text),
    Column("confidence", Float),
    Column("page", Integer),
    Column("x0", Float),
    Column("y0", Float),
    Column("x1", Float),
    Column("y1", Float),
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
RECORD_TABLES = (review, provenance, indicators, funds)

BASE_FUNDS_LINES = ("total", "current_year_appropriation", "carryover", "other")  # a row each, always
FUNDS_LINES = tuple(name for name in Funds.model_fields if name != "unit")


def _text(value) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    status: str
    error: str | None


def sqlite_url(out_dir: Path) -> str:
    return f"sqlite:///{(out_dir / 'filings.sqlite').resolve()}"


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            _add_missing_columns(conn)

    def close(self) -> None:
        self.engine.dispose()

    # --- reading ---------------------------------------------------------------

    def file(self, sha256: str) -> StoredFile | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(files.c.sha256, files.c.status, files.c.error).where(files.c.sha256 == sha256)
            ).first()
        return StoredFile(*row) if row else None

    def records(self) -> Iterator[Record]:
        """Every stored record, in the order files were first seen, forms in order."""
        query = (
            select(forms.c.record_json)
            .join(files, files.c.sha256 == forms.c.sha256)
            .order_by(files.c.seq, forms.c.form_index)
        )
        with self.engine.connect() as conn:
            for (text,) in conn.execute(query):
                yield Record.model_validate_json(text)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(files.c.status, func.count()).group_by(files.c.status)).all()
        return {status: n for status, n in rows}

    def rows(self, table: Table) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(table))]

    # --- writing ---------------------------------------------------------------

    def add_path(self, sha256: str, path: str) -> None:
        with self.engine.begin() as conn:
            self._add_path(conn, sha256, path)

    @staticmethod
    def _add_path(conn: Connection, sha256: str, path: str) -> None:
        exists = conn.execute(
            select(file_paths.c.path).where((file_paths.c.sha256 == sha256) & (file_paths.c.path == path))
        ).first()
        if not exists:
            conn.execute(insert(file_paths).values(sha256=sha256, path=path))

    def next_seq(self) -> int:
        with self.engine.connect() as conn:
            return (conn.execute(select(func.max(files.c.seq))).scalar() or 0) + 1

    def save(self, sha256: str, paths: list[str], result: FileResult, seq: int) -> None:
        """One file's whole result, in one transaction: all of it lands, or none.

        `seq` orders a new file among the others (input order); a file seen
        before keeps its place.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        records = result.records
        with self.engine.begin() as conn:
            known = conn.execute(select(files.c.seq).where(files.c.sha256 == sha256)).scalar()
            ids = [r for (r,) in conn.execute(select(forms.c.record_id).where(forms.c.sha256 == sha256))]
            for table in RECORD_TABLES:
                conn.execute(delete(table).where(table.c.record_id.in_(ids)))
            conn.execute(delete(forms).where(forms.c.sha256 == sha256))
            conn.execute(delete(page_reads).where(page_reads.c.sha256 == sha256))
            values = dict(
                status=result.status,
                error=result.error,
                pages=result.pages,
                ocr_pages=result.ocr_pages,
                forms=len(records),
                timings=json.dumps(result.timings),
                updated_at=now,
                warnings=json.dumps(result.warnings, ensure_ascii=False),
            )
            if known is None:
                conn.execute(insert(files).values(sha256=sha256, seq=seq, **values))
            else:
                conn.execute(update(files).where(files.c.sha256 == sha256).values(**values))
            for path in paths:
                self._add_path(conn, sha256, path)
            for index, record in enumerate(records):
                self._insert_record(conn, sha256, index, record)
            self._insert_page_reads(conn, sha256, records)

    @staticmethod
    def _insert_page_reads(conn: Connection, sha256: str, records: list[Record]) -> None:
        seen: set[int] = set()
        for rec in records:
            for read in rec.source.reads if rec.source else []:
                if read.page in seen:
                    continue
                seen.add(read.page)
                conn.execute(
                    insert(page_reads).values(
                        sha256=sha256,
                        page=read.page,
                        source=read.source,
                        engine=read.engine,
                        dpi=read.dpi,
                        skew_degrees=read.skew_degrees,
                        steps=json.dumps(read.steps, ensure_ascii=False),
                    )
                )

    @staticmethod
    def _insert_record(conn: Connection, sha256: str, index: int, rec: Record) -> None:
        record_id = f"{sha256}:{index}"
        row = {c.name: _text(getattr(rec, c.name)) for c in forms.columns if c.name in Record.model_fields}
        row.update(
            record_id=record_id,
            sha256=sha256,
            form_index=index,
            year=rec.year,
            funds_unit=rec.funds.unit,
            pages=",".join(str(p) for p in (rec.source.pages if rec.source else [])),
            review_count=len(rec.review),
            record_json=rec.model_dump_json(),
        )
        conn.execute(insert(forms).values(**row))
        for line in FUNDS_LINES:
            value = getattr(rec.funds, line)
            if value is None and line not in BASE_FUNDS_LINES:
                continue  # a line this form does not print
            line_row = {"record_id": record_id, "line": line}
            if isinstance(value, FundsRow):
                line_row.update({c: _text(getattr(value, c)) for c in FundsRow.model_fields})
            else:
                line_row["amount"] = _text(value)
            conn.execute(insert(funds).values(**line_row))
        for i, ind in enumerate(rec.indicators):
            values = {name: _text(getattr(ind, name)) for name in Indicator.model_fields}
            conn.execute(insert(indicators).values(record_id=record_id, row=i, **values))
        for item in rec.review:
            conn.execute(
                insert(review).values(
                    record_id=record_id,
                    field=item.field,
                    reason=item.reason,
                    confidence=item.confidence,
                    page=item.page,
                    **_corners(item.box),
                )
            )
        for path, place in rec.provenance.items():
            conn.execute(
                insert(provenance).values(record_id=record_id, field=path, page=place.page, **_corners(place.box))
            )


def _corners(box: list[float] | None) -> dict[str, float | None]:
    x0, y0, x1, y1 = box if box else (None, None, None, None)
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1}


def _add_missing_columns(conn: Connection) -> None:
    """Bring a store made by an older version up to date: new nullable columns are added."""
    existing = inspect(conn)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.nullable and not column.primary_key:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; crash safe
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
