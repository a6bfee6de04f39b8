"""Decompression-bomb guards: how big an image is, read from its header or dictionary, never decoded.

A PNG, JPEG or TIFF says its size in a few header bytes; a PDF image says it in its
dictionary; a page's image at the OCR resolution follows from its box. Each is checked
against `LimitSettings.max_megapixels` before MuPDF is asked to decode or render anything,
so a 60000 x 60000 image costs a few bytes of reading, not gigabytes.
"""

from __future__ import annotations

import struct

import pymupdf

from extract.errors import InputFileError
from extract.settings import LimitSettings

_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (baseline, progressive, lossless, ...): not DHT (C4), JPG (C8), DAC (CC).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _png_sizes(data: bytes) -> list[tuple[int, int]]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return []
    return [struct.unpack(">II", data[16:24])]


def _jpeg_sizes(data: bytes) -> list[tuple[int, int]]:
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return []
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return [(width, height)]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header before
            return []
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + max(length, 2)
    return []


def _tiff_sizes(data: bytes, max_frames: int) -> list[tuple[int, int]]:
    """Width and height of every frame (IFD), following the chain with loops cut."""
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or len(data) < 8 or struct.unpack(order + "H", data[2:4])[0] != 42:
        return []  # not a classic TIFF (BigTIFF is left to the reader)
    (offset,) = struct.unpack(order + "I", data[4:8])
    sizes: list[tuple[int, int]] = []
    seen: set[int] = set()
    while offset and offset not in seen and offset + 2 <= len(data) and len(sizes) <= max_frames:
        seen.add(offset)
        (count,) = struct.unpack(order + "H", data[offset : offset + 2])
        width = height = 0
        for i in range(count):
            entry = offset + 2 + 12 * i
            if entry + 12 > len(data):
                break
            tag, kind = struct.unpack(order + "HH", data[entry : entry + 4])
            if tag in (256, 257):
                fmt = "H" if kind == 3 else "I"
                (value,) = struct.unpack(order + fmt, data[entry + 8 : entry + 8 + struct.calcsize(fmt)])
                width, height = (value, height) if tag == 256 else (width, value)
        sizes.append((width, height))
        end = offset + 2 + 12 * count
        offset = struct.unpack(order + "I", data[end : end + 4])[0] if end + 4 <= len(data) else 0
    return sizes


def image_sizes(data: bytes, max_frames: int) -> list[tuple[int, int]]:
    """(width, height) of each frame an image file's header declares; [] when it cannot tell."""
    if data.startswith(_PNG):
        return _png_sizes(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_sizes(data)
    return _tiff_sizes(data, max_frames)


def _megapixels(width: float, height: float) -> float:
    return width * height / 1e6


def check_image_file(name: str, data: bytes, limits: LimitSettings) -> None:
    """Refuse an image file whose header declares a frame too big, or more frames than pages allowed."""
    sizes = image_sizes(data, limits.max_pages)
    if len(sizes) > limits.max_pages:
        raise InputFileError(
            f"{name} holds more than {limits.max_pages} images (frames), over the page limit (--max-pages); "
            "split it, or raise --max-pages"
        )
    for frame, (width, height) in enumerate(sizes, 1):
        if _megapixels(width, height) > limits.max_megapixels:
            where = f"frame {frame} of {name}" if len(sizes) > 1 else name
            raise InputFileError(
                f"{where} declares {width}x{height} pixels ({_megapixels(width, height):,.0f} megapixels), over the "
                f"limit of {limits.max_megapixels:g} (--max-pixels): a decompression bomb, or a scan far finer "
                "than needed; rescan at 200-300 dpi, or raise --max-pixels"
            )


def check_page_images(page: pymupdf.Page, limits: LimitSettings) -> None:
    """Refuse a page that shows an image whose dictionary declares too many pixels (before decoding)."""
    for image in page.get_images(full=True):
        width, height = int(image[2]), int(image[3])
        if _megapixels(width, height) > limits.max_megapixels:
            raise InputFileError(
                f"it shows an image of {width}x{height} pixels "
                f"({_megapixels(width, height):,.0f} megapixels), over the limit of {limits.max_megapixels:g} "
                "(--max-pixels); it is not decoded (a decompression bomb?); raise --max-pixels if it is real"
            )


def check_page_render(page: pymupdf.Page, dpi: int, limits: LimitSettings) -> None:
    """Refuse to render a page whose image at `dpi` would be too big (a 14,400 pt page is 40000 px at 200 dpi)."""
    rect = page.rect
    width, height = rect.width * dpi / 72, rect.height * dpi / 72
    if _megapixels(width, height) > limits.max_megapixels:
        raise InputFileError(
            f"it is {rect.width:,.0f} x {rect.height:,.0f} pt: its image at {dpi} dpi would be "
            f"{width:,.0f} x {height:,.0f} pixels ({_megapixels(width, height):,.0f} megapixels), over the limit of "
            f"{limits.max_megapixels:g} (--max-pixels); lower --dpi or raise --max-pixels if the page is real"
        )
