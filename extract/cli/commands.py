"""What each command does, once its arguments are read; each returns its exit code."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from extract.cli.options import settings_from_args
from extract.errors import ExitCode, UsageError


def cmd_export(args: argparse.Namespace) -> int:
    from extract.ingest.changes import read_cursor_file, write_cursor_file
    from extract.ingest.faults import store_failure
    from extract.ingest.store import sqlite_url

    if args.db is None and not (args.dir / "filings.sqlite").exists():
        raise UsageError(
            f"{args.dir} holds no filings.sqlite; run `filing-extract ingest ... --out {args.dir}` first, or pass --db"
        )
    to_stdout = str(args.out) == "-"
    since = args.since if args.since is not None else read_cursor_file(args.cursor_file) if args.cursor_file else None
    url = args.db or sqlite_url(args.dir)
    try:
        store = _open_store(url)
        try:
            result = _export(args, store, since, to_stdout)
        finally:
            store.close()
    except Exception as exc:
        failure = store_failure(exc, url, str(args.dir))  # the database is unreachable: exit 75, not a bug
        if failure is None:
            raise
        raise failure from exc
    for path in result.paths:
        print(f"wrote {path}", file=sys.stderr)
    print(
        f"{result.upserts} records, {result.tombstones} tombstones" + (f" changed after {since}" if since else ""),
        file=sys.stderr,
    )
    if args.cursor_file:
        write_cursor_file(args.cursor_file, result.cursor)
    elif to_stdout:
        print(f"cursor: {result.cursor}", file=sys.stderr)
    else:
        print(result.cursor)
    return ExitCode.OK


def _export(args: argparse.Namespace, store, since: str | None, to_stdout: bool):
    from extract.ingest.export import export_changes

    return export_changes(
        store,
        args.format,
        None if to_stdout else args.out or args.dir / f"export-{args.format}",
        with_review=not args.no_review,
        since=since,
        csv_raw=args.csv_raw,
        stream=sys.stdout if to_stdout else None,
    )


def cmd_schema(args: argparse.Namespace) -> int:
    from extract.ingest.columns import columns_markdown, postgres_ddl
    from extract.ingest.schema import schema_text

    print(postgres_ddl() if args.sql else columns_markdown() if args.columns else schema_text(), end="")
    return ExitCode.OK


def cmd_bench(args: argparse.Namespace) -> int:
    import warnings

    from extract.bench.inputs import split_list
    from extract.bench.report import summary_text
    from extract.bench.run import BenchOptions, run_bench

    # Peers (camelot, pdfminer) warn about every odd PDF in the public datasets.
    warnings.filterwarnings("ignore", module="camelot")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    logging.getLogger("camelot").setLevel(logging.ERROR)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    datasets = args.datasets if args.datasets is not None else (None if args.quick else "../shared/datasets")
    ocr_peers = args.ocr_peers if args.ocr_peers is not None else ("" if args.quick else "office")
    startup_runs = args.startup_runs if args.startup_runs is not None else (3 if args.quick else 5)
    options = BenchOptions(
        out=args.out,
        samples=None if args.no_samples or not args.samples else Path(args.samples),
        corpus=args.corpus,
        parts=split_list(args.parts),
        build=args.build,
        build_forms=args.build_forms,
        profiles=split_list(args.profile),
        printers=split_list(args.printers),
        files=args.files if args.files is not None else (2 if args.quick else None),
        speed_files=args.speed_files,
        speed_peers=args.speed_peers,
        ocr_peers=split_list(ocr_peers),
        datasets=Path(datasets) if datasets else None,
        startup_runs=startup_runs,
        quick=args.quick,
    )
    report = run_bench(options, lambda text: print(text, file=sys.stderr, flush=True))
    print(summary_text(report))
    print(f"report: {args.out / 'bench.md'}", file=sys.stderr)
    return ExitCode.OK


def cmd_review(args: argparse.Namespace) -> int:
    import getpass
    import random

    from extract.errors import MissingDependencyError
    from extract.ingest.store import sqlite_url

    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as exc:
        raise MissingDependencyError("filing-extract review", "review", str(exc)) from None
    from extract.ingest.review_queue import review_stats, sample_unflagged
    from extract.review.config import ReviewConfig, is_loopback, parse_share
    from extract.review.ls_export import export_label_studio
    from extract.review.ls_import import NotAnExport, import_label_studio
    from extract.review.server import bind, check_host, serve, url_of
    from extract.review.sources import SourceMissing

    if args.db is None and not (args.dir / "filings.sqlite").exists():
        raise UsageError(
            f"{args.dir} holds no filings.sqlite; run `filing-extract ingest ... --out {args.dir}` first, or pass --db"
        )
    try:
        share = parse_share(args.sample) if args.sample else None
    except ValueError as exc:
        raise UsageError(f"--sample: {exc}") from None
    roots = (*(args.sources or ()), args.dir, args.dir.resolve().parent)
    config = ReviewConfig(
        out_dir=args.dir,
        reviewer=args.reviewer or getpass.getuser(),
        blind=frozenset([args.blind] if args.blind else []),
        source_roots=tuple(roots),
        host=args.host,
        port=args.port,
        allow_remote=args.allow_remote,
    )
    check_host(config)
    store = _open_store(args.db or sqlite_url(args.dir))
    try:
        if share is not None:
            seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
            chosen = sample_unflagged(store, share, seed)
            print(f"QA sample: {len(chosen)} unflagged fields joined the queue (seed {seed})", file=sys.stderr)
        if args.stats:
            s = review_stats(store)
            counts = s.by_status
            print(
                f"review items: {counts['open']} open, {counts['confirmed']} confirmed, {counts['corrected']} corrected"
            )
            print(f"QA sample: {s.sample_checked} checked, {s.sample_wrong} wrong, {s.sample_open} open")
            if s.error_rate is not None and s.interval is not None:
                low, high = s.interval
                print(f"QA sample error rate: {s.error_rate:.1%} (95% Wilson interval {low:.1%} to {high:.1%})")
            return ExitCode.OK
        if args.export_label_studio:
            try:
                done = export_label_studio(store, args.export_label_studio, config.source_roots)
            except SourceMissing as exc:
                raise UsageError(str(exc)) from None
            print(f"wrote {done.config}, {done.tasks} and {len(done.images)} page images ({done.fields} fields)")
            return ExitCode.OK
        if args.import_label_studio:
            try:
                summary = import_label_studio(store, args.import_label_studio, args.reviewer)
            except NotAnExport as exc:
                raise UsageError(str(exc)) from None
            for line in summary.conflicts + summary.problems:
                print(f"not applied: {line}", file=sys.stderr)
            print(
                f"{summary.tasks} tasks, {summary.annotated} annotated: {len(summary.corrected)} corrections applied, "
                f"{summary.unchanged} values unchanged, {summary.already} already in the store, "
                f"{len(summary.conflicts)} stale, {len(summary.problems)} not understood"
            )
            return ExitCode.INPUT_FAILED if summary.conflicts or summary.problems else ExitCode.OK
        if not is_loopback(config.host):
            print(
                f"warning: listening on {config.host}, reachable from other machines: anyone with the link can "
                "review, and plain HTTP carries its token in clear",
                file=sys.stderr,
            )
        sock, config = bind(config)
        print(url_of(config), flush=True)
        print("open the link above in a browser (it carries the token); Ctrl+C stops the server", file=sys.stderr)
        serve(store, config, sock)
    finally:
        store.close()
    return ExitCode.OK


def cmd_paddle_models(args: argparse.Namespace) -> int:
    from extract.ocr.paddle import prepare_model_dirs
    from extract.ocr.rapid import RapidOcrEngine

    packaged = {p.name: p for p in RapidOcrEngine.model_files()}
    det = args.det or next(p for n, p in packaged.items() if "_det_" in n)
    rec = args.rec or next(p for n, p in packaged.items() if "_rec_" in n)
    for folder in prepare_model_dirs(args.out, det, rec):
        print(folder)
    return ExitCode.OK


def _open_store(url: str):
    """The store at `url`; a database driver that is not installed is a missing extra."""
    from extract.errors import MissingDependencyError
    from extract.ingest.store import Store

    try:
        return Store(url)
    except ModuleNotFoundError as exc:
        if url.startswith("postgresql"):
            raise MissingDependencyError(f"--db {url.split(':', 1)[0]}", "postgres", str(exc)) from None
        raise


def cmd_extract(args: argparse.Namespace) -> int:
    from extract.ingest.executors.local import run_file

    result = run_file(args.file, settings_from_args(args))  # in a worker process, under the limits
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.status == "failed":
        print(f"error: {result.error}", file=sys.stderr)
        if args.verbose and result.traceback:
            print(result.traceback.rstrip(), file=sys.stderr)
        return result.error_code
    records = [json.loads(rec.model_dump_json()) for rec in result.records]
    json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return ExitCode.OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from extract.inspect.draw import inspect_file
    from extract.pipeline import Extractor
    from extract.read.document import open_document

    result, layouts = Extractor(settings_from_args(args)).extract_with_layouts(args.file)
    if not layouts:
        print(f"error: {result.error}", file=sys.stderr)
        return result.error_code
    if result.status == "failed":
        print(f"warning: {result.error} (drawing what was read)", file=sys.stderr)
    document = open_document(args.file)
    try:
        for drawing in inspect_file(document.doc, result, layouts, args.out, args.page):
            print(drawing.png)
    finally:
        document.close()
    return ExitCode.OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from extract.forms.library import FormLibrary
    from extract.ingest.progress import Progress
    from extract.ingest.run import run_ingest
    from extract.ingest.store import sqlite_url

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.db:
        _open_store(args.db).close()  # a missing database driver is a usage error, before any work
    settings = settings_from_args(args)
    FormLibrary.load(settings.forms.definition_dirs)  # a bad definition file is a usage error, before any work
    args.out.mkdir(parents=True, exist_ok=True)
    summary = run_ingest(
        args.paths,
        args.out,
        settings,
        workers=args.workers,
        force=args.force,
        db_url=args.db or sqlite_url(args.out),
        executor=args.executor,
        reporter=Progress(args.quiet),
        verbose=args.verbose,
    )
    if not args.quiet:
        rate = summary.pages / summary.seconds if summary.seconds else 0.0
        print(
            f"{summary.done} files done, {summary.failed} failed, {summary.skipped} skipped "
            f"(already done); {summary.forms} forms, {summary.flagged} fields to review; "
            f"{summary.pages} pages in {summary.seconds:.1f}s ({rate:.2f} pages/s); "
            f"{summary.records} records in {summary.records_file}",
            file=sys.stderr,
        )
    return summary.exit_code


COMMANDS = {
    "inspect": cmd_inspect,
    "extract": cmd_extract,
    "ingest": cmd_ingest,
    "export": cmd_export,
    "schema": cmd_schema,
    "bench": cmd_bench,
    "review": cmd_review,
    "paddle-models": cmd_paddle_models,
}
