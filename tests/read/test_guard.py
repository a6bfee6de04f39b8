"""Decompression-bomb guards: sizes come from headers and dictionaries, and nothing big is decoded."""

from __future__ import annotations

import time
import zlib

import pymupdf
import pytest

from extract.errors import InputFileError
from extract.pipeline import Extractor
from extract.read.document import open_document
from extract.read.guard import check_image_file, check_page_images, check_page_render, image_sizes
from extract.settings import LimitSettings, Settings
from tests.conftest import SAMPLES
from tests.fuzz.images import jpeg_with_size, png_with_size, tiff_with_size
from tests.fuzz.rawpdf import image_page, pdf

GOOD = SAMPLES / "text" / "seed_003_self_evaluations.pdf"


@pytest.fixture(scope="module")
def small_images() -> dict[str, bytes]:
    with pymupdf.open(GOOD) as doc:
        pix = doc[0].get_pixmap(dpi=20)
    return {kind: pix.tobytes(kind) for kind in ("png", "jpg")} | {"tif": pix.pil_tobytes("TIFF")}


def test_header_sizes_are_read_without_decoding(small_images):
    with pymupdf.open(GOOD) as doc:
        width, height = doc[0].get_pixmap(dpi=20).width, doc[0].get_pixmap(dpi=20).height
    for data in small_images.values():
        assert image_sizes(data, 10) == [(width, height)]
    assert image_sizes(png_with_size(small_images["png"], 60000, 60000), 10) == [(60000, 60000)]
    assert image_sizes(jpeg_with_size(small_images["jpg"], 65500, 65500), 10) == [(65500, 65500)]
    assert image_sizes(tiff_with_size(small_images["tif"], 100000, 100000), 10) == [(100000, 100000)]
    assert image_sizes(b"not an image", 10) == []


def test_an_image_file_declaring_too_many_pixels_is_refused_before_decoding(small_images, tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_with_size(small_images["png"], 30000, 30000))
    started = time.perf_counter()
    with pytest.raises(InputFileError, match=r"declares 30000x30000 pixels \(900 megapixels\).*--max-pixels"):
        open_document(bomb)
    assert time.perf_counter() - started < 1
    check_image_file("small.png", small_images["png"], LimitSettings())  # a normal page passes


def _pdf_with_image(width: int, height: int) -> bytes:
    """An A4 page showing a Flate grey image that claims WIDTHxHEIGHT (its data: 1 KiB of zeros)."""
    return pdf(image_page(width, height, 8, b"/DeviceGray", zlib.compress(bytes(1024))))


def test_a_page_showing_a_huge_image_is_left_out_before_decoding():
    data = _pdf_with_image(20000, 20000)
    with pymupdf.open(stream=data) as doc:
        with pytest.raises(InputFileError, match=r"20000x20000 pixels \(400 megapixels\)"):
            check_page_images(doc[0], LimitSettings())
        check_page_images(doc[0], LimitSettings(max_megapixels=500))
    started = time.perf_counter()
    result = Extractor(Settings()).extract_file("bomb.pdf", data)
    assert time.perf_counter() - started < 10
    assert (
        result.status == "failed" and "no page could be read; page 1: it shows an image of 20000x20000" in result.error
    )


def test_a_page_too_large_to_render_is_refused():
    doc = pymupdf.open()
    page = doc.new_page(width=14400, height=14400)
    with pytest.raises(InputFileError, match=r"its image at 200 dpi would be 40,000 x 40,000 pixels"):
        check_page_render(page, 200, LimitSettings())
    check_page_render(doc.new_page(), 200, LimitSettings())  # A4 at 200 dpi: 3.9 megapixels


def test_too_many_pages_is_refused_with_the_limit():
    doc = pymupdf.open()
    for _ in range(12):
        doc.new_page()
    with pytest.raises(InputFileError, match=r"has 12 pages, more than the limit of 10 \(--max-pages\)"):
        open_document("many.pdf", doc.tobytes(), LimitSettings(max_pages=10))


def test_a_lying_page_count_is_the_file_s_fault():
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1000>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    with pytest.raises(InputFileError, match="damaged page tree: the number of pages it declares is impossible"):
        open_document("count.pdf", body)
