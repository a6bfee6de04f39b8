"""Split a document's pages into forms by their printed titles."""

from __future__ import annotations

from extract.datamodel.form import FormRegion
from extract.datamodel.geometry import TextLine
from extract.datamodel.page import PageLayout
from extract.normalize.values import parse_year
from extract.normalize.vocabulary import Vocabulary


def split_forms(layouts: list[PageLayout], vocab: Vocabulary, title_min_score: float) -> list[FormRegion]:
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
                form_type = vocab.match_title(item.text, title_min_score)
                if form_type is not None:
                    current = FormRegion(form_type, item)
                    forms.append(current)
                elif (
                    current is not None
                    and current.year_line is None
                    and not current.tables
                    and parse_year(item.text) is not None
                ):
                    current.year_line = item
            elif current is not None:
                current.tables.append(item)
    return forms
