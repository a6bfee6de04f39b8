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
from extract.errors import ExitCode, ExtractError, exit_code_epilog
from extract.settings import FormSettings, OcrSettings, Settings

EPILOG = exit_code_epilog()


def _settings(args: argparse.Namespace) -> Settings:
    ocr = OcrSettings(
        engine=getattr(args, "engine", "rapidocr"),
        dpi=getattr(args, "dpi", 200),
        model_dir=getattr(args, "model_dir", None),
    )
    forms = FormSettings(definition_dirs=tuple(str(d) for d in getattr(args, "definitions", None) or ()))
    return Settings(ocr=ocr, forms=forms, force_ocr=getattr(args, "force_ocr", False))


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


def _export_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract export: the store for other systems."""
    exp = sub.add_parser(
        "export",
        help="export an ingest's store as jsonl, csv, xlsx or parquet",
        description="Export what `ingest` stored in DIR (or --db) for other systems. csv and xlsx are "
        "flattened for spreadsheets: forms, indicators and funds tables (and review items), "
        "joined by record_id, each column headed 'field_name 中文标签'. parquet keeps types: "
        "decimals stay decimals.",
    )
    exp.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of an ingest")
    exp.add_argument("--format", choices=["jsonl", "csv", "xlsx", "parquet"], default="jsonl")
    exp.add_argument("--out", type=Path, default=None, help="where to write (default: DIR/export-FORMAT)")
    exp.add_argument("--db", default=None, metavar="URL", help="read this database instead of DIR's")
    exp.add_argument("--no-review", action="store_true", help="leave the review flags out")


def _bench_command(sub: argparse._SubParsersAction) -> None:
    """filing-extract bench: accuracy and speed beside peers."""
    bench = sub.add_parser(
        "bench",
        help="measure accuracy, review quality and speed on labelled samples, beside peers",
        description="Run the pipeline over labelled samples (each PDF beside NAME.gold.jsonl in the "
        "contract's shape; scans under SAMPLES_DIR/scans/GRADE) and report field accuracy "
        "by category, CER of long texts, forms exactly right/missed/invented, flagged and "
        "silent errors, seconds a page by stage and peak memory. Peers run in the same "
        "process: Tesseract and native PaddleOCR as OCR engines; camelot lattice and "
        "PyMuPDF find_tables as table layers, also on the public datasets. Writes "
        "bench.json, bench.md and bench.png to --out.",
    )
    bench.add_argument("samples", nargs="?", type=Path, default=Path("samples"), metavar="SAMPLES_DIR")
    bench.add_argument(
        "--profile", default="text,clean,office,poor", help="comma-separated: text and scan grades (default: all four)"
    )
    bench.add_argument(
        "--ocr-peers",
        default="office",
        metavar="PROFILES",
        help="profiles the OCR peers (tesseract, paddleocr) also run on (default: office)",
    )
    bench.add_argument(
        "--datasets",
        type=Path,
        default=Path("../shared/datasets"),
        help="public table datasets (camelot cases, ICDAR 2013); '' to leave out",
    )
    bench.add_argument("--out", type=Path, default=Path("benchmarks/latest"), help="report folder")


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
        _inspect_command,
        _bench_command,
        _paddle_models_command,
    )
    for add in commands:
        add(sub)
    return parser


def cmd_export(args: argparse.Namespace) -> int:
    from extract.errors import UsageError
    from extract.ingest.export import export
    from extract.ingest.store import sqlite_url

    if args.db is None and not (args.dir / "filings.sqlite").exists():
        raise UsageError(
            f"{args.dir} holds no filings.sqlite; run `filing-extract ingest ... --out {args.dir}` first, or pass --db"
        )
    store = _open_store(args.db or sqlite_url(args.dir))
    try:
        paths = export(
            store, args.format, args.out or args.dir / f"export-{args.format}", with_review=not args.no_review
        )
    finally:
        store.close()
    for path in paths:
        print(path)
    return ExitCode.OK


def cmd_bench(args: argparse.Namespace) -> int:
    import logging
    import warnings

    from extract.bench.run import print_report, run_bench

    # Peers (camelot, pdfminer) warn about every odd PDF in the public datasets.
    warnings.filterwarnings("ignore", module="camelot")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    logging.getLogger("camelot").setLevel(logging.ERROR)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    profiles = [p for p in args.profile.split(",") if p]
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    report = run_bench(
        args.samples,
        profiles,
        args.out,
        args.datasets if str(args.datasets) else None,
        [p for p in args.ocr_peers.split(",") if p],
        log,
    )
    print_report(report)
    print(f"report: {args.out / 'bench.md'}", file=sys.stderr)
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
    from extract.pipeline import Extractor

    result = Extractor(_settings(args)).extract_file(args.file)
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
    "bench": cmd_bench,
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("extract").setLevel(logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    import pymupdf

    # MuPDF's own warnings on damaged files would interleave with ours.
    pymupdf.TOOLS.mupdf_display_errors(False)
    return run_command(args)


if __name__ == "__main__":
    raise SystemExit(main())
