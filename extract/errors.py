"""Exit codes and the errors that carry them.

`ExitCode` is the only place the numbers live: the CLI's epilog and the
README's table are made from (or tested against) it. Each error carries its
code and a message that says what is wrong and what to do; one handler at the
CLI edge maps them to exit codes, and inside a batch they become a failed
file's recorded reason, so one bad file never sinks the others.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INPUT_FAILED = 1
    USAGE = 2
    OCR_UNAVAILABLE = 4
    INTERNAL = 70
    OUTPUT_FAILED = 74
    STORE_UNAVAILABLE = 75
    INTERRUPTED = 130

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "every input was read and its records written",
    ExitCode.INPUT_FAILED: "some inputs could not be read (each reported with its reason); the others' "
    "records were written",
    ExitCode.USAGE: "usage error: bad arguments, no input files found, or a missing optional "
    "dependency (the message names the extra to install)",
    ExitCode.OCR_UNAVAILABLE: "a page needed OCR and the OCR engine could not run",
    ExitCode.INTERNAL: "internal error (a bug: please report it with the input file; --verbose shows the traceback)",
    ExitCode.OUTPUT_FAILED: "the output folder could not be written (out of space, or a write error); finished "
    "files are kept: free space and run again to resume",
    ExitCode.STORE_UNAVAILABLE: "temporary failure: the store went away, or another run is using the output folder; "
    "finished files are kept: run again to resume",
    ExitCode.INTERRUPTED: "interrupted; finished files are kept",
}


def exit_code_epilog() -> str:
    """The exit-code table for `--help`."""
    lines = ["exit codes:"]
    for code in ExitCode:
        lines.append(f"  {code.value:<4}{code.meaning}")
    return "\n".join(lines) + "\n"


class ExtractError(Exception):
    """Base class: `message` says what is wrong and what to do about it."""

    exit_code = ExitCode.INPUT_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ExtractError):
    """Bad arguments or nothing to do."""

    exit_code = ExitCode.USAGE


class MissingDependencyError(UsageError):
    """An option needs an optional extra that is not installed."""

    def __init__(self, what: str, extra: str, detail: str = "") -> None:
        hint = f"pip install 'filing-extract[{extra}]'"
        super().__init__(
            f"{what} needs the [{extra}] extra, which is not installed: {hint}" + (f" ({detail})" if detail else "")
        )
        self.extra = extra


class FormDefinitionError(UsageError):
    """A form definition file (YAML) is malformed; the message names the file and the field."""


class InputFileError(ExtractError):
    """The file cannot be read as a supported document."""


class EncryptedPdfError(InputFileError):
    """The PDF is password protected."""


class NoFormFoundError(ExtractError):
    """The document was read, but it holds no form this tool knows."""


class OcrUnavailableError(ExtractError):
    """A page needs OCR but the chosen engine cannot run."""

    exit_code = ExitCode.OCR_UNAVAILABLE


class OutputWriteError(ExtractError):
    """The output folder (the store, records.jsonl) could not be written: the disk is full, or it failed."""

    exit_code = ExitCode.OUTPUT_FAILED


class StoreUnavailableError(ExtractError):
    """The store cannot be reached (a database connection dropped), or another run holds the folder."""

    exit_code = ExitCode.STORE_UNAVAILABLE


class GoldFileError(ExtractError):
    """A labelled (gold) file for the benchmark is malformed."""

    exit_code = ExitCode.USAGE
