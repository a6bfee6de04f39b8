"""Find each variant form's pages in its printed PDF, by its own title.

samples/corpus/locate.py finds the two seed titles; the variants print others
(部门预算项目支出绩效自评表, 项目绩效目标表, 佳县财政支出项目绩效目标申报表), so the
same rule is applied here to each form's own title: the k-th title printed
(pages in order, top to bottom) opens form k, which ends on the last page with
text before the next title. Pages are read off the printed file, never assumed.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from samples.corpus.locate import page_texts, title_places
from samples.corpus.pools import fold


def form_pages(pdf: Path, titles: list[str], names: list[str]) -> list[list[int]]:
    """1-based pages of each form (titles and project names in print order); raises if they cannot be told apart."""
    texts = page_texts(pdf)
    with pymupdf.open(pdf) as doc:
        found = title_places(doc, set(titles))
    if len(found) != len(titles):
        raise ValueError(f"{pdf.name}: {len(found)} titles printed for {len(titles)} forms")
    last_page = max((p for p, t in enumerate(texts) if t), default=0)
    out = []
    for k, name in enumerate(names):
        first = found[k][0]
        if k + 1 < len(found):
            next_page, text_above = found[k + 1]
            end = next_page if text_above else next_page - 1
        else:
            end = last_page
        pages = list(range(first + 1, end + 2))
        holding = [p for p in pages if fold(name) in texts[p - 1]]
        if not holding or holding[0] not in pages[:2]:
            raise ValueError(f"{pdf.name}: project name of form {k + 1} is not near its first page")
        out.append(pages)
    return out
