"""The command line: the one place that reads arguments and maps errors to exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from pathlib import Path

from extract import __version__
from extract.errors import ExitCode, ExtractError, UsageError, exit_code_epilog
from extract.settings import FormSettings, LimitSettings, OcrSettings, Settings

EPILOG = exit_code_epilog()


def _settings(args: argparse.Namespace) -> Settings:
    ocr = OcrSettings(
        engine=getattr(args, "engine", "rapidocr"),
        dpi=getattr(args, "dpi", 200),
        model_dir=getattr(args, "model_dir", None),
        device=getattr(args, "device", "cpu"),
    )
    if ocr.device != "cpu":
        from extract.ocr.registry import check_device

        why = check_device(ocr)
        if why is not None:
            raise UsageError(why)  # before any work: the option cannot be met on this machine
    learned = getattr(args, "vocabulary", None)
    if learned is None and getattr(args, "command", "") == "ingest":
        learned = args.out / "vocabulary.user.json"  # what reviewers of this store taught (review --alias)
    forms = FormSettings(
        definition_dirs=tuple(str(d) for d in getattr(args, "definitions", None) or ()),
        learned_vocabulary=str(learned) if learned else None,
    )
    return Settings(ocr=ocr, forms=forms, limits=_limits(args), force_ocr=getattr(args, "force_ocr", False))


def _limits(args: argparse.Namespace) -> LimitSettings:
    default = LimitSettings()
    given = {
        "max_pages": getattr(args, "max_pages", None),
        "max_megapixels": getattr(args, "max_pixels", None),
        "page_timeout": getattr(args, "page_timeout", None),
        "file_timeout": getattr(args, "file_timeout", None),
        "max_memory_mb": getattr(args, "max_memory", None),
        "max_file_mb": getattr(args, "max_file_size", None),
    }
    chosen = {name: value for name, value in given.items() if value is not None}
    if "max_file_mb" in chosen:  # a bigger input is allowed in an archive as large
        chosen["max_archive_mb"] = max(default.max_archive_mb, chosen["max_file_mb"])
    try:
        return LimitSettings(**chosen)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _add_limit_options(parser: argparse.ArgumentParser) -> None:
    d = LimitSettings()
    group = parser.add_argument_group(
        "limits (what one input may cost; past one, that input fails with the reason and the rest go on)"
    )
    group.add_argument(
        "--max-pages", type=int, metavar="N", help=f"pages of one file (default {d.max_pages:,})", default=None
    )
    group.add_argument(
        "--max-pixels",
        type=float,
        metavar="MP",
        default=None,
        help=f"megapixels of a page image at --dpi, or of an image in the file, checked before decoding "
        f"(a decompression-bomb guard; default {d.max_megapixels:g})",
    )
    group.add_argument(
        "--page-timeout",
        type=float,
        metavar="S",
        default=None,
        help=f"seconds one page may take; 0: no limit (default {d.page_timeout:g}; a scanned page takes ~3)",
    )
    group.add_argument(
        "--file-timeout",
        type=float,
        metavar="S",
        default=None,
        help=f"seconds one file may take; 0: no limit (default {d.file_timeout:g})",
    )
    group.add_argument(
        "--max-memory",
        type=int,
        metavar="MB",
        default=None,
        help=f"memory of its own one worker process may hold while reading a file; 0: no limit "
        f"(default {d.max_memory_mb:,})",
    )
    group.add_argument(
        "--max-file-size",
        type=int,
        metavar="MB",
        default=None,
        help=f"bytes of one input, a zip member once inflated (default {d.max_file_mb:,}); zip members that "
        f"inflate more than {d.max_zip_ratio:g} times, and archives nested deeper than {d.max_zip_depth}, are refused",
    )


def _add_form_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("forms")
    group.add_argument(
        "--definitions",
        action="append",
        type=Path,
        metavar="DIR",
        help="a folder of your own form definitions (YAML, docs/variants.md), read after the packaged ones; "
        "may be given more than once",
    )
    group.add_argument(
        "--vocabulary",
        type=Path,
        metavar="FILE",
        help="aliases reviewers saved (vocabulary.user.json, docs/exports.md), read after the packaged vocabulary; "
        "ingest reads DIR/vocabulary.user.json by itself",
    )


def _add_ocr_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("OCR (pages with no text layer)")
    group.add_argument(
        "--engine",
        default="rapidocr",
        help="OCR engine: rapidocr (default, PP-OCR models inside its wheel, offline), "
        "paddleocr (needs the [paddle] extra and --model-dir), tesseract",
    )
    group.add_argument(
        "--dpi", type=int, default=200, help="resolution scanned PDF pages are rendered at for OCR (default 200)"
    )
    group.add_argument("--model-dir", default=None, help="folder holding PP-OCR model folders, for --engine paddleocr")
    group.add_argument("--force-ocr", action="store_true", help="OCR every page, even where a text layer exists")
    group.add_argument(
        "--device",
        choices=["cpu", "cuda"],
        default="cpu",
        help="where rapidocr's models run: cpu (default), or cuda (a GPU through ONNX Runtime's CUDA provider; "
        "needs onnxruntime-gpu; exits 2 and says why where there is none)",
    )


def _ingest_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract ingest: many files into a store."""
    ingest = sub.add_parser(
        "ingest",
        help="extract every form of many files into a store and DIR/records.jsonl",
        description="Read PDFs and images (PNG, JPEG, TIFF), folders of them (recursively) and .zip "
        "archives. Every file's results go to a store (DIR/filings.sqlite, or --db) in one "
        "transaction each; DIR/records.jsonl is then rewritten from the store, one record "
        "per form in input order. Files are known by the SHA-256 of their bytes: a second "
        "run skips those already done, so an interrupted run resumes where it stopped. A "
        "file that cannot be read is recorded with its reason and the rest go on.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .zip archives")
    ingest.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    ingest.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help=f"worker processes, each with its own OCR engine (default: cores, {os.cpu_count()} here)",
    )
    ingest.add_argument("--force", action="store_true", help="redo files already done")
    ingest.add_argument(
        "--db",
        default=None,
        metavar="URL",
        help="store into this SQLAlchemy database URL instead of DIR/filings.sqlite, "
        "e.g. postgresql+psycopg://user:pw@host/db (needs filing-extract[postgres])",
    )
    ingest.add_argument(
        "--executor",
        choices=["local", "ray"],
        default="local",
        help="local worker processes (default), or a Ray cluster (needs "
        "filing-extract[ray]; RAY_ADDRESS points at an existing cluster)",
    )
    ingest.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    ingest.add_argument(
        "-v", "--verbose", action="store_true", help="print every flagged field, and the traceback of an internal error"
    )
    _add_form_options(ingest)
    _add_ocr_options(ingest)
    _add_limit_options(ingest)


def _extract_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract extract: one file to JSON on stdout."""
    one = sub.add_parser(
        "extract",
        help="print the records of one file as JSON",
        description="Extract every form of one file and print its records to stdout as a JSON "
        "array. Messages go to stderr, so stdout can be piped to other tools.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    one.add_argument("file", type=Path, metavar="FILE")
    one.add_argument(
        "-v", "--verbose", action="store_true", help="say more: every warning, and the traceback of an internal error"
    )
    _add_form_options(one)
    _add_ocr_options(one)
    _add_limit_options(one)


def _export_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract export: the store for other systems."""
    exp = sub.add_parser(
        "export",
        help="export an ingest's store as jsonl, csv, xlsx or parquet",
        description="Export what `ingest` stored in DIR (or --db) for other systems. csv and xlsx are "
        "flattened for spreadsheets: forms, indicators and funds tables (and review items), "
        "joined by record_id, each column headed 'field_name 中文标签'. parquet keeps types: "
        "decimals stay decimals. With --since (or --cursor-file) only the records created or "
        "changed after the cursor are written, and tombstones for those deleted; the new cursor "
        "is printed on stdout (or kept in --cursor-file). docs/exports.md describes every file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of an ingest")
    exp.add_argument("--format", choices=["jsonl", "csv", "xlsx", "parquet"], default="jsonl")
    exp.add_argument(
        "--out", type=Path, default=None, help="folder to write (default: DIR/export-FORMAT); '-': jsonl to stdout"
    )
    exp.add_argument("--db", default=None, metavar="URL", help="read this database instead of DIR's")
    exp.add_argument("--no-review", action="store_true", help="leave the review flags out")
    exp.add_argument(
        "--since", default=None, metavar="CURSOR", help="only what changed after this cursor (a previous export's)"
    )
    exp.add_argument(
        "--cursor-file",
        type=Path,
        default=None,
        metavar="F",
        help="read the cursor from F when --since is not given (none yet: a full export), and write the new one "
        "to F once the export is complete",
    )
    exp.add_argument(
        "--csv-raw",
        action="store_true",
        help="csv: leave text cells that begin with = + - @ as they are (by default they get a ' before them, "
        "so a spreadsheet does not run them as formulas); for machine readers",
    )


def _schema_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract schema: the published record contract."""
    schema = sub.add_parser(
        "schema",
        help="print the record contract as JSON Schema (docs/record.schema.json)",
        description="Print the record contract (docs/records.md) as JSON Schema, generated from the pydantic "
        "models: what every line of records.jsonl and of the jsonl export is. --sql prints PostgreSQL "
        "tables for the csv export; --columns the column reference of docs/exports.md.",
    )
    what = schema.add_mutually_exclusive_group()
    what.add_argument("--sql", action="store_true", help="CREATE TABLE statements for the exported tables")
    what.add_argument("--columns", action="store_true", help="the exported tables' columns and types, as Markdown")


def _bench_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract bench: accuracy and speed beside peers."""
    bench = sub.add_parser(
        "bench",
        help="measure accuracy, review quality, calibration and speed on labelled files, beside peers",
        description="Run the pipeline over labelled files (each beside NAME.gold.jsonl in the contract's shape): "
        "the bundled samples (SAMPLES_DIR/text, SAMPLES_DIR/scans/GRADE) and the parts of a corpus built by "
        "`python -m samples.corpus` (--corpus). Reports, per source x part x profile and by printer: fields right "
        "(by category), forms exactly right/missed/invented, wrong fields flagged and unflagged, right fields "
        "flagged, review items a form, CER of long texts, seconds a page by stage; per profile a reliability "
        "table of confidence and the review threshold's trade-off; and speed: raw full-page OCR on the same "
        "pages, table peers on the same pages (camelot lattice and PyMuPDF find_tables on text pages; "
        "img2table + Tesseract on scans with --speed-peers), peak memory, start-up time. The sealed part comes "
        "first and is marked SEALED: it is scored only to report, never to tune on. Also Tesseract and native "
        "PaddleOCR as the pipeline's engine (--ocr-peers) and the table layer on the public datasets. Writes "
        "bench.json, bench.md and bench.png to --out; progress goes to stderr, the summary to stdout.",
    )
    bench.add_argument(
        "samples",
        nargs="?",
        default="samples",
        metavar="SAMPLES_DIR",
        help="the bundled samples (default: samples); '' to leave them out",
    )
    src = bench.add_argument_group("what to run on")
    src.add_argument("--no-samples", action="store_true", help="leave the bundled samples out")
    src.add_argument(
        "--corpus", type=Path, default=None, metavar="DIR", help="a corpus root: DIR/dev, DIR/sealed (or one part)"
    )
    src.add_argument(
        "--parts", default="", metavar="LIST", help="corpus parts, comma-separated: dev,sealed (default: those present)"
    )
    src.add_argument(
        "--build",
        action="store_true",
        help="build the asked parts (default dev,sealed) that --corpus lacks, with the asked profiles and printers "
        "(python -m samples.corpus; needs chromium and LibreOffice; minutes a part)",
    )
    src.add_argument("--build-forms", type=int, default=None, metavar="N", help="forms in a part built (default 40)")
    src.add_argument(
        "--profile",
        default="",
        metavar="LIST",
        help="comma-separated profiles, for both sources: text, clean, office, poor (samples only), archive, "
        "bitonal (corpus only); default: every profile each source has",
    )
    src.add_argument(
        "--printers", default="", metavar="LIST", help="corpus printers, comma-separated: html,xlsx,docx (default: all)"
    )
    src.add_argument(
        "--files",
        type=int,
        default=None,
        metavar="N",
        help="at most N files a printer x profile (a profile, for the bundled samples; default: all)",
    )
    src.add_argument(
        "--quick",
        action="store_true",
        help="a fast look: --files 2, 3 start-up runs, no OCR peers or public datasets unless asked for",
    )
    peers = bench.add_argument_group("speed and peers")
    peers.add_argument(
        "--speed-files",
        type=int,
        default=1,
        metavar="N",
        help="files of each printer x profile that raw full-page OCR and the table peers run on (default 1)",
    )
    peers.add_argument(
        "--speed-peers",
        action="store_true",
        help="also run img2table + Tesseract on the scans (makes .venv-img2table on first use, "
        "benchmarks/peers_env.py; slow: about 10 s a page)",
    )
    peers.add_argument(
        "--ocr-peers",
        default=None,
        metavar="PROFILES",
        help="profiles of the bundled samples Tesseract and native PaddleOCR also run on as the pipeline's engine "
        "(default: office; '' for none)",
    )
    peers.add_argument(
        "--startup-runs", type=int, default=None, metavar="N", help="runs of the start-up timing (default 5; 0: none)"
    )
    peers.add_argument(
        "--datasets",
        default=None,
        metavar="DIR",
        help="public table datasets (camelot cases, ICDAR 2013; default ../shared/datasets); '' to leave out",
    )
    bench.add_argument(
        "--out", type=Path, default=Path("benchmarks/latest"), metavar="DIR", help="report folder (%(default)s)"
    )


def _inspect_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract inspect: draw what each stage saw on a page."""
    ins = sub.add_parser(
        "inspect",
        help="draw what the pipeline saw on each page: rules, cells, OCR lines, fields, flags",
        description="Run one file through the pipeline and draw, on each page image, the ruling lines found "
        "(blue), the cells (green, with row,col), the OCR lines with their scores (orange), the box of each "
        "header field mapped (purple, with its path) and every flagged field with its reason (red). Writes "
        "DIR/page-NNN.png and DIR/page-NNN.json (the same facts, for tools). A form that came out wrong: "
        "look here first.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ins.add_argument("file", type=Path, metavar="FILE")
    ins.add_argument("--page", type=int, action="append", metavar="N", help="only page N (1-based); may repeat")
    ins.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the drawings")
    _add_form_options(ins)
    _add_ocr_options(ins)


def _review_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract review: the review web app, its QA sample, and the Label Studio round trip."""
    rev = sub.add_parser(
        "review",
        help="review flagged fields in a local web app (keyboard first), or round-trip them through Label Studio",
        description="Start a local web app over the review queue of the store in DIR (or --db): every open "
        "review item, least confident first, with the crop of the page around the value, the reason, the "
        "confidence and the fields beside it. Enter accepts, typing corrects, u undoes; ? lists the keys. "
        "Every decision is audited in the store. The server binds 127.0.0.1 and prints a URL with a random "
        "token; nothing is served without it. docs/review.md is the guide.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rev.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of an ingest")
    rev.add_argument("--db", default=None, metavar="URL", help="review this database instead of DIR/filings.sqlite")
    rev.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="the name decisions are audited under (default: your login name); a browser may give its own "
        "with &reviewer=NAME on the link",
    )
    rev.add_argument(
        "--blind",
        choices=["amounts"],
        default=None,
        help="amounts: blind double entry; the reviewer types each decimal field from the crop without "
        "seeing what was read, and a mismatch is shown and resolved there",
    )
    rev.add_argument(
        "--sample",
        default=None,
        metavar="SHARE",
        help="draw a QA sample first: this share of the unflagged fields (e.g. 1%%) joins the queue, marked "
        "as a sample; --stats then reports its error rate",
    )
    rev.add_argument("--seed", type=int, default=None, help="the QA sample's random seed (default: a new one)")
    rev.add_argument(
        "--sources",
        action="append",
        type=Path,
        metavar="DIR",
        help="also look for the source files here (the store keeps the paths ingest was given; by default "
        "they are looked for from the current folder, DIR and DIR's parent); may repeat",
    )
    server = rev.add_argument_group("the web server")
    server.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    server.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    server.add_argument(
        "--allow-remote",
        action="store_true",
        help="needed with a --host other than loopback: anyone on the network with the link can then review, "
        "and plain HTTP carries the token in clear",
    )
    other = rev.add_argument_group("instead of serving").add_mutually_exclusive_group()
    other.add_argument(
        "--stats", action="store_true", help="print the review's counts and the QA sample's error rate, and exit"
    )
    other.add_argument(
        "--export-label-studio",
        type=Path,
        default=None,
        metavar="OUT",
        help="write a Label Studio project into OUT: config.xml (the labeling config), images/ (the page "
        "images) and tasks.json (a task per page with a prediction per field), and exit",
    )
    other.add_argument(
        "--import-label-studio",
        type=Path,
        default=None,
        metavar="EXPORT.json",
        help="apply the corrections of Label Studio's full JSON export of those tasks through the audit "
        "trail, and exit (exit 1 when some could not be applied: each is listed)",
    )


def _paddle_models_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract paddle-models: model folders for native PaddleOCR."""
    paddle = sub.add_parser(
        "paddle-models",
        help="write PaddleOCR model folders (with inference.yml) for --engine paddleocr",
        description="Write the model folders native PaddleOCR needs (inference.onnx + inference.yml) "
        "around PP-OCR ONNX files: by default the ones inside the rapidocr wheel. Then run "
        "`filing-extract ingest ... --engine paddleocr --model-dir DIR` in the environment "
        "that has filing-extract[paddle].",
    )
    paddle.add_argument("out", type=Path, metavar="DIR")
    paddle.add_argument("--det", type=Path, default=None, help="detection model .onnx (default: rapidocr's)")
    paddle.add_argument("--rec", type=Path, default=None, help="recognition model .onnx (default: rapidocr's)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="filing-extract",
        description="Turn scanned and digital fiscal performance forms (绩效目标申报表, 绩效自评表) "
        "into validated records, one per form, as docs/records.md specifies.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"filing-extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = (
        _ingest_command,
        _extract_command,
        _export_command,
        _schema_command,
        _inspect_command,
        _bench_command,
        _review_command,
        _paddle_models_command,
    )
    for add in commands:
        add(sub)
    return parser


def cmd_export(args: argparse.Namespace) -> int:
    from extract.errors import UsageError
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
    import logging
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

    from extract.errors import MissingDependencyError, UsageError
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

    result = run_file(args.file, _settings(args))  # in a worker process, under the limits
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

    result, layouts = Extractor(_settings(args)).extract_with_layouts(args.file)
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
    from extract.errors import UsageError
    from extract.forms.library import FormLibrary
    from extract.ingest.progress import Progress
    from extract.ingest.run import run_ingest
    from extract.ingest.store import sqlite_url

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.db:
        _open_store(args.db).close()  # a missing database driver is a usage error, before any work
    settings = _settings(args)
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


def run_command(args: argparse.Namespace) -> int:
    """The one handler that maps every failure to an exit code (OCRmyPDF's cli_exception_handler)."""
    verbose = getattr(args, "verbose", False)
    try:
        return int(COMMANDS[args.command](args))
    except ExtractError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"error: {ExitCode.INTERRUPTED.meaning}", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): not an error of ours.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until the process exits
        return int(ExitCode.OK)
    except Exception as exc:
        print(
            f"error: internal error, please report it with the input file: {type(exc).__name__}: {exc}"
            + ("" if verbose else " (--verbose shows the traceback)"),
            file=sys.stderr,
        )
        if verbose:
            traceback.print_exc(file=sys.stderr)
        return int(ExitCode.INTERNAL)


def _skip_pymupdf_extras() -> None:
    """Keep `import pymupdf` from loading pymupdf.layout and pymupdf4llm (1.3 s, an ONNX layout
    model this project never calls): a None in sys.modules makes their import fail, which pymupdf
    expects when they are not installed. Only where pymupdf is not imported yet."""
    if "pymupdf" in sys.modules:
        return
    for name in ("pymupdf.layout", "pymupdf4llm"):
        sys.modules.setdefault(name, None)  # type: ignore[assignment]
    os.environ.setdefault("PYMUPDF_SUGGEST_LAYOUT_ANALYZER", "0")  # and no advice to install it on stdout


def main(argv: list[str] | None = None) -> int:
    _skip_pymupdf_extras()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("extract").setLevel(logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    import pymupdf

    # MuPDF's own warnings on damaged files would interleave with ours.
    pymupdf.TOOLS.mupdf_display_errors(False)
    return run_command(args)


if __name__ == "__main__":
    raise SystemExit(main())
