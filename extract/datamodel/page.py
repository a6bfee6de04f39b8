"""What every page source produces, and the page after the grid stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extract.datamodel.geometry import Rule, TextLine, Word
from extract.datamodel.table import Table

PageKind = Literal["text", "ocr"]


@dataclass(frozen=True)
class ReadInfo:
    """How a page's words were obtained; kept to the record as provenance.

    `steps` names what the page image went through before OCR (deskew, ...),
    so a person looking at a doubtful value knows what the reader saw.
    """

    source: Literal["text_layer", "ocr"]
    engine: str | None = None  # "rapidocr 3.10.0"
    dpi: int | None = None
    skew_degrees: float | None = None
    steps: tuple[str, ...] = ()


TEXT_LAYER = ReadInfo("text_layer")


@dataclass
class PageContent:
    """One page, ready for the grid stage: words and rules in PDF points.

    `number` is 1-based; coordinates have their origin at the page's top left.
    """

    number: int
    width: float
    height: float
    words: list[Word]
    rules: list[Rule]
    read: ReadInfo = TEXT_LAYER

    @property
    def kind(self) -> PageKind:
        return "text" if self.read.source == "text_layer" else "ocr"


@dataclass
class PageLayout:
    """A page after the grid stage: its tables with cell text, and the text outside them."""

    number: int
    read: ReadInfo
    tables: list[Table]
    lines: list[TextLine]
    rules: list[Rule] = field(default_factory=list)  # the ruling lines the tables were built from

    @property
    def kind(self) -> PageKind:
        return "text" if self.read.source == "text_layer" else "ocr"
