"""Damaged PDFs: truncations, flipped bytes, things that are not PDFs, encryption."""

from __future__ import annotations

import random
from pathlib import Path

import pymupdf

from tests.fuzz.case import Case, Writer
from tests.fuzz.rawpdf import pdf, text_pages

SEED = 20240501


def _landmarks(data: bytes) -> dict[str, int]:
    """Byte offsets of the last xref table, trailer, startxref and %%EOF."""
    eof = data.rfind(b"%%EOF")
    startxref = data.rfind(b"startxref")
    trailer = data.rfind(b"trailer")
    xref = data.rfind(b"xref", 0, trailer if trailer > 0 else startxref)
    marks = {"xref": xref, "trailer": trailer, "startxref": startxref, "eof": eof}
    missing = [k for k, v in marks.items() if v < 0]
    if missing:
        raise ValueError(f"good PDF lacks a classic {missing} (needs an xref table, not a stream)")
    return marks


def truncations(out_dir: Path, good: bytes) -> list[Case]:
    w = Writer(out_dir, "pdf_truncated")
    size = len(good)
    m = _landmarks(good)
    cuts: dict[str, int] = {f"head{n}": n for n in (1, 5, 9, 16, 64, 512, 1024)}
    for i in range(1, 32):
        cuts[f"frac{i:02d}of32"] = size * i // 32
    xref_len = m["trailer"] - m["xref"]
    cuts |= {
        "before_xref": m["xref"],
        "xref_keyword": m["xref"] + 2,
        "xref_subsection": m["xref"] + 7,
        "xref_first_entry": m["xref"] + 15,
        "xref_quarter": m["xref"] + xref_len // 4,
        "xref_mid": m["xref"] + xref_len // 2,
        "xref_mid_entry": m["xref"] + xref_len // 2 + 9,
        "xref_last_entry": m["trailer"] - 12,
        "trailer_keyword": m["trailer"] + 3,
        "trailer_dict": m["trailer"] + 20,
        "trailer_id": m["startxref"] - 20,
        "startxref_keyword": m["startxref"] + 4,
        "startxref_number": m["startxref"] + 12,
        "before_eof": m["eof"],
        "inside_eof": m["eof"] + 3,
        "last_byte": size - 1,
    }
    for label, at in sorted(cuts.items(), key=lambda kv: kv[1]):
        expect = "error" if at <= 1024 else "either"
        w.add(
            f"pdf_trunc_{label}_{at}",
            f"trunc_{label}_{at}.pdf",
            good[:at],
            f"the good PDF cut after {at} of {size} bytes ({label}); must not crash or hang",
            expect,
        )
    return w.cases


def _flip(data: bytes, rng: random.Random, lo: int, hi: int, count: int, burst: bool) -> bytes:
    out = bytearray(data)
    if burst:
        start = rng.randrange(lo, max(lo + 1, hi - count))
        positions = range(start, min(len(out), start + count))
    else:
        positions = [rng.randrange(lo, hi) for _ in range(count)]
    for pos in positions:
        out[pos] ^= rng.randrange(1, 256)
    return bytes(out)


def flips(out_dir: Path, good: bytes) -> list[Case]:
    w = Writer(out_dir, "pdf_flipped")
    m = _landmarks(good)
    regions = (
        [("body", 1024, m["xref"])] * 20
        + [("xref", m["xref"], m["trailer"])] * 8
        + [("trailer", m["trailer"], len(good))] * 4
    )
    for i, (region, lo, hi) in enumerate(regions):
        rng = random.Random(SEED + i)
        count = (1, 4, 16, 64, 256)[i % 5]
        burst = i % 3 == 2
        how = f"a burst of {count}" if burst else f"{count} random"
        w.add(
            f"pdf_flip_{i:02d}_{region}_{count}{'b' if burst else ''}",
            f"flip_{i:02d}_{region}.pdf",
            _flip(good, rng, lo, hi, count, burst),
            f"{how} byte(s) XOR-flipped in the {region} (seed {SEED + i})",
            "either",
        )
    for i in range(2):
        rng = random.Random(SEED + 100 + i)
        w.add(
            f"pdf_flip_header_{i}",
            f"flip_header_{i}.pdf",
            _flip(good, rng, 0, 5, 2, False),
            "two bytes of the %PDF- signature flipped: it is no longer a PDF",
            "error",
        )
    return w.cases


def not_pdfs(out_dir: Path, good: bytes) -> list[Case]:
    w = Writer(out_dir, "not_pdf")
    rng = random.Random(SEED)
    noise = rng.randbytes(64 * 1024)
    html = (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>绩效自评表</title></head>"
        "<body><h1>404 Not Found</h1><p>The requested filing was not found.</p></body></html>\n"
    )
    text = "财政项目支出绩效自评表\n项目名称: 合作交流工作业务费\nThis is plain text, not a PDF.\n"
    w.add("pdf_empty", "empty.pdf", b"", "0 bytes", "error")
    w.add("pdf_random_bytes", "random.pdf", noise, "64 KiB of seeded random bytes", "error")
    w.add("pdf_html_page", "page.pdf", html.encode(), "an HTML error page saved as .pdf", "error")
    w.add("pdf_plain_text", "notes.pdf", text.encode(), "UTF-8 text (with a form title) named .pdf", "error")
    w.add("pdf_utf16_text", "utf16.pdf", text.encode("utf-16"), "UTF-16 text with BOM named .pdf", "error")
    w.add("pdf_header_only", "header.pdf", b"%PDF-1.7\n", "the header line and nothing else", "error")
    w.add(
        "pdf_header_garbage",
        "header_garbage.pdf",
        b"%PDF-1.7\n" + noise,
        "a PDF header followed by 64 KiB of random bytes",
        "error",
    )
    w.add(
        "pdf_header_garbage_eof",
        "header_garbage_eof.pdf",
        b"%PDF-1.7\n" + noise[:4096] + b"\n%%EOF\n",
        "header, random bytes, %%EOF: looks complete but holds nothing",
        "error",
    )
    w.add(
        "pdf_header_nuls", "header_nuls.pdf", b"%PDF-1.4\n" + bytes(1 << 20), "header then 1 MiB of NUL bytes", "error"
    )
    w.add(
        "pdf_junk_before_header_2k",
        "junk_2k.pdf",
        noise[:2048] + good,
        "2 KiB of junk before a good PDF (beyond the 1 KiB a reader must accept)",
        "either",
    )
    w.add(
        "pdf_bom_before_header",
        "bom.pdf",
        b"\xef\xbb\xbf\r\n" + good,
        "a UTF-8 BOM and CRLF before a good PDF",
        "records",
    )
    w.add(
        "pdf_nuls_appended",
        "nuls_after.pdf",
        good + bytes(4096),
        "a good PDF with 4 KiB of NULs after %%EOF",
        "records",
    )
    w.add("pdf_twice_concatenated", "twice.pdf", good + good, "a good PDF written twice back to back", "either")
    png = pymupdf.open(stream=good, filetype="pdf")[0].get_pixmap(dpi=20).tobytes("png")
    w.add("pdf_is_png", "image.pdf", png, "a PNG named .pdf", "either")
    return w.cases


def _save(doc: pymupdf.Document, path: Path, **kwargs: object) -> None:
    doc.save(path, garbage=1, no_new_id=True, **kwargs)


def encrypted(out_dir: Path, good_pdf: Path) -> list[Case]:
    w = Writer(out_dir, "pdf_encrypted")
    perm_print = int(pymupdf.PDF_PERM_PRINT)
    user = [
        ("enc_user_aes256", pymupdf.PDF_ENCRYPT_AES_256, "secret", "owner", "AES-256"),
        ("enc_user_aes128", pymupdf.PDF_ENCRYPT_AES_128, "secret", "owner", "AES-128"),
        ("enc_user_rc4_128", pymupdf.PDF_ENCRYPT_RC4_128, "secret", "owner", "RC4-128"),
        ("enc_user_rc4_40", pymupdf.PDF_ENCRYPT_RC4_40, "secret", "owner", "RC4-40"),
        ("enc_user_equals_owner", pymupdf.PDF_ENCRYPT_AES_256, "same", "same", "AES-256, user = owner"),
        ("enc_user_unicode_pw", pymupdf.PDF_ENCRYPT_AES_256, "密码", "所有者", "AES-256, CJK passwords"),
    ]
    for name, method, user_pw, owner_pw, what in user:
        with pymupdf.open(good_pdf) as doc:
            _save(doc, w.path(f"{name}.pdf"), encryption=method, user_pw=user_pw, owner_pw=owner_pw)
        w.add(name, f"{name}.pdf", None, f"{what} with a user password: needs a password to open", "error")
    owner = [
        ("enc_owner_only_aes256_print", pymupdf.PDF_ENCRYPT_AES_256, perm_print, "AES-256, print only"),
        ("enc_owner_only_aes256_none", pymupdf.PDF_ENCRYPT_AES_256, 0, "AES-256, no permissions"),
        ("enc_owner_only_rc4_40_none", pymupdf.PDF_ENCRYPT_RC4_40, 0, "RC4-40, no permissions"),
        ("enc_owner_only_aes128_all", pymupdf.PDF_ENCRYPT_AES_128, -1, "AES-128, all permissions"),
    ]
    for name, method, perms, what in owner:
        with pymupdf.open(good_pdf) as doc:
            _save(doc, w.path(f"{name}.pdf"), encryption=method, owner_pw="owner", user_pw="", permissions=perms)
        w.add(
            name, f"{name}.pdf", None, f"{what}; owner password only: opens without a password, restricted", "records"
        )
    unknown = text_pages(1)
    unknown[90] = b"<</Filter/AcmeSecurity/V 9/R 9/Length 128>>"
    w.add(
        "enc_unknown_handler",
        "enc_unknown_handler.pdf",
        pdf(unknown, trailer_extra=b"/Encrypt 90 0 R/ID[<00112233><00112233>]"),
        "an /Encrypt dictionary naming an unknown security handler",
        "either",
    )
    dangling = text_pages(1)
    w.add(
        "enc_dangling_ref",
        "enc_dangling_ref.pdf",
        pdf(dangling, trailer_extra=b"/Encrypt 77 0 R"),
        "/Encrypt points at an object that does not exist",
        "either",
    )
    bad = text_pages(1)
    bad[90] = b"<</Filter/Standard/V 5/R 6/Length 256/O<00>/U<00>/P -4>>"
    w.add(
        "enc_standard_short_keys",
        "enc_short_keys.pdf",
        pdf(bad, trailer_extra=b"/Encrypt 90 0 R/ID[<00112233><00112233>]"),
        "a Standard AES-256 handler whose /O and /U keys are one byte long",
        "either",
    )
    return w.cases
