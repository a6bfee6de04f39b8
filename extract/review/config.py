"""What one review server is set up with: who reviews, what is blind, where the sources are, who may connect."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

BLIND_KINDS = ("amounts",)  # --blind amounts: decimal fields are typed without seeing the extraction


@dataclass(frozen=True)
class ReviewConfig:
    out_dir: Path  # the ingest's --out folder: the user vocabulary (learned aliases) lives here
    reviewer: str  # the name decisions are audited under, unless a browser gives its own
    blind: frozenset[str] = frozenset()
    source_roots: tuple[Path, ...] = ()  # where relative paths in the store are looked for, after the cwd
    host: str = "127.0.0.1"
    port: int = 0
    allow_remote: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs the CSRF token
    crop_dpi: int = 150

    @property
    def blind_amounts(self) -> bool:
        return "amounts" in self.blind


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_share(text: str) -> float:
    """'1%' -> 0.01, '0.05' -> 0.05; ValueError outside (0, 1]."""
    raw = text.strip()
    share = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    if not 0 < share <= 1:
        raise ValueError(f"the sample share must lie between 0 and 100 %, not {text}")
    return share
