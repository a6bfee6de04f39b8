"""Opening inputs: every way a file can be unreadable says what to do."""

from __future__ import annotations

import re

import pymupdf
import pytest

from extract.errors import EncryptedPdfError, InputFileError
from extract.read.document import open_document
from tests.conftest import SAMPLES

GOOD = SAMPLES / "text" / "seed_003_self_evaluations.pdf"


def test_a_pdf_opens_with_its_hash_and_pages():
    doc = open_document(GOOD)
    assert doc.kind == "pdf" and doc.page_count == 5 and len(doc.sha256) == 64 and not doc.repaired
    doc.close()


def test_an_image_becomes_a_one_page_document(tmp_path):
    path = tmp_path / "page.png"
    with pymupdf.open(GOOD) as pdf:
        pdf[0].get_pixmap(dpi=50).save(path)
    doc = open_document(path)
    assert doc.kind == "image" and doc.page_count == 1
    doc.close()


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "is empty (0 bytes)"),
        (b"hello, not a pdf", "is not a PDF"),
        (b"%PDF-1.7\n1 0 obj\n<<", "cannot be repaired"),
    ],
)
def test_unreadable_bytes_say_what_is_wrong(tmp_path, data, message):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=re.escape(message)):
        open_document(path)


def test_an_encrypted_pdf_says_how_to_decrypt(tmp_path):
    path = tmp_path / "locked.pdf"
    with pymupdf.open(GOOD) as doc:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    with pytest.raises(EncryptedPdfError, match="qpdf --decrypt"):
        open_document(path)


def test_a_missing_file_and_a_folder_are_input_errors(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        open_document(tmp_path / "nope.pdf")
    with pytest.raises(InputFileError, match="is a folder"):
        open_document(tmp_path)


def test_a_broken_image_is_an_input_error(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(InputFileError, match=r"not a readable \.png image"):
        open_document(path)


def test_reading_scan_after_scan_does_not_grow_the_process():
    """A worker reads scan after scan: MuPDF's store of decoded images (256 MB by default) is
    emptied with each document, so what one file decoded does not stay with the worker."""
    import psutil

    scan = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"
    me = psutil.Process()

    def read_once() -> None:
        doc = open_document(scan)
        for page in doc.doc:
            page.get_pixmap(dpi=50)
        doc.close()

    read_once()
    before = me.memory_info().rss
    for _ in range(16):
        read_once()
    assert me.memory_info().rss - before < 60 * 2**20
