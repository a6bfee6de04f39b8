"""Errors that carry an exit code and a message saying how to fix the problem.

One handler at the CLI edge maps them to exit codes; inside a batch they become
a failed file's recorded reason, so one bad file never sinks the others.
"""

from __future__ import annotations


class ExtractError(Exception):
    """Base class: `message` says what is wrong and what to do about it."""

    exit_code = 3

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputFileError(ExtractError):
    """The file cannot be read as a supported document."""


class EncryptedPdfError(InputFileError):
    """The PDF is password protected."""


class NoFormFoundError(ExtractError):
    """The document was read, but it holds no form this tool knows."""


class OcrUnavailableError(ExtractError):
    """A page needs OCR but the chosen engine cannot run."""

    exit_code = 4


class GoldFileError(ExtractError):
    """A labelled (gold) file for the benchmark is malformed."""

    exit_code = 2
