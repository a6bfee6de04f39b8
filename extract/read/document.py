"""Open an input file as a Document: its bytes' SHA-256 and its pages.

Every way a file can be unreadable becomes an InputFileError whose message
says what is wrong and what to do, so a batch can record it and go on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from extract.errors import EncryptedPdfError, InputFileError

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


@dataclass
class Document:
    path: str
    sha256: str
    doc: pymupdf.Document
    kind: str  # "pdf" or "image"
    repaired: bool = False

    @property
    def page_count(self) -> int:
        return self.doc.page_count

    def close(self) -> None:
        self.doc.close()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _open_pdf(name: str, data: bytes) -> tuple[pymupdf.Document, bool]:
    if b"%PDF-" not in data[:1024]:
        head = data[:8].decode("latin-1").encode("unicode_escape").decode()
        raise InputFileError(
            f"{name} is not a PDF: it does not start with %PDF- (first bytes: '{head}'). "
            "Check that the file is really a PDF, or give it the right extension."
        )
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError) as exc:
        truncated = b"%%EOF" not in data[-2048:]
        what = "truncated (no %%EOF marker at its end)" if truncated else "damaged"
        raise InputFileError(
            f"{name} is a {what} PDF that cannot be repaired ({exc}). Copy or scan it again from the original."
        ) from exc
    if doc.needs_pass:
        doc.close()
        raise EncryptedPdfError(
            f"{name} is password protected. Decrypt it first, for example "
            f"`qpdf --decrypt --password=PASSWORD in.pdf out.pdf`, then run again on out.pdf."
        )
    if doc.page_count == 0:
        doc.close()
        raise InputFileError(f"{name} has no pages; it may be truncated. Copy it again from the original.")
    return doc, bool(doc.is_repaired)


def _open_image(name: str, data: bytes, suffix: str) -> pymupdf.Document:
    """An image (multi-page TIFF too) becomes a PDF of image-only pages."""
    try:
        images = pymupdf.open(stream=data, filetype=suffix.lstrip("."))
        pdf_bytes = images.convert_to_pdf()
        images.close()
    except Exception as exc:  # MuPDF raises many kinds for a broken image; all are the file's fault
        raise InputFileError(
            f"{name} is not a readable {suffix} image ({exc}). Check the file, or convert it to PDF or PNG."
        ) from exc
    return pymupdf.open(stream=pdf_bytes, filetype="pdf")


def open_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read and open one input file; raises InputFileError with a fix-it message."""
    path = Path(path)
    name = str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise InputFileError(f"{name} does not exist. Check the path.") from exc
        except IsADirectoryError as exc:
            raise InputFileError(f"{name} is a folder; pass the files in it, or the folder to ingest.") from exc
        except PermissionError as exc:
            raise InputFileError(f"{name} cannot be read: permission denied.") from exc
    if not data:
        raise InputFileError(f"{name} is empty (0 bytes). Copy it again from the original.")
    suffix = path.suffix.lower()
    digest = sha256_of(data)
    if suffix in IMAGE_SUFFIXES:
        return Document(name, digest, _open_image(name, data, suffix), "image")
    doc, repaired = _open_pdf(name, data)
    return Document(name, digest, doc, "pdf", repaired)
