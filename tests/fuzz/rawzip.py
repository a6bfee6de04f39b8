"""Zip archives written byte by byte, for what `zipfile` will not write (or fixes on the way)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field, replace

DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
UNIX = 3
FLAG_ENCRYPTED = 0x1
FLAG_UTF8 = 0x800


@dataclass(frozen=True)
class Member:
    """One entry as it is stored: PAYLOAD is already compressed with METHOD."""

    name: bytes
    payload: bytes
    crc: int
    size: int
    method: int = 0
    flags: int = 0
    external_attr: int = 0
    create_system: int = UNIX
    extra: bytes = b""
    local_name: bytes | None = None  # a different name in the local header


def stored(name: str | bytes, data: bytes, **kwargs: object) -> Member:
    raw = name.encode() if isinstance(name, str) else name
    return Member(raw, data, zlib.crc32(data), len(data), **kwargs)  # type: ignore[arg-type]


def deflated(name: str | bytes, data: bytes, **kwargs: object) -> Member:
    raw = name.encode() if isinstance(name, str) else name
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = comp.compress(data) + comp.flush()
    return Member(raw, payload, zlib.crc32(data), len(data), method=8, **kwargs)  # type: ignore[arg-type]


def with_(member: Member, **changes: object) -> Member:
    return replace(member, **changes)  # type: ignore[arg-type]


@dataclass
class _Layout:
    body: bytearray = field(default_factory=bytearray)
    central: bytearray = field(default_factory=bytearray)
    entries: int = 0


def _local(m: Member) -> bytes:
    name = m.local_name if m.local_name is not None else m.name
    return (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            m.flags,
            m.method,
            0,
            DOS_DATE,
            m.crc,
            len(m.payload),
            m.size,
            len(name),
            len(m.extra),
        )
        + name
        + m.extra
    )


def _central(m: Member, offset: int) -> bytes:
    return (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (m.create_system << 8) | 20,
            20,
            m.flags,
            m.method,
            0,
            DOS_DATE,
            m.crc,
            len(m.payload),
            m.size,
            len(m.name),
            len(m.extra),
            0,
            0,
            0,
            m.external_attr,
            offset,
        )
        + m.name
        + m.extra
    )


def build(
    members: list[Member], *, aliases: int = 0, eocd_entries: int | None = None, cd_offset_delta: int = 0
) -> bytes:
    """The archive bytes. ALIASES more central entries all point at the first member's data
    (an overlapping-entries bomb); EOCD_ENTRIES and CD_OFFSET_DELTA make the end record lie."""
    lay = _Layout()
    offsets = []
    for m in members:
        offsets.append(len(lay.body))
        lay.body += _local(m) + m.payload
    for m, offset in zip(members, offsets):
        lay.central += _central(m, offset)
        lay.entries += 1
    for _ in range(aliases):
        lay.central += _central(members[0], offsets[0])
        lay.entries += 1
    count = lay.entries if eocd_entries is None else eocd_entries
    eocd = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(lay.central), len(lay.body) + cd_offset_delta, 0
    )
    return bytes(lay.body + lay.central + eocd)


def central_start(archive: bytes) -> int:
    """Offset of the central directory, read from the end record."""
    at = archive.rfind(b"PK\x05\x06")
    return struct.unpack("<I", archive[at + 16 : at + 20])[0]
