"""Hostile images: truncated, flipped, lying headers, bombs, many frames; one good form page."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

import pymupdf
from PIL import Image

from tests.fuzz.case import Case, Writer
from tests.fuzz.rawpdf import deflate_zeros

SEED = 7301


def _small_images(good_pdf: Path) -> dict[str, bytes]:
    """Page 3 of the good PDF at 40 dpi as PNG, JPEG and TIFF: small, quick to OCR."""
    with pymupdf.open(good_pdf) as doc:
        pix = doc[min(2, doc.page_count - 1)].get_pixmap(dpi=40)
    png = pix.tobytes("png")
    jpeg = pix.tobytes("jpg", jpg_quality=80)
    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).save(buf, format="TIFF", compression="tiff_lzw")
    return {".png": png, ".jpg": jpeg, ".tif": buf.getvalue()}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_size(png: bytes, width: int, height: int) -> bytes:
    """The PNG with IHDR's width and height replaced and its CRC fixed: only the size lies."""
    if png[12:16] != b"IHDR":
        raise ValueError("IHDR is not the first chunk")
    ihdr = struct.pack(">II", width, height) + png[24:29]
    return png[:8] + _chunk(b"IHDR", ihdr) + png[33:]


def png_bomb(width: int, height: int, bit_depth: int) -> bytes:
    """A valid greyscale PNG of zeros, streamed: tiny on disk, huge once decoded."""
    row = 1 + (width * bit_depth + 7) // 8
    data, _ = deflate_zeros(row * height)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def jpeg_with_size(jpeg: bytes, width: int, height: int) -> bytes:
    """The JPEG with its SOF0/SOF2 frame header claiming WIDTH x HEIGHT."""
    pos = 2
    while pos < len(jpeg) - 9:
        if jpeg[pos] != 0xFF:
            raise ValueError("lost sync in JPEG markers")
        marker = jpeg[pos + 1]
        length = struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            return jpeg[: pos + 5] + struct.pack(">HH", height, width) + jpeg[pos + 9 :]
        pos += 2 + length
    raise ValueError("no SOF marker")


def tiff_with_size(tiff: bytes, width: int, height: int) -> bytes:
    """The little-endian TIFF with its first IFD's ImageWidth/ImageLength set as LONGs."""
    if tiff[:4] != b"II*\x00":
        raise ValueError("expected a little-endian TIFF")
    out = bytearray(tiff)
    ifd = struct.unpack("<I", tiff[4:8])[0]
    for i in range(struct.unpack("<H", tiff[ifd : ifd + 2])[0]):
        at = ifd + 2 + 12 * i
        tag = struct.unpack("<H", tiff[at : at + 2])[0]
        if tag in (256, 257):
            out[at + 2 : at + 12] = struct.pack("<HII", 4, 1, width if tag == 256 else height)
    return bytes(out)


def _flip(data: bytes, rng: random.Random, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        out[rng.randrange(16, len(out))] ^= rng.randrange(1, 256)
    return bytes(out)


def damaged(out_dir: Path, good_pdf: Path) -> list[Case]:
    w = Writer(out_dir, "image_damaged")
    images = _small_images(good_pdf)
    for suffix, data in images.items():
        kind = suffix.lstrip(".")
        for fraction in (0.0005, 0.01, 0.1, 0.5, 0.9, 0.999):
            at = max(1, int(len(data) * fraction))
            w.add(
                f"{kind}_trunc_{at}",
                f"trunc_{at}{suffix}",
                data[:at],
                f"a 40 dpi {kind.upper()} of a form page cut after {at} of {len(data)} bytes",
                "either",
            )
        for i, count in enumerate((1, 8, 64, 512)):
            rng = random.Random(SEED + i)
            w.add(
                f"{kind}_flip_{count}",
                f"flip_{count}{suffix}",
                _flip(data, rng, count),
                f"a 40 dpi {kind.upper()} with {count} random bytes XOR-flipped (seed {SEED + i})",
                "either",
            )
    rng = random.Random(SEED)
    for suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        kind = suffix.lstrip(".")
        w.add(
            f"{kind}_random_bytes",
            f"random{suffix}",
            rng.randbytes(32 * 1024),
            f"32 KiB of random bytes named {suffix}",
            "error",
        )
    w.add("png_empty", "empty.png", b"", "an empty .png", "error")
    w.add("png_signature_only", "signature.png", b"\x89PNG\r\n\x1a\n", "the PNG signature alone", "error")
    w.add("jpeg_soi_eoi_only", "soi_eoi.jpg", b"\xff\xd8\xff\xd9", "a JPEG of SOI and EOI markers only", "error")
    w.add(
        "tiff_header_only",
        "header.tif",
        b"II*\x00\x08\x00\x00\x00\x00\x00",
        "a TIFF header whose IFD has no entries",
        "error",
    )
    w.add(
        "tiff_ifd_loop",
        "ifd_loop.tif",
        _tiff_ifd_loop(images[".tif"]),
        "a TIFF whose first IFD's next-IFD pointer points back at itself",
        "either",
    )
    w.add("png_named_tif", "png_inside.tif", images[".png"], "PNG bytes named .tif", "either")
    return w.cases


def _tiff_ifd_loop(tiff: bytes) -> bytes:
    ifd = struct.unpack("<I", tiff[4:8])[0]
    count = struct.unpack("<H", tiff[ifd : ifd + 2])[0]
    at = ifd + 2 + 12 * count
    return tiff[:at] + struct.pack("<I", ifd) + tiff[at + 4 :]


def lying(out_dir: Path, good_pdf: Path) -> list[Case]:
    w = Writer(out_dir, "image_size")
    images = _small_images(good_pdf)
    for width, height in ((0, 0), (1, 2147483647), (2147483647, 1), (60000, 60000), (65535, 65535)):
        w.add(
            f"png_ihdr_{width}x{height}",
            f"ihdr_{width}x{height}.png",
            png_with_size(images[".png"], width, height),
            f"a PNG whose IHDR claims {width}x{height} (CRC fixed; the data is a 330 px page)",
            "either",
        )
    for width, height in ((65500, 65500), (0, 0), (65535, 1)):
        w.add(
            f"jpeg_sof_{width}x{height}",
            f"sof_{width}x{height}.jpg",
            jpeg_with_size(images[".jpg"], width, height),
            f"a JPEG whose SOF claims {width}x{height}",
            "either",
        )
    for width, height in ((100000, 100000), (0, 0)):
        w.add(
            f"tiff_ifd_{width}x{height}",
            f"ifd_{width}x{height}.tif",
            tiff_with_size(images[".tif"], width, height),
            f"a TIFF whose IFD claims {width}x{height}",
            "either",
        )
    w.add(
        "png_bomb_1bit_30000x30000",
        "bomb_1bit.png",
        png_bomb(30000, 30000, 1),
        "a valid 1-bit PNG of 900 MP (107 MiB of rows) streamed to ~110 KiB",
        "either",
    )
    w.add(
        "png_bomb_grey_20000x20000",
        "bomb_grey.png",
        png_bomb(20000, 20000, 8),
        "a valid 8-bit grey PNG of 400 MP (381 MiB of rows) streamed to ~390 KiB",
        "either",
    )
    return w.cases


def frames_and_good(out_dir: Path, good_pdf: Path) -> list[Case]:
    w = Writer(out_dir, "image_pages")
    rng = random.Random(SEED)
    frames = [Image.new("L", (48, 32), 255 - rng.randrange(0, 8)) for _ in range(400)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    w.add(
        "tiff_400_frames",
        "frames_400.tif",
        buf.getvalue(),
        "a multi-page TIFF of 400 small near-white 48x32 frames: 400 blank pages",
        "blank",
    )
    with pymupdf.open(good_pdf) as doc:
        pix = doc[min(2, doc.page_count - 1)].get_pixmap(dpi=150)
    png = pix.tobytes("png")
    w.add("png_form_page3_150dpi", "form_page3.png", png, "page 3 of the good PDF rendered at 150 dpi", "records")
    w.add(
        "png_form_page3_named_jpg",
        "form_page3_png.jpg",
        png,
        "the same good PNG named .jpg (wrong extension)",
        "either",
    )
    return w.cases
