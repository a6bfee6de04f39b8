"""Structurally hostile PDFs: size, nesting, page-tree loops, lying counts, missing xrefs."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from tests.fuzz.case import Case, Writer
from tests.fuzz.rawpdf import HELLO, deflate_zeros, image_page, pdf, stream, text_pages


def pymupdf_view(data: bytes) -> str:
    """What pymupdf makes of the bytes, for the case description."""
    try:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return f"[pymupdf: is_repaired={bool(doc.is_repaired)}, pages={doc.page_count}]"
    except Exception as exc:  # any failure is what we record
        return f"[pymupdf open fails: {type(exc).__name__}: {str(exc)[:80]}]"


def _blank_pages(count: int, with_text: bool) -> dict[int, bytes]:
    """COUNT pages sharing one resource dictionary (3) and one content stream (4)."""
    return text_pages(count, text=HELLO if with_text else b"")


def sizes(out_dir: Path) -> list[Case]:
    w = Writer(out_dir, "pdf_size")
    w.add(
        "pdf_2500_blank_pages",
        "blank_2500.pdf",
        pdf(_blank_pages(2500, False)),
        "2,500 pages sharing one empty content stream and resources: no text, so every page "
        "goes to OCR; must end (blank) well inside the timeout",
        "blank",
    )
    w.add(
        "pdf_2500_text_pages",
        "text_2500.pdf",
        pdf(_blank_pages(2500, True)),
        "2,500 pages sharing one one-line text stream (no form)",
        "blank",
    )
    boxes = [
        ("pdf_page_14400pt_blank", b"[0 0 14400 14400]", b"", "blank", "either"),
        ("pdf_page_14400pt_text", b"[0 0 14400 14400]", HELLO, "one text line", "blank"),
        ("pdf_page_userunit_75", b"[0 0 14400 14400]/UserUnit 75", b"", "blank, /UserUnit 75 (~381 m)", "either"),
        ("pdf_page_1e6pt_blank", b"[0 0 1000000 1000000]", b"", "blank, beyond the 14,400 pt limit", "either"),
        ("pdf_page_1e38pt_blank", b"[0 0 1e38 1e38]", b"", "blank, float-overflowing box", "either"),
        ("pdf_page_zero_box", b"[0 0 0 0]", HELLO, "zero-area box", "either"),
        ("pdf_page_negative_box", b"[0 0 -595 -842]", HELLO, "negative box", "either"),
        ("pdf_page_box_strings", b"[(a) (b) (c) (d)]", HELLO, "box of strings", "either"),
        ("pdf_page_rotate_45", b"[0 0 595 842]/Rotate 45", HELLO, "invalid /Rotate 45", "either"),
    ]
    for name, box, text, what, expect in boxes:
        objects = {
            1: b"<</Type/Catalog/Pages 2 0 R>>",
            2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            3: b"<</Type/Page/Parent 2 0 R/MediaBox%s/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>" % box,
            4: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
            5: stream(b"", text),
        }
        w.add(name, f"{name}.pdf", pdf(objects), f"one page, MediaBox {box.decode()}, {what}", expect)
    return w.cases


def image_bombs(out_dir: Path, good_pdf: Path) -> list[Case]:
    w = Writer(out_dir, "pdf_image_bomb")
    white = b"/Decode[1 0]"
    bombs = [
        ("pdf_img_1bit_20000x20000", 20000, 20000, 1, b"/DeviceGray", white, "400 MP, 1-bit"),
        ("pdf_img_grey_20000x20000", 20000, 20000, 8, b"/DeviceGray", white, "400 MP, 8-bit grey"),
        ("pdf_img_rgb_12000x12000", 12000, 12000, 8, b"/DeviceRGB", b"", "144 MP RGB (432 MB)"),
        ("pdf_img_1bit_60000x60000", 60000, 60000, 1, b"/DeviceGray", white, "3.6 GP, 1-bit"),
    ]
    for name, width, height, bits, cs, decode, what in bombs:
        row = (width * bits * (3 if cs == b"/DeviceRGB" else 1) + 7) // 8
        data, _ = deflate_zeros(row * height)
        w.add(
            name,
            f"{name}.pdf",
            pdf(image_page(width, height, bits, cs, data, decode=decode)),
            f"an A4 page showing one Flate image of {width}x{height} ({what}) that inflates to "
            f"{row * height / 2**20:.0f} MiB",
            "either",
        )
    short, _ = deflate_zeros(1024)
    w.add(
        "pdf_img_dims_lie",
        "img_dims_lie.pdf",
        pdf(image_page(50000, 50000, 8, b"/DeviceGray", short)),
        "an image claiming 50000x50000 grey whose stream holds 1 KiB",
        "either",
    )
    w.add(
        "pdf_img_width_zero",
        "img_width_zero.pdf",
        pdf(image_page(0, 100, 8, b"/DeviceGray", short)),
        "an image with /Width 0",
        "either",
    )
    w.add(
        "pdf_img_width_negative",
        "img_width_negative.pdf",
        pdf(image_page(-5, 100, 8, b"/DeviceGray", short)),
        "an image with /Width -5",
        "either",
    )
    content, _ = deflate_zeros(1 << 30)
    w.add(
        "pdf_content_bomb_1gib",
        "content_bomb.pdf",
        pdf(
            {
                1: b"<</Type/Catalog/Pages 2 0 R>>",
                2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
                4: stream(b"/Filter/FlateDecode", content),
            }
        ),
        "a content stream that inflates to 1 GiB of NUL (whitespace) bytes",
        "either",
    )
    w.add(
        "pdf_form_page_with_bomb",
        "form_with_bomb.pdf",
        _form_with_bomb(good_pdf),
        "the good PDF with a 400 MP grey image drawn 10 pt wide on page 3 (text layer intact)",
        "records",
    )
    return w.cases


def _form_with_bomb(good_pdf: Path) -> bytes:
    data, _ = deflate_zeros(20000 * 20000)
    with pymupdf.open(good_pdf) as doc:
        page = doc[min(2, doc.page_count - 1)]
        image = doc.get_new_xref()
        doc.update_object(
            image, "<</Type/XObject/Subtype/Image/Width 20000/Height 20000/BitsPerComponent 8/ColorSpace/DeviceGray>>"
        )
        doc.update_stream(image, data, compress=False)
        doc.xref_set_key(image, "Filter", "/FlateDecode")
        _add_xobject(doc, page.xref, "ImBomb", image)
        drawing = doc.get_new_xref()
        doc.update_object(drawing, "<<>>")
        doc.update_stream(drawing, b"q 10 0 0 10 20 20 cm /ImBomb Do Q")
        kind, old = doc.xref_get_key(page.xref, "Contents")
        inner = old.strip("[]") if kind == "array" else old
        doc.xref_set_key(page.xref, "Contents", f"[{inner} {drawing} 0 R]")
        return doc.tobytes(garbage=0, no_new_id=True)


def _resolve(doc: pymupdf.Document, xref: int, key: str) -> tuple[int, str, str]:
    """(xref holding KEY's dictionary, path to it there, kind) following one indirection."""
    kind, value = doc.xref_get_key(xref, key)
    if kind == "xref":
        return int(value.split()[0]), "", kind
    return xref, key, kind


def _add_xobject(doc: pymupdf.Document, page_xref: int, name: str, image: int) -> None:
    res, path, kind = _resolve(doc, page_xref, "Resources")
    if kind == "null":
        doc.xref_set_key(page_xref, "Resources", f"<</XObject<</{name} {image} 0 R>>>>")
        return
    key = f"{path}/XObject" if path else "XObject"
    holder, inner, kind = _resolve(doc, res, key)
    if kind == "null":
        doc.xref_set_key(holder, key, f"<</{name} {image} 0 R>>")
    else:
        doc.xref_set_key(holder, f"{inner}/{name}" if inner else name, f"{image} 0 R")


def _nested(depth: int, open_: bytes, close: bytes, leaf: bytes = b"1") -> bytes:
    return open_ * depth + leaf + close * depth


def nesting(out_dir: Path) -> list[Case]:
    w = Writer(out_dir, "pdf_nesting")
    variants = [
        ("pdf_nest_array_5000_page", 5000, b"[", b"]", "page"),
        ("pdf_nest_array_100000_page", 100000, b"[", b"]", "page"),
        ("pdf_nest_dict_5000_page", 5000, b"<</A ", b">>", "page"),
        ("pdf_nest_dict_50000_page", 50000, b"<</A ", b">>", "page"),
        ("pdf_nest_array_5000_resources", 5000, b"[", b"]", "resources"),
        ("pdf_nest_dict_20000_catalog", 20000, b"<</A ", b">>", "catalog"),
        ("pdf_nest_array_1000_page", 1000, b"[", b"]", "page"),
        ("pdf_nest_array_100000_indirect", 100000, b"[", b"]", "indirect"),
        ("pdf_nest_dict_50000_indirect", 50000, b"<</A ", b">>", "indirect"),
    ]
    for name, depth, open_, close, where in variants:
        objects = text_pages(1)
        deep = _nested(depth, open_, close)
        if where == "page":
            objects[5] = objects[5][:-2] + b"/Deep " + deep + b">>"
        elif where == "indirect":
            objects[5] = objects[5][:-2] + b"/Deep 50 0 R>>"
            objects[50] = deep
        elif where == "resources":
            objects[3] = b"<</Deep " + deep + objects[3][2:]
        else:
            objects[1] = b"<</Type/Catalog/Pages 2 0 R/Deep " + deep + b">>"
        data = pdf(objects)
        w.add(
            name,
            f"{name}.pdf",
            data,
            f"a one-page text PDF whose {where} dictionary holds "
            f"{open_.decode().strip()} nested {depth} deep {pymupdf_view(data)}",
            "either",
        )
    objects = text_pages(1, text=b"BT /F1 12 Tf " + _nested(20000, b"[", b"]", b"(x)") + b" TJ ET")
    w.add(
        "pdf_nest_array_20000_content",
        "nest_content.pdf",
        pdf(objects),
        "a content stream whose TJ operand is an array nested 20,000 deep",
        "either",
    )
    chain = text_pages(1)
    chain[5] = chain[5].replace(b"/Resources 3 0 R", b"/Resources 100 0 R")
    for n in range(100, 5100):
        chain[n] = b"%d 0 R" % (n + 1)
    chain[5100] = chain.pop(3)
    w.add(
        "pdf_ref_chain_5000",
        "ref_chain.pdf",
        pdf(chain),
        "/Resources is a reference to a reference ... 5,000 indirections deep",
        "either",
    )
    cycle = text_pages(1)
    cycle[5] = cycle[5].replace(b"/Resources 3 0 R", b"/Resources 100 0 R")
    cycle[100], cycle[101] = b"101 0 R", b"100 0 R"
    w.add(
        "pdf_ref_cycle",
        "ref_cycle.pdf",
        pdf(cycle),
        "/Resources is 100 0 R, which is 101 0 R, which is 100 0 R",
        "either",
    )
    deep_tree = {1: b"<</Type/Catalog/Pages 10 0 R>>", 3: text_pages(1)[3], 4: stream(b"", HELLO)}
    levels = 3000
    for n in range(levels):
        parent = b"/Parent %d 0 R" % (9 + n) if n else b""
        deep_tree[10 + n] = b"<</Type/Pages/Kids[%d 0 R]/Count 1%s>>" % (11 + n, parent)
    deep_tree[10 + levels] = b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 595 842]/Resources 3 0 R/Contents 4 0 R>>" % (
        9 + levels
    )
    w.add(
        "pdf_page_tree_3000_deep",
        "tree_deep.pdf",
        pdf(deep_tree),
        "a page tree 3,000 Pages nodes deep over one text page",
        "either",
    )
    return w.cases


def trees(out_dir: Path) -> list[Case]:
    w = Writer(out_dir, "pdf_page_tree")
    loops = [
        ("pdf_tree_self_kid", text_pages(2, kids_extra=b" 2 0 R"), "ok", "the Pages node lists itself as a Kid"),
        (
            "pdf_tree_self_kid_noxref",
            text_pages(2, kids_extra=b" 2 0 R"),
            "none",
            "the Pages node lists itself as a Kid; no xref table",
        ),
        ("pdf_tree_self_kid_first", text_pages(2, kids_extra=b""), "ok", "the Pages node's first Kid is itself"),
        (
            "pdf_tree_mutual",
            text_pages(2, kids_extra=b" 20 0 R"),
            "ok",
            "Pages 2 has Kid 20, a Pages node whose Kid is 2",
        ),
        ("pdf_tree_kid_is_catalog", text_pages(2, kids_extra=b" 1 0 R"), "ok", "a Kid is the Catalog"),
        (
            "pdf_tree_same_page_twice",
            text_pages(2, kids_extra=b" 5 0 R"),
            "ok",
            "one Page object listed twice among the Kids",
        ),
        ("pdf_tree_missing_kid", text_pages(2, kids_extra=b" 999 0 R"), "ok", "a Kid that does not exist"),
        ("pdf_tree_kids_not_array", text_pages(1), "ok", "/Kids is a number"),
        ("pdf_tree_page_parent_self", text_pages(2), "ok", "a page whose /Parent is itself"),
    ]
    for name, objects, xref, what in loops:
        if name == "pdf_tree_self_kid_first":
            objects[2] = objects[2].replace(b"/Kids[", b"/Kids[2 0 R ")
        if name == "pdf_tree_mutual":
            objects[20] = b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R]/Count 1>>"
        if name == "pdf_tree_kids_not_array":
            objects[2] = b"<</Type/Pages/Kids 5/Count 1>>"
        if name == "pdf_tree_page_parent_self":
            objects[6] = objects[6].replace(b"/Parent 2 0 R", b"/Parent 6 0 R")
        data = pdf(objects, xref=xref)
        w.add(name, f"{name}.pdf", data, f"{what}; text pages, no form {pymupdf_view(data)}", "either")
    counts = [
        ("1000", 2),
        ("0", 2),
        ("-1", 2),
        ("-2147483648", 2),
        ("2147483648", 2),
        ("1.5", 2),
        ("(two)", 2),
        ("1000000000", 1),
    ]
    for shown, real in counts:
        data = pdf(text_pages(real, count_value=shown.encode()))
        safe = shown.strip("()").replace("-", "neg").replace(".", "_")
        w.add(
            f"pdf_count_{safe}_holds_{real}",
            f"count_{safe}.pdf",
            data,
            f"/Count {shown} over {real} real text pages {pymupdf_view(data)}",
            "either",
        )
    return w.cases


def repairs(out_dir: Path, good: bytes) -> list[Case]:
    """PDFs whose xref is missing or wrong, so the reader must rebuild it."""
    w = Writer(out_dir, "pdf_xref_repair")
    sx = good.rfind(b"startxref")
    xref = good.rfind(b"xref", 0, good.rfind(b"trailer"))
    trailer = good.rfind(b"trailer")
    table = good[xref:trailer]
    lines = table.split(b"\n")
    shifted = b"\n".join(b"%010d%s" % (int(ln[:10]) + 7, ln[10:]) if ln.endswith(b" n ") else ln for ln in lines)
    variants = [
        (
            "pdf_xref_startxref_beyond_eof",
            good[:sx] + b"startxref\n999999999\n%%EOF\n",
            "startxref points beyond the end of the file",
        ),
        ("pdf_xref_startxref_zero", good[:sx] + b"startxref\n0\n%%EOF\n", "startxref points at byte 0"),
        (
            "pdf_xref_table_blanked",
            good[:xref] + b" " * len(table) + good[trailer:],
            "the xref table overwritten with spaces (same length)",
        ),
        ("pdf_xref_offsets_shifted", good[:xref] + shifted + good[trailer:], "every xref offset 7 bytes too large"),
        ("pdf_xref_no_trailer", good[:trailer] + b"%%EOF\n", "trailer and startxref cut, %%EOF kept"),
        ("pdf_xref_removed", good[:xref] + b"%%EOF\n", "xref, trailer and startxref removed, %%EOF kept"),
    ]
    for name, data, what in variants:
        w.add(name, f"{name}.pdf", data, f"the good PDF, {what} {pymupdf_view(data)}", "records")
    for xref_kind in ("none", "shifted", "no_trailer"):
        data = pdf(text_pages(2), xref=xref_kind)
        w.add(
            f"pdf_raw_xref_{xref_kind}",
            f"raw_xref_{xref_kind}.pdf",
            data,
            f"a hand-written two-page text PDF, xref '{xref_kind}' {pymupdf_view(data)}",
            "blank",
        )
    return w.cases
