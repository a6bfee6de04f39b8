"""What the commands share: settings and limits from the arguments, and the option groups."""

from __future__ import annotations

import argparse
from pathlib import Path

from extract.errors import UsageError
from extract.settings import FormSettings, LimitSettings, OcrSettings, Settings


def settings_from_args(args: argparse.Namespace) -> Settings:
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
    return Settings(ocr=ocr, forms=forms, limits=limits_from_args(args), force_ocr=getattr(args, "force_ocr", False))


def limits_from_args(args: argparse.Namespace) -> LimitSettings:
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


def add_limit_options(parser: argparse.ArgumentParser) -> None:
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


def add_form_options(parser: argparse.ArgumentParser) -> None:
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


def add_ocr_options(parser: argparse.ArgumentParser) -> None:
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
