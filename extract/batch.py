"""Run many files: each file's records are written as soon as it is done."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from extract.errors import InputFileError
from extract.inputs import collect_inputs
from extract.pipeline import Extractor, FileResult
from extract.settings import Settings

RECORDS = "records.jsonl"


class RecordsWriter:
    """Appends whole lines to a partial file, fsynced per input file.

    The finished file replaces records.jsonl atomically, so a reader never sees
    a torn line, and a crash leaves every finished file's records in the partial.
    """

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.final = out_dir / RECORDS
        self.partial = out_dir / (RECORDS + ".partial")
        self.handle = self.partial.open("w", encoding="utf-8")

    def add(self, result: FileResult) -> None:
        self.handle.write("".join(rec.model_dump_json() + "\n" for rec in result.records))
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()
        os.replace(self.partial, self.final)


def run_ingest(paths: list[str], out_dir: Path, settings: Settings, quiet: bool = False,
               verbose: bool = False) -> int:
    files, problems = collect_inputs(paths)
    if not files and not problems:
        print("error: no PDF or image files found under the given paths", file=sys.stderr)
        return 2
    extractor = Extractor(settings)
    writer = RecordsWriter(out_dir)
    done = failed = forms = flagged = 0
    for problem in problems:
        failed += 1
        print(f"error: {problem.reason}", file=sys.stderr)
    try:
        for item in files:
            try:
                data = item.read_bytes()
            except OSError as exc:
                result = FileResult(item.name, status="failed",
                                    error=str(InputFileError(f"{item.name} cannot be read ({exc}).")))
            else:
                result = extractor.extract_file(Path(item.member or item.path), data)
                result.path = item.name
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            if result.status == "failed":
                failed += 1
                print(f"error: {result.error}", file=sys.stderr)
                continue
            done += 1
            writer.add(result)
            forms += len(result.records)
            n_flags = sum(len(r.review) for r in result.records)
            flagged += n_flags
            if not quiet:
                print(f"ok {item.name}: {len(result.records)} forms, {result.pages} pages, "
                      f"{n_flags} fields to review", file=sys.stderr)
            if verbose:
                for rec in result.records:
                    for review in rec.review:
                        print(f"  review {rec.project_name} {review.field}: {review.reason}",
                              file=sys.stderr)
    finally:
        writer.close()
    if not quiet:
        print(f"{done} files done, {failed} failed; {forms} forms, {flagged} fields to review "
              f"-> {writer.final}", file=sys.stderr)
    return 1 if failed else 0
