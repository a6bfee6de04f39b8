"""Hand-written PDF bytes: objects, streams, xref tables (right, wrong or missing), bombs."""

from __future__ import annotations

import zlib

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
HELLO = b"BT /F1 18 Tf 72 720 Td (Meeting minutes: no form on this page.) Tj ET"
MIB = 1 << 20


def stream(entries: bytes, data: bytes) -> bytes:
    """A stream object body: the dictionary entries (without << >>), then the data."""
    return b"<<" + entries + b"/Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def pdf(
    objects: dict[int, bytes],
    root: int = 1,
    *,
    xref: str = "ok",
    size: int | None = None,
    trailer_extra: bytes = b"",
    header: bytes = HEADER,
) -> bytes:
    """Objects numbered as given (generation 0); xref is one of
    "ok" (a right table), "none" (trailer but no table or startxref),
    "shifted" (every offset 7 bytes off), "no_trailer" (objects only)."""
    out = bytearray(header)
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    count = size if size is not None else max(objects) + 1
    trailer = b"trailer\n<</Size %d/Root %d 0 R%s>>\n" % (count, root, trailer_extra)
    if xref == "no_trailer":
        return bytes(out)
    if xref == "none":
        return bytes(out + trailer + b"%%EOF\n")
    shift = 7 if xref == "shifted" else 0
    start = len(out)
    top = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % top
    for number in range(1, top):
        if number in offsets:
            out += b"%010d 00000 n \n" % (offsets[number] + shift)
        else:
            out += b"0000000000 65535 f \n"
    out += trailer + b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def text_pages(
    count: int,
    *,
    kids_extra: bytes = b"",
    count_value: bytes | None = None,
    pages_extra: bytes = b"",
    text: bytes = HELLO,
) -> dict[int, bytes]:
    """Catalog 1, Pages 2, shared resources 3, one shared content stream 4, pages from 5 on."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count)) + kids_extra
    shown = count_value if count_value is not None else b"%d" % count
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R>>",
        2: b"<</Type/Pages/Kids[%s]/Count %s%s>>" % (kids, shown, pages_extra),
        3: b"<</Font<</F1 " + FONT + b">>>>",
        4: stream(b"", text),
    }
    for i in range(count):
        objects[5 + i] = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources 3 0 R/Contents 4 0 R>>"
    return objects


def deflate_zeros(total: int, *, prefix: bytes = b"", wrapper: bool = True) -> tuple[bytes, int]:
    """A Flate stream that inflates to PREFIX then zeros, TOTAL bytes in all, without ever
    compressing more than one MiB: after a full flush the compressor's state is reset, so
    every further MiB of zeros compresses to the same bytes. Returns (stream, crc32)."""
    if total < len(prefix):
        raise ValueError("total shorter than prefix")
    zero = bytes(MIB)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_len = min(total, MIB)
    head = prefix + bytes(head_len - len(prefix))
    parts = [comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)]
    left = total - head_len
    crc = zlib.crc32(head)
    adler = zlib.adler32(head)
    if left >= MIB:
        block = comp.compress(zero) + comp.flush(zlib.Z_FULL_FLUSH)
        whole = left // MIB
        parts.append(block * whole)
        for _ in range(whole):
            crc = zlib.crc32(zero, crc)
            adler = zlib.adler32(zero, adler)
        left -= whole * MIB
    if left:
        parts.append(comp.compress(bytes(left)))
        crc = zlib.crc32(bytes(left), crc)
        adler = zlib.adler32(bytes(left), adler)
    parts.append(comp.flush())
    body = b"".join(parts)
    if wrapper:
        body = b"\x78\xda" + body + adler.to_bytes(4, "big")
    return body, crc


def image_page(
    width: int,
    height: int,
    bits: int,
    colorspace: bytes,
    data: bytes,
    page: bytes = b"[0 0 595 842]",
    draw: bytes = b"q 595 0 0 842 0 0 cm /Im1 Do Q",
    decode: bytes = b"",
) -> dict[int, bytes]:
    """One page showing one Flate image XObject (object 4) over MediaBox PAGE."""
    image = stream(
        b"/Type/XObject/Subtype/Image/Width %d/Height %d/BitsPerComponent %d"
        b"/ColorSpace%s/Filter/FlateDecode%s" % (width, height, bits, colorspace, decode),
        data,
    )
    return {
        1: b"<</Type/Catalog/Pages 2 0 R>>",
        2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        3: b"<</Type/Page/Parent 2 0 R/MediaBox%s/Resources<</XObject<</Im1 4 0 R>>>>/Contents 5 0 R>>" % page,
        4: image,
        5: stream(b"", draw),
    }
