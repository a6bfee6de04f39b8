"""Zip archives, read without trusting them.

The central directory is parsed here, not by `zipfile`, which stops at the first name
that is not valid UTF-8 and reads members by name, so duplicates hide each other. Each
member is known by its place in the directory, and inflated in memory by `unpack`.
Nothing is ever written to disk by a member's name, so a name like `../../x.pdf` is only
a label; it is refused all the same, as are symbolic links, members under them and
members whose data overlaps another's.
"""

from __future__ import annotations

import re
import stat
import struct
from dataclasses import dataclass
from typing import BinaryIO

EOCD, EOCD64, LOCATOR64 = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
CENTRAL, LOCAL = b"PK\x01\x02", b"PK\x03\x04"
FLAG_ENCRYPTED, FLAG_UTF8 = 0x1, 0x800
METHOD_NAMES = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    18: "IBM TERSE",
    19: "LZ77",
    93: "Zstandard",
    95: "XZ",
    96: "JPEG",
    97: "WavPack",
    98: "PPMd",
    99: "WinZip AES encryption",
}
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveError(Exception):
    """The archive as a whole cannot be read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MemberError(Exception):
    """One member cannot be read (damaged, encrypted, ...) or is refused for safety."""

    def __init__(self, reason: str, refused: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.refused = reason, refused


@dataclass(frozen=True)
class Member:
    """One entry of the central directory, by its position in it (duplicate names stay apart)."""

    index: int
    name: str
    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int  # of its local header in the archive
    mode: int  # Unix mode bits from the external attributes
    name_problem: str | None = None

    @property
    def path(self) -> str:
        return self.name.replace("\\", "/")

    @property
    def is_link(self) -> bool:
        return stat.S_ISLNK(self.mode)

    @property
    def is_dir(self) -> bool:
        return self.path.endswith("/") or stat.S_ISDIR(self.mode)


@dataclass
class Budget:
    """Bytes inflated from one archive so far, nested archives included."""

    limit: int
    used: int = 0


def _decode(raw: bytes, flags: int) -> tuple[str, str | None]:
    """A member's name: UTF-8 when flagged; else UTF-8, GBK (Chinese Windows) or CP437, the first that fits."""
    if flags & FLAG_UTF8:
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace"), "its name is marked UTF-8 but is not valid UTF-8 (a damaged archive)"
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding), None
        except UnicodeDecodeError:
            pass
    return raw.decode("cp437"), None


def _zip64(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[at : at + 4])
        if tag == 1:
            body = extra[at + 4 : at + 4 + length]
            values = list(struct.unpack(f"<{len(body) // 8}Q", body[: len(body) // 8 * 8]))
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
        at += 4 + length
    return size, compressed, offset


def _directory(fp: BinaryIO, size: int) -> tuple[int, int, int]:
    """Where the central directory starts, its size, and the bytes prepended to the archive."""
    tail_len = min(size, 22 + 0xFFFF)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(EOCD)
    while at >= 0 and len(tail) - at < 22:
        at = tail.rfind(EOCD, 0, at)
    if at < 0:
        raise ArchiveError("it is not a zip archive, or its end is cut off (no end-of-central-directory record)")
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    end = size - tail_len + at
    zip64 = entries == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset)
    if zip64 and at >= 20 and end >= 76 and tail[at - 20 : at - 16] == LOCATOR64:
        fp.seek(end - 20 - 56)
        record = fp.read(56)
        if len(record) == 56 and record[:4] == EOCD64:
            _, cd_size, cd_offset = struct.unpack("<QQQ", record[32:56])
            end -= 20 + 56
    if cd_size > end:
        raise ArchiveError("its central directory is larger than the archive (it is cut short or damaged)")
    start = end - cd_size
    return start, cd_size, max(start - cd_offset, 0)  # an offset that lies past its place is not believed


def list_members(fp: BinaryIO, size: int) -> list[Member]:
    """Every entry of the central directory, in order; parsing stops where the directory does."""
    start, cd_size, prepended = _directory(fp, size)
    fp.seek(start)
    cd = fp.read(cd_size)
    members: list[Member] = []
    at = 0
    while at + 46 <= len(cd) and cd[at : at + 4] == CENTRAL:
        fields = struct.unpack("<4s4B4HL2L5H2L", cd[at : at + 46])
        flags, method, crc, compressed, length = fields[5], fields[6], fields[9], fields[10], fields[11]
        n_len, x_len, c_len, external, offset = fields[12], fields[13], fields[14], fields[17], fields[18]
        raw = cd[at + 46 : at + 46 + n_len]
        if len(raw) < n_len:
            break
        extra = cd[at + 46 + n_len : at + 46 + n_len + x_len]
        at += 46 + n_len + x_len + c_len
        length, compressed, offset = _zip64(extra, length, compressed, offset)
        name, problem = _decode(raw, flags)
        member = Member(
            len(members), name, raw, flags, method, crc, compressed, length, offset + prepended, external >> 16, problem
        )
        members.append(member)
    if not members and cd_size:
        raise ArchiveError("its central directory is damaged (no member entry where it should begin)")
    return members


def overlapping(members: list[Member]) -> set[int]:
    """Members whose data overlaps another's: many entries over one stream is a zip bomb."""
    found: set[int] = set()
    reach, owner = -1, -1  # the furthest end of data seen so far, and whose
    for member in sorted(members, key=lambda m: (m.offset, m.index)):
        if member.offset < reach:
            found |= {owner, member.index}
        end = member.offset + 30 + len(member.raw_name) + member.compressed
        if end > reach:
            reach, owner = end, member.index
    return found


def refusal(member: Member, links: set[str]) -> str | None:
    """Why a member is refused for safety, if it is."""
    if member.name_problem:
        return member.name_problem
    if member.is_link:
        return "it is a symbolic link; links in archives are never followed"
    path = member.path
    if any(ord(c) < 32 for c in path):
        return "its name holds control characters (a NUL can hide a name's real ending)"
    if path.startswith("/") or _DRIVE.match(path):
        return "its name is an absolute path (a zip-slip path)"
    parts = [p for p in path.split("/") if p]
    if ".." in parts:
        return "its name climbs out of the archive's folder with '..' (a zip-slip path)"
    for depth in range(1, len(parts)):
        if "/".join(parts[:depth]) in links:
            return f"it lies under '{'/'.join(parts[:depth])}', which is a symbolic link in the archive"
    return None
