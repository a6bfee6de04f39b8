"""The confidence ledger: per field path, how sure we are, why not, and where it was read.

Every stage's doubt about a field lands here (OCR scores, label matches,
shapes, vocabulary, broken rules); the record's `confidence`, `review` and
`provenance` are read off it when the record is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.datamodel.form import MISSING, Extracted
from extract.datamodel.geometry import Box, union_all
from extract.settings import ConfidenceSettings


@dataclass
class Ledger:
    settings: ConfidenceSettings
    confidence: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, list[str]] = field(default_factory=dict)
    places: dict[str, tuple[int, Box]] = field(default_factory=dict)  # path -> (page, box)

    def note(self, path: str, confidence: float, reason: str | None = None) -> None:
        self.confidence[path] = round(min(self.confidence.get(path, 1.0), confidence), 3)
        if reason and reason not in self.reasons.setdefault(path, []):
            self.reasons[path].append(reason)

    def inherit(self, path: str, source: str) -> None:
        """A field derived from another one (a name kept as printed) shares its doubt and reasons."""
        if source in self.confidence:
            self.note(path, self.confidence[source])
        for reason in self.reasons.get(source, []):
            self.note(path, self.confidence.get(path, 1.0), reason)

    def place(self, path: str, page: int | None, box: Box | None) -> None:
        """Where the field's value was read: the review page crops the page there."""
        if page is not None and box is not None:
            self.places[path] = (page, box)

    def seen(self, path: str, value: Extracted, required: bool = True) -> None:
        self.place(path, value.page, value.box)
        if value is MISSING:
            if required:
                self.note(path, 0.0, "its label was not found on the form")
            return
        conf = min(value.confidence, value.match)
        reason = None
        if value.confidence < self.settings.doubt_below:
            reason = f"OCR read this cell with confidence {value.confidence:.2f}; check it against the page"
        elif value.match < self.settings.doubt_below:
            reason = f"its printed label only loosely matched ({value.match:.2f})"
        self.note(path, conf, reason)
        if required and value.text is None:
            self.note(path, self.settings.bad_shape, "the cell is empty")

    def place_of(self, path: str) -> tuple[int, Box] | None:
        """The place of a path; for a parent (a whole funds row), its fields' on their first page."""
        if path in self.places:
            return self.places[path]
        under = [self.places[p] for p in self.places if p.startswith(path + ".") or p.startswith(path + "[")]
        if not under:
            return None
        page = min(page for page, _ in under)
        return page, union_all([box for p, box in under if p == page])
