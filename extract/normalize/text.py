"""Text normalisation shared by every stage: joining wrapped lines, folding.

The contract: Chinese lines join with no space; white space inside a Chinese run
is dropped; consumers compare after Unicode NFKC.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_RUN = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs and full-width punctuation (no spaces around them)."""
    code = ord(ch)
    return (
        0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x3400 <= code <= 0x9FFF  # ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def _needs_space(left: str, right: str) -> bool:
    """A space survives only between two Latin words; numbers never hold one."""
    if not (left.isascii() and right.isascii() and left.isalnum() and right.isalnum()):
        return False
    return not (left.isdigit() and right.isdigit())


def tidy(text: str) -> str:
    """Collapse white space; drop it wherever one side is not a Latin word char."""
    parts = _SPACE_RUN.split(text.strip())
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if not part:
            continue
        if out and _needs_space(out[-1], part[0]):
            out += " " + part
        else:
            out += part
    return out


def join_lines(lines: list[str]) -> str:
    """Join the wrapped lines of one cell, top to bottom."""
    out = ""
    for line in lines:
        line = tidy(line)
        if not line:
            continue
        if out and _needs_space(out[-1], line[0]):
            out += " "
        out += line
    return out


def fold(text: str) -> str:
    """The comparison form: NFKC, no white space."""
    return _SPACE_RUN.sub("", unicodedata.normalize("NFKC", text))
