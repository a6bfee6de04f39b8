"""Plan a batch: hash every input, group identical bytes, leave out what is done.

Inputs are identified by the SHA-256 of their bytes: a file already done is
skipped on the next run (unless forced), the same bytes under two names are
read once with both paths recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.datamodel.result import FileResult
from extract.errors import ExitCode
from extract.ingest.inputs import InputFile
from extract.ingest.store import Store
from extract.read.document import sha256_of


@dataclass
class Job:
    sha256: str
    item: InputFile
    paths: list[str]
    order: int = 0  # position among this run's inputs: records.jsonl keeps input order


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unreadable: list[FileResult] = field(default_factory=list)


def unreadable(item: InputFile, exc: OSError) -> FileResult:
    """The failed result of an input that could not even be read from disk."""
    result = FileResult(item.name)
    result.fail(f"{item.name} cannot be read ({exc.strerror or exc}).", ExitCode.INPUT_FAILED)
    return result


def plan_jobs(items: list[InputFile], store: Store, force: bool) -> Plan:
    """Hash every input; group identical bytes; leave out what the store has done."""
    plan = Plan()
    by_sha: dict[str, Job] = {}
    done_before: list[Job] = []
    for item in items:
        try:
            digest = sha256_of(item.read_bytes())
        except OSError as exc:
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
        plan.jobs.append(job)
    # Paths of skipped files (and duplicates of them) are still recorded.
    for job in done_before:
        for path in job.paths:
            store.add_path(job.sha256, path)
    return plan
