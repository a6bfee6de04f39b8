"""The store: every input file and every record, in SQLite (default) or PostgreSQL.

Each file's results are committed in one transaction, so a crash leaves every
file either fully stored or not at all. Records are kept as the contract's
exact JSON, and also spread over queryable tables (`tables.py`). A record is
known by `sha256:form_index`; saving a file again upserts its records by that
id, re-applies the file's review decisions, and makes a new revision only of
a record whose content changed (`revisions.py`). A store made by an older
version gains the new tables and columns when it is opened.

Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: a lock on the
change log), so the change log's seq follows commit order and a review
decision never works on a record another writer is changing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Table, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from extract.datamodel.result import FileResult
from extract.ingest.flatten import insert_page_reads, records_of, with_id, write_record
from extract.ingest.reapply import reapply
from extract.ingest.revisions import content_key, last_revisions, log_revision, next_revision
from extract.ingest.tables import (
    RECORD_TABLES,
    add_missing_columns,
    corrections,
    file_paths,
    files,
    forms,
    funds,
    indicators,
    metadata,
    page_reads,
    provenance,
    record_revisions,
    review,
    store_info,
)
from models import Record

__all__ = [
    "Store",
    "StoredFile",
    "forms",
    "funds",
    "indicators",
    "metadata",
    "page_reads",
    "provenance",
    "records_of",
    "review",
    "sqlite_url",
    "write_record",
]

log = logging.getLogger(__name__)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
        sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(url, future=True, connect_args={"timeout": 60} if sqlite else {})
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._lock_changes = False  # the change log to lock on PostgreSQL exists once the tables do
        with self.writing() as conn:
            metadata.create_all(conn)
            add_missing_columns(conn)
        self._lock_changes = True
        with self.writing() as conn:
            self.store_id = _store_id(conn)
            _backfill_history(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction, serialised with every other writer of the store."""
        with self.engine.connect() as conn:
            conn.execution_options(store_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql" and self._lock_changes:
                    conn.execute(text("LOCK TABLE changes IN EXCLUSIVE MODE"))
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction that sees a single snapshot of the store."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    # --- reading ---------------------------------------------------------------

    def file(self, sha256: str) -> StoredFile | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(files.c.sha256, files.c.status, files.c.error).where(files.c.sha256 == sha256)
            ).first()
        return StoredFile(*row) if row else None

    def records(self) -> Iterator[Record]:
        """Every stored record, in the order files were first seen, forms in order."""
        with self.reading() as conn:
            yield from records_of(conn)

    def record(self, record_id: str) -> Record | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(forms.c.record_json).where(forms.c.record_id == record_id)).scalar()
        return with_id(Record.model_validate_json(found), record_id) if found else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(files.c.status, func.count()).group_by(files.c.status)).all()
        return {status: n for status, n in rows}

    def rows(self, table: Table) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(table))]

    # --- writing ---------------------------------------------------------------

    def add_path(self, sha256: str, path: str) -> None:
        with self.writing() as conn:
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
        before keeps its place. Records are upserted by id: one whose content
        is unchanged keeps its revision; a form the file no longer reads into
        is deleted (a tombstone in the change log). A failed read of a file
        whose records are stored keeps them: the bytes are the same, so the
        failure (an OCR engine that could not run, a bug) says nothing new
        about them; the file is marked failed and the next run retries it.
        """
        now = now_iso()
        with self.writing() as conn:
            known = conn.execute(select(files.c.seq).where(files.c.sha256 == sha256)).scalar()
            old = {
                index: with_id(Record.model_validate_json(js), f"{sha256}:{index}")
                for index, js in conn.execute(
                    select(forms.c.form_index, forms.c.record_json).where(forms.c.sha256 == sha256)
                )
            }
            keep_old = result.status == "failed" and bool(old)
            values = dict(
                status=result.status,
                error=result.error,
                pages=result.pages,
                ocr_pages=result.ocr_pages,
                forms=len(old) if keep_old else len(result.records),
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
            if keep_old:
                log.info("%s: the new read failed; its %d stored records are kept", sha256[:12], len(old))
                return
            decisions: dict[int, list[dict]] = {}
            for row in conn.execute(select(corrections).where(corrections.c.sha256 == sha256)):
                decisions.setdefault(row.form_index, []).append(dict(row._mapping))
            last = last_revisions(conn, [f"{sha256}:{index}" for index in range(len(result.records))])
            for index, extracted in enumerate(result.records):
                record = reapply(extracted, decisions.get(index, []), old.get(index))  # a new record: theirs is left
                record.record_id = f"{sha256}:{index}"
                previous = old.get(index)
                if previous is not None and content_key(previous) == content_key(record):
                    continue  # read the same: the stored revision stands
                record.revision = last.get(record.record_id, 0) + 1  # deleted revisions count: never back
                record.updated_at = now
                record_json = record.model_dump_json()  # kept twice: the revision and the current record
                why = "extracted" if record.revision == 1 else "re-read"
                change = log_revision(conn, record, why, now, record_json=record_json)
                versions = {item.field: change for item in record.review}
                write_record(
                    conn, sha256, index, record, versions, stored=previous is not None, record_json=record_json
                )
            for index in sorted(set(old) - set(range(len(result.records)))):
                self.delete_record(conn, old[index], now)
            conn.execute(delete(page_reads).where(page_reads.c.sha256 == sha256))
            insert_page_reads(conn, sha256, result.records)

    @staticmethod
    def delete_record(conn: Connection, record: Record, at: str) -> None:
        """Delete a stored record, keeping its last content as a 'deleted' revision and a tombstone."""
        record_id = record.record_id
        gone = record.model_copy(update={"revision": next_revision(conn, record_id), "updated_at": at})
        log_revision(conn, gone, "deleted", at, kind="tombstone")
        for table in RECORD_TABLES:
            conn.execute(delete(table).where(table.c.record_id == record_id))
        conn.execute(delete(forms).where(forms.c.record_id == record_id))


def _store_id(conn: Connection) -> str:
    """This store's id, made once: a cursor from another store is refused, not misread."""
    found = conn.execute(select(store_info.c.value).where(store_info.c.key == "store_id")).scalar()
    if found:
        return found
    made = uuid.uuid4().hex[:16]
    conn.execute(insert(store_info).values(key="store_id", value=made))  # under the writers' lock: once
    return made


def _backfill_history(conn: Connection) -> None:
    """Records stored before revisions were kept get their first revision and change now."""
    missing = conn.execute(
        select(forms.c.record_id, forms.c.record_json).where(
            forms.c.record_id.not_in(select(record_revisions.c.record_id))
        )
    ).all()
    at = now_iso()
    for record_id, js in missing:
        record = with_id(Record.model_validate_json(js), record_id)
        record.updated_at = record.updated_at or at
        log_revision(conn, record, "extracted", at)
        conn.execute(update(forms).where(forms.c.record_id == record_id).values(revision=record.revision))
    if missing:
        log.info("gave %d records stored by an older version their first revision", len(missing))


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; crash safe
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin, not the driver


def _sqlite_begin(conn: Connection) -> None:
    """A write transaction takes the write lock at once; a read one sees one snapshot throughout."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("store_write") else "BEGIN")
