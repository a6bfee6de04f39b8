"""The argument parser: each command's options, help and exit-code epilog."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from extract import __version__
from extract.cli.options import add_form_options, add_limit_options, add_ocr_options
from extract.errors import exit_code_epilog

EPILOG = exit_code_epilog()


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
    add_form_options(ingest)
    add_ocr_options(ingest)
    add_limit_options(ingest)


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
    add_form_options(one)
    add_ocr_options(one)
    add_limit_options(one)


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
    add_form_options(ins)
    add_ocr_options(ins)


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
