"""Hostile zip archives: traversal names, links, bombs, nesting, damage, odd methods and names."""

from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pymupdf

from tests.fuzz import rawzip
from tests.fuzz.case import Case, Writer
from tests.fuzz.rawpdf import deflate_zeros, pdf, text_pages
from tests.fuzz.rawzip import Member, deflated, stored, with_

GIB = 1 << 30
SLIP_NAMES = {
    "dotdot2": "../../x.pdf",
    "absolute_tmp": "/tmp/x.pdf",
    "backslash_dotdot": "..\\x.pdf",
    "drive_letter": "C:\\x.pdf",
    "inner_dotdot": "a/../../x.pdf",
    "deep_dotdot": "a/b/../../../../../../x.pdf",
}


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(_info(name, method), data)
    return buf.getvalue()


def _info(name: str, method: int) -> zipfile.ZipInfo:
    """A fixed timestamp and mode, so the archive bytes are the same on every run."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.external_attr = 0o644 << 16
    return info


def resaved(good: bytes) -> bytes:
    """The same forms in different bytes: a pymupdf re-save (garbage=4) with a new, fixed
    producer and file ID, so the bytes differ from GOOD's yet are the same on every run."""
    with pymupdf.open(stream=good, filetype="pdf") as doc:
        doc.set_metadata({**(doc.metadata or {}), "producer": "filing-extract fuzz re-save"})
        data = doc.tobytes(garbage=4, deflate=True, no_new_id=True)
    if data == good:
        raise ValueError("re-saving did not change the good PDF's bytes")
    return data


def safety(out_dir: Path, good: bytes) -> list[Case]:
    w = Writer(out_dir, "zip_safety")
    w.add(
        "zip_control_good",
        "control_good.zip",
        _zip({"forms/good.pdf": good}),
        "control: the good PDF under a plain name",
        "records",
    )
    for label, name in SLIP_NAMES.items():
        w.add(
            f"zip_slip_{label}",
            f"slip_{label}.zip",
            rawzip.build([deflated(name, good)]),
            f"one member named {name!r} holding the good PDF (path traversal)",
            "refused",
        )
    w.add(
        "zip_slip_local_name_differs",
        "slip_local_differs.zip",
        rawzip.build([with_(deflated("good.pdf", good), local_name=b"../../x.pdf")]),
        "central name 'good.pdf', local header name '../../x.pdf'",
        "refused",
    )
    link = (stat.S_IFLNK | 0o777) << 16
    w.add(
        "zip_symlink_etc_passwd",
        "symlink_passwd.zip",
        rawzip.build([stored("passwd.pdf", b"/etc/passwd", external_attr=link)]),
        "a symlink member 'passwd.pdf' -> /etc/passwd (S_IFLNK in external_attr)",
        "refused",
    )
    w.add(
        "zip_symlink_relative",
        "symlink_relative.zip",
        rawzip.build([stored("link.pdf", b"../../../../../../etc/passwd", external_attr=link)]),
        "a symlink member 'link.pdf' -> ../../../../../../etc/passwd",
        "refused",
    )
    w.add(
        "zip_symlink_dir_then_file",
        "symlink_dir.zip",
        rawzip.build([stored("d", b"/tmp", external_attr=link), deflated("d/x.pdf", good)]),
        "a symlink 'd' -> /tmp, then a member 'd/x.pdf' holding the good PDF",
        "refused",
    )
    return w.cases


def bombs(out_dir: Path) -> list[Case]:
    w = Writer(out_dir, "zip_bomb")
    size = 2 * GIB + GIB // 2
    payload, crc = deflate_zeros(size, wrapper=False)
    bomb = Member(b"bomb.pdf", payload, crc, size, method=8)
    w.add(
        "zip_bomb_2_5gib_member",
        "bomb_2_5gib.zip",
        rawzip.build([bomb]),
        f"one member 'bomb.pdf' of {len(payload) / 2**20:.1f} MiB inflating to 2.5 GiB of zeros",
        "refused",
    )
    for label, total in (("1gib", GIB), ("2gib", 2 * GIB)):
        payload, crc = deflate_zeros(total, prefix=b"%PDF-1.7\n", wrapper=False)
        member = Member(b"looks_like.pdf", payload, crc, total, method=8)
        w.add(
            f"zip_bomb_pdf_prefix_{label}",
            f"bomb_pdf_prefix_{label}.zip",
            rawzip.build([member]),
            f"one member starting '%PDF-1.7' then zeros, {total / GIB:.0f} GiB inflated",
            "refused",
        )
    small, crc = deflate_zeros(GIB, wrapper=False)
    alias = Member(b"alias.pdf", small, crc, GIB, method=8)
    w.add(
        "zip_bomb_overlap_40x1gib",
        "bomb_overlap.zip",
        rawzip.build([alias], aliases=39),
        "40 central entries (same name) sharing one 1 GiB member's data: 40 GiB from ~1 MiB",
        "refused",
    )
    return w.cases


def nesting(out_dir: Path, good: bytes) -> list[Case]:
    w = Writer(out_dir, "zip_nested")
    inner = _zip({"good.pdf": good})
    for depth in range(2, 11):
        inner = _zip({f"level{depth}.zip": inner}, zipfile.ZIP_STORED)
        if depth in (2, 10):
            expect = "records" if depth == 2 else "either"
            w.add(
                f"zip_nested_depth_{depth}",
                f"nested_{depth}.zip",
                inner,
                f"zips nested {depth} deep, the good PDF in the innermost",
                expect,
            )
    w.add(
        "zip_inside_pdf_name",
        "zip_named_pdf.zip",
        _zip({"inner.pdf": _zip({"good.pdf": good})}),
        "a member named inner.pdf that is really a zip",
        "error",
    )
    return w.cases


def damage(out_dir: Path, good: bytes, other: bytes) -> list[Case]:
    w = Writer(out_dir, "zip_damaged")
    base = _zip({"a.pdf": good, "b.pdf": other})
    cd = rawzip.central_start(base)
    w.add(
        "zip_truncated_central_dir",
        "trunc_cd.zip",
        base[: cd + (len(base) - cd) // 2],
        "cut in the middle of the central directory",
        "error",
    )
    w.add("zip_truncated_eocd", "trunc_eocd.zip", base[:-10], "the end-of-central-directory record cut", "error")
    w.add(
        "zip_truncated_member_data",
        "trunc_data.zip",
        base[: len(base) // 3],
        "cut inside the first member's data (no central directory)",
        "error",
    )
    w.add(
        "zip_eocd_lies_entries",
        "eocd_lies.zip",
        rawzip.build([deflated("a.pdf", good)], eocd_entries=500),
        "the end record claims 500 entries, holds 1",
        "either",
    )
    w.add(
        "zip_cd_offset_beyond",
        "cd_offset.zip",
        rawzip.build([deflated("a.pdf", good)], cd_offset_delta=10**6),
        "the central directory offset points 1 MB past the end",
        "either",
    )
    w.add("zip_not_a_zip", "not_a_zip.zip", good, "a PDF named .zip", "error")
    w.add("zip_empty_archive", "empty.zip", _zip({}), "a valid zip with no members", "error")
    w.add("zip_only_text", "only_text.zip", _zip({"readme.txt": b"hello"}), "a zip holding only a .txt", "error")
    bad_crc = deflated("badcrc.pdf", good)
    w.add(
        "zip_bad_crc",
        "bad_crc.zip",
        rawzip.build([with_(bad_crc, crc=bad_crc.crc ^ 0xDEADBEEF)]),
        "the good PDF with a wrong CRC-32 in both headers",
        "error",
    )
    w.add(
        "zip_size_lies",
        "size_lies.zip",
        rawzip.build([with_(deflated("size.pdf", good), size=100)]),
        "the good PDF whose uncompressed size is recorded as 100",
        "either",
    )
    w.add(
        "zip_encrypted_flag",
        "encrypted_flag.zip",
        rawzip.build([with_(deflated("locked.pdf", good), flags=rawzip.FLAG_ENCRYPTED)]),
        "general-purpose flag bit 0 (encrypted) set on a plain deflated member",
        "error",
    )
    w.add(
        "zip_method_deflate64",
        "deflate64.zip",
        rawzip.build([with_(deflated("d64.pdf", good), method=9)]),
        "a member whose method is 9 (Deflate64)",
        "either",
    )
    aes_extra = struct.pack("<HHHHBH", 0x9901, 7, 2, 0x4541, 3, 8)
    w.add(
        "zip_method_aes_99",
        "aes.zip",
        rawzip.build([with_(deflated("aes.pdf", good), method=99, flags=rawzip.FLAG_ENCRYPTED, extra=aes_extra)]),
        "a WinZip AES member (method 99)",
        "error",
    )
    w.add(
        "zip_method_zstd_93",
        "zstd.zip",
        rawzip.build([with_(deflated("z.pdf", good), method=93)]),
        "a member whose method is 93 (Zstandard)",
        "either",
    )
    w.add(
        "zip_method_unknown_200",
        "method200.zip",
        rawzip.build([with_(deflated("m.pdf", good), method=200)]),
        "a member with method 200",
        "error",
    )
    return w.cases


def names(out_dir: Path, good: bytes, other: bytes) -> list[Case]:
    w = Writer(out_dir, "zip_names")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name", which is the point
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_info("forms/same.pdf", zipfile.ZIP_DEFLATED), good)
            archive.writestr(_info("forms/same.pdf", zipfile.ZIP_DEFLATED), other)
        dup = buf.getvalue()
    w.add(
        "zip_duplicate_name_different_bytes",
        "duplicate_name.zip",
        dup,
        "two members both 'forms/same.pdf': the good PDF and a garbage=4 re-save of it (both "
        "real forms; both should be read)",
        "records",
    )
    w.add(
        "zip_duplicate_name_same_bytes",
        "duplicate_same.zip",
        rawzip.build([deflated("same.pdf", good), deflated("same.pdf", good)]),
        "two members 'same.pdf' with identical bytes",
        "records",
    )
    w.add(
        "zip_utf8_flag_invalid_bytes",
        "utf8_invalid.zip",
        rawzip.build([deflated(b"\xff\xfe\xc3(bad.pdf", good, flags=rawzip.FLAG_UTF8)]),
        "a name of invalid UTF-8 bytes with the UTF-8 flag set",
        "either",
    )
    w.add(
        "zip_gbk_name_no_flag",
        "gbk_name.zip",
        rawzip.build([deflated("绩效.pdf".encode("gbk"), good)]),
        "'绩效.pdf' encoded GBK, UTF-8 flag clear (read as CP437)",
        "records",
    )
    w.add(
        "zip_cp437_name",
        "cp437_name.zip",
        rawzip.build([deflated("Ärger.pdf".encode("cp437"), good)]),
        "'Ärger.pdf' in CP437, UTF-8 flag clear",
        "records",
    )
    w.add(
        "zip_nul_in_name",
        "nul_name.zip",
        rawzip.build([deflated(b"good.pdf\x00.exe", good)]),
        "a name with a NUL byte: 'good.pdf\\0.exe'",
        "either",
    )
    w.add(
        "zip_name_60000_chars",
        "long_name.zip",
        rawzip.build([deflated("n" * 60000 + ".pdf", good)]),
        "a member name 60,004 characters long",
        "either",
    )
    tiny = _zip({f"m/{i:04d}.pdf": b"x%d" % i for i in range(5000)})
    w.add(
        "zip_5000_tiny_distinct", "tiny_5000.zip", tiny, "5,000 members of 2-5 distinct junk bytes named .pdf", "either"
    )
    same = _zip({f"m/{i:04d}.pdf": b"x" for i in range(5000)})
    w.add("zip_5000_tiny_same", "tiny_5000_same.zip", same, "5,000 members all the byte 'x'", "either")
    pdfs = _zip(
        {
            f"m/{i:04d}.pdf": pdf(text_pages(1, text=b"BT /F1 18 Tf 72 720 Td (Minutes %d) Tj ET" % i))
            for i in range(5000)
        }
    )
    w.add(
        "zip_5000_tiny_text_pdfs",
        "tiny_5000_pdfs.zip",
        pdfs,
        "5,000 distinct one-page text PDFs (no form) of ~600 bytes",
        "either",
    )
    return w.cases


def mixed(out_dir: Path, good: bytes, other: bytes) -> list[Case]:
    """One hostile member beside the good PDF: the good one's 4 forms must still come out."""
    w = Writer(out_dir, "zip_mixed")
    good_member = deflated("z_good.pdf", good)
    bad_crc = deflated("a_badcrc.pdf", other)
    size = 2 * GIB + GIB // 2
    payload, crc = deflate_zeros(size, wrapper=False)
    hostile = {
        "bad_crc": (with_(bad_crc, crc=bad_crc.crc ^ 0xDEADBEEF), "a member with a bad CRC"),
        "bad_png": (stored("a_noise.png", bytes(range(256)) * 64), "a .png member of non-image bytes"),
        "count_lie": (
            deflated("a_count.pdf", pdf(text_pages(2, count_value=b"1000"))),
            "a PDF whose /Count says 1000 over 2 pages",
        ),
        "encrypted_flag": (
            with_(deflated("a_locked.pdf", other), flags=rawzip.FLAG_ENCRYPTED),
            "a member flagged encrypted",
        ),
        "utf8_invalid_name": (
            deflated(b"a_\xff\xfe.pdf", other, flags=rawzip.FLAG_UTF8),
            "a member whose UTF-8-flagged name is invalid UTF-8",
        ),
        "slip": (deflated("../../a_slip.pdf", other), "a zip-slip member '../../a_slip.pdf' (must be refused)"),
        "bomb": (Member(b"a_bomb.pdf", payload, crc, size, method=8), "a member inflating to 2.5 GiB"),
    }
    for label, (member, what) in hostile.items():
        w.add(
            f"zip_mixed_{label}_and_good",
            f"mixed_{label}.zip",
            rawzip.build([member, good_member]),
            f"{what}, then the good PDF: the batch must go on and give the good file's forms",
            "records",
        )
    return w.cases
