"""What every page source produces: words and rules in one coordinate system."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extract.geometry import Rule, Word

PageKind = Literal["text", "ocr"]


@dataclass
class PageContent:
    """One page, ready for the grid stage.

    `number` is 1-based. `timings` holds seconds per stage for this page
    (render, ocr, ...), so the benchmark can report seconds a page by stage.
    """

    number: int
    width: float
    height: float
    words: list[Word]
    rules: list[Rule]
    kind: PageKind = "text"
    timings: dict[str, float] = field(default_factory=dict)
