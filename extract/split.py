"""Split a document's pages into forms by their printed titles."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.geometry import TextLine
from extract.grid import Table
from extract.layout import PageLayout
from extract.values import parse_year
from extract.vocabulary import Vocabulary

TITLE_MIN_SCORE = 0.8


@dataclass
class FormRegion:
    """One form: its title, its year line, and its tables in order."""

    form_type: str
    title: TextLine
    year_line: TextLine | None = None
    tables: list[Table] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        pages = {self.title.page} | {t.page for t in self.tables}
        return sorted(pages)


def split_forms(layouts: list[PageLayout], vocab: Vocabulary) -> list[FormRegion]:
    """Walk pages top to bottom: a title opens a form; tables join the open one.

    A cover title (a summary sheet's heading) matches no form title and opens
    nothing; tables before the first title belong to no form and are dropped.
    """
    forms: list[FormRegion] = []
    current: FormRegion | None = None
    for layout in layouts:
        items: list[tuple[float, object]] = [(ln.box.y0, ln) for ln in layout.lines]
        items += [(t.box.y0, t) for t in layout.tables]
        for _, item in sorted(items, key=lambda pair: pair[0]):
            if isinstance(item, TextLine):
                form_type = vocab.match_title(item.text, TITLE_MIN_SCORE)
                if form_type is not None:
                    current = FormRegion(form_type, item)
                    forms.append(current)
                elif current is not None and current.year_line is None and not current.tables \
                        and parse_year(item.text) is not None:
                    current.year_line = item
            elif current is not None:
                current.tables.append(item)
    return forms
