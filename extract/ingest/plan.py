"""Plan a batch: hash every input, group identical bytes, leave out what is done.

Inputs are identified by the SHA-256 of their bytes: a file already done is
skipped on the next run (unless forced), the same bytes under two names are
read once with both paths recorded. Hashing a zip member inflates it (as a
stream, under the limits); its bytes are kept for its job while a memory budget
allows, so it is not inflated twice. An input that cannot be read, for any
reason, becomes a failed result of its own; the others go on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extract.datamodel.result import FileResult
from extract.errors import ExitCode, ExtractError
from extract.ingest.archive import MemberError
from extract.ingest.inputs import InputFile, InputProblem, InputReader
from extract.read.document import sha256_of
from extract.settings import LimitSettings

if TYPE_CHECKING:  # the store (SQLAlchemy) is loaded by whoever plans, not by a one-file `extract`
    from extract.ingest.store import Store


@dataclass
class Job:
    sha256: str
    item: InputFile
    paths: list[str]
    order: int = 0  # position among this run's inputs: records.jsonl keeps input order
    data: bytes | None = None  # the bytes, when hashing already read them (zip members)


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unreadable: list[FileResult] = field(default_factory=list)


def unreadable(item: InputFile, exc: BaseException) -> FileResult:
    """The failed result of an input that could not even be read (from disk, or out of its archive)."""
    result = FileResult(item.name)
    if isinstance(exc, MemberError):
        verb = "is refused" if exc.refused else "cannot be read"
        result.fail(f"{item.name} {verb}: {exc.reason}.", ExitCode.INPUT_FAILED)
    elif isinstance(exc, ExtractError):
        result.fail(exc.message, exc.exit_code)
    elif isinstance(exc, OSError):
        result.fail(f"{item.name} cannot be read: {exc.strerror or exc}.", ExitCode.INPUT_FAILED)
    elif isinstance(exc, MemoryError):
        result.fail(f"{item.name} cannot be read: it needs more memory than is free.", ExitCode.INPUT_FAILED)
    else:
        result.fail(
            f"internal error reading {item.name}: {type(exc).__name__}: {exc}. "
            "This is a bug; please report it with the input file.",
            ExitCode.INTERNAL,
            "".join(traceback.format_exception(exc)),
        )
    return result


def problem_result(problem: InputProblem) -> FileResult:
    """An input that could not be listed (a damaged archive, a refused member), as a failed result."""
    result = FileResult(problem.name)
    code = ExitCode.INPUT_FAILED if problem.traceback is None else ExitCode.INTERNAL
    result.fail(problem.reason, code, problem.traceback)
    return result


def failure_key(name: str, occurrence: int = 1) -> str:
    """The store key of an input that has no bytes to hash: stable, so a later run updates it."""
    return sha256_of(f"unreadable input\0{name}\0{occurrence}".encode())


def plan_jobs(items: list[InputFile], store: Store, force: bool, limits: LimitSettings | None = None) -> Plan:
    """Hash every input; group identical bytes; leave out what the store has done."""
    limits = limits or LimitSettings()
    plan = Plan()
    by_sha: dict[str, Job] = {}
    done_before: list[Job] = []
    budget = limits.keep_mb << 20
    with InputReader(limits) as reader:
        for item in items:
            try:
                data, digest = reader.read(item)
            except Exception as exc:  # one input's failure is its own: the batch goes on
                plan.unreadable.append(unreadable(item, exc))
                continue
            if digest in by_sha:
                by_sha[digest].paths.append(item.name)
                continue
            job = Job(digest, item, [item.name], order=len(by_sha))
            by_sha[digest] = job
            stored = store.file(digest)
            if stored is not None and stored.status == "done" and not force:
                plan.skipped.append(item.name)
                done_before.append(job)
                continue
            if data is not None and len(data) <= budget:
                job.data, budget = data, budget - len(data)
            plan.jobs.append(job)
    # Paths of skipped files (and duplicates of them) are still recorded.
    for job in done_before:
        for path in job.paths:
            store.add_path(job.sha256, path)
    return plan
