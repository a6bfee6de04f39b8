"""Open an input file as a Document: its bytes' SHA-256 and its pages.

Every way a file can be unreadable becomes an InputFileError whose message
says what is wrong and what to do, so a batch can record it and go on.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from extract.errors import EncryptedPdfError, InputFileError
from extract.read.guard import check_image_file
from extract.settings import LimitSettings

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
        release_memory()


def release_memory() -> None:
    """Give back what reading a file left behind: MuPDF keeps decoded page images in a store
    shared by the process (up to 256 MB), and the C heap keeps freed pages; a worker that reads
    scan after scan grew by both (557 MB flat instead of 616 -> 841 MB over ten archive files)."""
    pymupdf.TOOLS.store_shrink(100)
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_MUPDF_CODE = re.compile(r"^code=\d+:\s*")


def is_reader_error(exc: BaseException) -> bool:
    """An error MuPDF raised while reading the file: the file's fault, not a bug of ours."""
    if isinstance(exc, pymupdf.mupdf.FzErrorBase | pymupdf.FileDataError):
        return True
    return isinstance(exc, RuntimeError) and _MUPDF_CODE.match(str(exc)) is not None


def reader_message(exc: BaseException) -> str:
    """MuPDF's own words, without its error code: 'cycle in page tree'."""
    return _MUPDF_CODE.sub("", str(exc)).strip() or type(exc).__name__


def page_problem(exc: BaseException) -> str | None:
    """Why a page could not be read, when it is the file's fault (None: a bug, raise it on)."""
    if isinstance(exc, InputFileError):
        return exc.message
    if isinstance(exc, MemoryError):
        return "reading it needed more memory than this process may use"
    if is_reader_error(exc):
        return f"the PDF reader refused it ({reader_message(exc)})"
    return None


def _open_pdf(name: str, data: bytes, limits: LimitSettings) -> tuple[pymupdf.Document, bool]:
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
    try:
        pages = doc.page_count  # MuPDF believes /Count, and refuses a count its page tree cannot hold
    except Exception as exc:
        doc.close()
        if not is_reader_error(exc):
            raise
        raise InputFileError(
            f"{name} has a damaged page tree: the number of pages it declares is impossible "
            f"({reader_message(exc)}). Open and re-save it in a PDF editor, or copy it again from the original."
        ) from exc
    if pages == 0:
        doc.close()
        raise InputFileError(f"{name} has no pages; it may be truncated. Copy it again from the original.")
    _check_pages(name, pages, limits, doc)
    return doc, bool(doc.is_repaired)


def _check_pages(name: str, pages: int, limits: LimitSettings, doc: pymupdf.Document) -> None:
    if pages > limits.max_pages:
        doc.close()
        raise InputFileError(
            f"{name} has {pages:,} pages, more than the limit of {limits.max_pages:,} (--max-pages); "
            "split it, or raise --max-pages"
        )


def _open_image(name: str, data: bytes, suffix: str, limits: LimitSettings) -> pymupdf.Document:
    """An image (multi-page TIFF too) becomes a PDF of image-only pages; its header is checked first."""
    check_image_file(name, data, limits)
    try:
        images = pymupdf.open(stream=data, filetype=suffix.lstrip("."))
        pdf_bytes = images.convert_to_pdf()
        images.close()
    except Exception as exc:  # MuPDF raises many kinds for a broken image; all are the file's fault
        raise InputFileError(
            f"{name} is not a readable {suffix} image ({exc}). Check the file, or convert it to PDF or PNG."
        ) from exc
    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    _check_pages(name, doc.page_count, limits, doc)
    return doc


def read_file(path: Path, limits: LimitSettings) -> bytes:
    """A file's bytes, refused before reading when it is larger than one input may be."""
    size = path.stat().st_size
    if size > limits.max_file_mb << 20:
        raise InputFileError(
            f"{path} is {size / 2**20:,.0f} MB, larger than one input may be ({limits.max_file_mb:,} MB, "
            "--max-file-size); split it, or raise --max-file-size"
        )
    return path.read_bytes()


def open_document(path: str | Path, data: bytes | None = None, limits: LimitSettings | None = None) -> Document:
    """Read and open one input file; raises InputFileError with a fix-it message."""
    limits = limits or LimitSettings()
    path = Path(path)
    name = str(path)
    if data is None:
        try:
            data = read_file(path, limits)
        except FileNotFoundError as exc:
            raise InputFileError(f"{name} does not exist. Check the path.") from exc
        except IsADirectoryError as exc:
            raise InputFileError(f"{name} is a folder; pass the files in it, or the folder to ingest.") from exc
        except PermissionError as exc:
            raise InputFileError(f"{name} cannot be read: permission denied.") from exc
        except OSError as exc:
            raise InputFileError(f"{name} cannot be read: {exc.strerror or exc}.") from exc
    if not data:
        raise InputFileError(f"{name} is empty (0 bytes). Copy it again from the original.")
    suffix = path.suffix.lower()
    digest = sha256_of(data)
    if suffix in IMAGE_SUFFIXES:
        return Document(name, digest, _open_image(name, data, suffix, limits), "image")
    doc, repaired = _open_pdf(name, data, limits)
    return Document(name, digest, doc, "pdf", repaired)
