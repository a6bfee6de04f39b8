"""Inflate one zip member in memory, as a stream, under the limits.

The member's data is read and inflated a bounded piece at a time; its size, its
compression ratio and its archive's running total are checked as it grows, so a
zip bomb stops with its reason long before it fills memory. Its SHA-256 and CRC-32
are computed on the way: a member is inflated once to be hashed and kept.
"""

from __future__ import annotations

import bz2
import hashlib
import lzma
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from extract.ingest.archive import FLAG_ENCRYPTED, LOCAL, METHOD_NAMES, Budget, Member, MemberError
from extract.settings import LimitSettings

CHUNK = 1 << 16  # bytes read, and inflated, at a time
RATIO_FLOOR = 32 << 20  # the compression ratio is judged once a member has inflated this far


class _Inflater:
    """Inflate a member's data a bounded piece at a time, whatever its method."""

    def __init__(self, method: int) -> None:
        self.method, self.fed, self.head = method, 0, b""
        self.engine = None
        if method == 8:
            self.engine = zlib.decompressobj(-15)
        elif method == 12:
            self.engine = bz2.BZ2Decompressor()

    @property
    def consumed(self) -> int:
        tail = getattr(self.engine, "unconsumed_tail", b"")
        return self.fed - len(tail)

    @property
    def complete(self) -> bool:
        return self.method == 0 or bool(getattr(self.engine, "eof", False))

    def _lzma(self, chunk: bytes) -> bytes:
        """A zip LZMA member starts with a version, the size of the properties, the properties."""
        if self.engine is not None:
            return chunk
        self.head += chunk
        if len(self.head) < 4 or len(self.head) < 4 + struct.unpack("<H", self.head[2:4])[0]:
            return b""
        props = self.head[4 : 4 + struct.unpack("<H", self.head[2:4])[0]]
        if len(props) < 5:
            raise MemberError("its LZMA header is damaged")
        packed = props[0]
        lc, lp, pb = packed % 9, packed // 9 % 5, packed // 45
        spec = {"id": lzma.FILTER_LZMA1, "dict_size": struct.unpack("<I", props[1:5])[0], "lc": lc, "lp": lp, "pb": pb}
        self.engine = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[spec])
        return self.head[4 + len(props) :]

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        self.fed += len(chunk)
        if self.method == 0:
            yield chunk
            return
        if self.method == 14:
            chunk = self._lzma(chunk)
            if self.engine is None:
                return
        engine = self.engine
        if self.method == 8:
            data = chunk
            while not engine.eof:
                piece = engine.decompress(data, CHUNK)
                data = engine.unconsumed_tail
                if piece:
                    yield piece
                if not data and len(piece) < CHUNK:
                    break
            return
        piece = engine.decompress(chunk, CHUNK)  # bz2 / lzma: bounded, then drained
        yield piece
        while not engine.eof and not engine.needs_input:
            yield engine.decompress(b"", CHUNK)


def _check(size: int, inflater: _Inflater, grew: int, cap: int, limits: LimitSettings, budget: Budget | None) -> None:
    if size > cap:
        raise MemberError(
            f"it inflates past {limits.max_file_mb:,} MB, more than one input may be (--max-file-size): a zip bomb?",
            refused=True,
        )
    if size > RATIO_FLOOR and size > limits.max_zip_ratio * max(inflater.consumed, 1):
        raise MemberError(
            f"it inflates more than {limits.max_zip_ratio:g} times its packed size ({inflater.consumed:,} bytes "
            f"to {size / 2**20:,.0f} MB so far): a zip bomb",
            refused=True,
        )
    if budget is not None:
        budget.used += grew
        if budget.used > budget.limit:
            raise MemberError(
                f"the archive inflates past {limits.max_archive_mb:,} MB in all (a zip bomb?); "
                "unpack it and ingest its files",
                refused=True,
            )


def _data_start(fp: BinaryIO, member: Member) -> int:
    fp.seek(member.offset)
    head = fp.read(30)
    if len(head) < 30 or head[:4] != LOCAL:
        raise MemberError("the archive is damaged: there is no member where its directory says it begins")
    n_len, x_len = struct.unpack("<HH", head[26:30])
    local = fp.read(n_len)
    if local != member.raw_name:
        raise MemberError(
            f"its local header calls it '{local.decode('utf-8', 'replace')}' where the directory says "
            f"'{member.name}' (a trick to slip a name past checks)",
            refused=True,
        )
    return member.offset + 30 + n_len + x_len


def read_member(fp: BinaryIO, member: Member, limits: LimitSettings, budget: Budget | None = None) -> tuple[bytes, str]:
    """A member's bytes and their SHA-256, inflated as a stream under the limits; raises MemberError."""
    if member.flags & FLAG_ENCRYPTED or member.method == 99:
        raise MemberError("it is encrypted (a password-protected zip); unpack it with its password, then ingest it")
    if member.method not in (0, 8, 12, 14):
        what = METHOD_NAMES.get(member.method, "unknown")
        raise MemberError(
            f"it is packed with compression method {member.method} ({what}), which cannot be unpacked here; "
            "re-pack the archive with ordinary deflate (zip -r)"
        )
    cap = limits.max_file_mb << 20
    if member.size > cap:
        raise MemberError(
            f"the archive says it inflates to {member.size / 2**20:,.0f} MB, more than one input may be "
            f"({limits.max_file_mb:,} MB, --max-file-size)",
            refused=True,
        )
    fp.seek(_data_start(fp, member))
    inflater = _Inflater(member.method)
    out = bytearray()
    digest = hashlib.sha256()
    crc = 0
    left = member.compressed
    while left > 0 and not (inflater.complete and member.method != 0):
        chunk = fp.read(min(CHUNK, left))
        if not chunk:
            raise MemberError("the archive is cut short inside this member's data")
        left -= len(chunk)
        for piece in inflater.feed(chunk):
            out += piece
            digest.update(piece)
            crc = zlib.crc32(piece, crc)
            _check(len(out), inflater, len(piece), cap, limits, budget)
    if not inflater.complete:
        raise MemberError("it is damaged: its compressed data ends before its end mark")
    if len(out) != member.size:
        raise MemberError(f"it is damaged: it holds {len(out):,} bytes where the archive says {member.size:,}")
    if crc != member.crc:
        raise MemberError("it is damaged: its CRC-32 check fails; copy the archive again from the original")
    return bytes(out), digest.hexdigest()
