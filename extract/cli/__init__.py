"""The command line: the one place that reads arguments and maps errors to exit codes.

`options` turns arguments into settings, `parser` builds the parser, `commands` holds what each
command does; this module runs one and maps its failure to an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback

from extract.cli.commands import COMMANDS
from extract.cli.parser import build_parser
from extract.errors import ExitCode, ExtractError

__all__ = ["COMMANDS", "build_parser", "main", "run_command"]


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
