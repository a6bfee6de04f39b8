"""The table layer against its peers: this project's grid, camelot lattice, PyMuPDF.

Two scores. On the labelled samples: the share of gold cells (every printed
cell, wrapped labels included) whose text a system recovers exactly on that
page. On public datasets (camelot's test cases, ICDAR 2013): precision, recall
and F1 of cell adjacency relations, the competition's usual measure.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pymupdf

from extract.grid.layout import page_to_layout
from extract.normalize.text import fold, join_lines
from extract.read.textlayer import read_text_page
from extract.settings import GridSettings, TextLayerSettings

Grid = list[list[str]]  # one table: rows of cell texts ('' = empty or merged away)


def _norm(text: str | None) -> str:
    """Cell text as compared: wrapped lines joined (CJK without a space), folded."""
    if not text:
        return ""
    return fold(join_lines(str(text).split("\n")))


def ours(pdf: Path, page: int) -> list[Grid]:
    with pymupdf.open(pdf) as doc:
        layout = page_to_layout(read_text_page(doc[page], TextLayerSettings()), GridSettings())
    return [t.as_rows() for t in layout.tables]


def camelot_lattice(pdf: Path, page: int, line_scale: int = 40) -> list[Grid]:
    import camelot

    # line_scale 40: camelot's default (15) drops the short rules of narrow cells.
    tables = camelot.read_pdf(str(pdf), pages=str(page + 1), flavor="lattice", line_scale=line_scale)
    return [[[str(v) for v in row] for row in t.df.values.tolist()] for t in tables]


def pymupdf_tables(pdf: Path, page: int) -> list[Grid]:
    with pymupdf.open(pdf) as doc:
        pymupdf.no_recommend_layout()  # its advice to install pymupdf_layout would land on stdout
        found = doc[page].find_tables()
        return [[[c or "" for c in row] for row in t.extract()] for t in found.tables]


SYSTEMS: Mapping[str, Callable[[Path, int], list[Grid]]] = MappingProxyType(
    {
        "filing-extract grid": ours,
        "camelot lattice": camelot_lattice,
        "pymupdf find_tables": pymupdf_tables,
    }
)


def timed_grids(system: Callable[[Path, int], list[Grid]], pdf: Path, page: int, score: Any) -> list[Grid]:
    """One system on one page, its seconds and page added to `score`.

    A peer that fails on a page is a result (no tables found there), not a crash.
    """
    start = time.perf_counter()
    try:
        grids = system(pdf, page)
    except Exception as exc:
        grids = []
        score.errors.append(f"{pdf.name} p{page + 1}: {type(exc).__name__}: {exc}")
    score.seconds += time.perf_counter() - start
    score.pages += 1
    return grids


@dataclass
class CellScore:
    gold: int = 0
    found: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


def score_gold_cells(pdfs: list[Path]) -> dict[str, CellScore]:
    """Each system on each page of the labelled PDFs: exact gold-cell recovery."""
    out = {name: CellScore() for name in SYSTEMS}
    for pdf in pdfs:
        cells_file = pdf.with_name(pdf.name.rsplit(".", 1)[0] + ".cells.json")
        if not cells_file.exists():
            continue
        gold = json.loads(cells_file.read_text(encoding="utf-8"))
        with pymupdf.open(pdf) as doc:
            n_pages = doc.page_count
        for page in range(n_pages):
            want = Counter(_norm(c["text"]) for c in gold if c["page"] == page + 1)
            for name, system in SYSTEMS.items():
                score = out[name]
                grids = timed_grids(system, pdf, page, score)
                got = Counter(_norm(cell) for grid in grids for row in grid for cell in row if cell)
                score.gold += sum(want.values())
                score.found += sum(min(n, got[text]) for text, n in want.items())
    return out


# --- ICDAR 2013 style adjacency relations ----------------------------------------


def _relations(grid_cells: list[tuple[int, int, int, int, str]]) -> Counter:
    """(text, text, direction) for each cell and its nearest non-empty neighbour right and below."""
    occupied: dict[tuple[int, int], int] = {}
    for i, (r0, r1, c0, c1, _text) in enumerate(grid_cells):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                occupied[(r, c)] = i
    max_r = max((c[1] for c in grid_cells), default=-1)
    max_c = max((c[3] for c in grid_cells), default=-1)
    rel: Counter = Counter()
    for i, (r0, r1, c0, c1, text) in enumerate(grid_cells):
        if not text:
            continue
        for direction in ("right", "below"):
            seen = set()
            span = range(r0, r1 + 1) if direction == "right" else range(c0, c1 + 1)
            for k in span:
                step = c1 + 1 if direction == "right" else r1 + 1
                limit = max_c if direction == "right" else max_r
                while step <= limit:
                    key = (k, step) if direction == "right" else (step, k)
                    j = occupied.get(key)
                    if j is not None and j != i and grid_cells[j][4]:
                        seen.add(j)
                        break
                    step += 1
            for j in seen:
                rel[(text, grid_cells[j][4], direction)] += 1
    return rel


def _grid_to_cells(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return [(r, r, c, c, _norm(v)) for r, row in enumerate(grid) for c, v in enumerate(row)]


def icdar_gold(str_xml: Path) -> dict[int, Counter]:
    """Page (0-based) -> gold adjacency relations, from an ICDAR *-str.xml."""
    root = ET.parse(str_xml).getroot()
    out: dict[int, Counter] = {}
    for table in root.iter("table"):
        for region in table.iter("region"):
            page = int(region.get("page", "1")) - 1
            cells = []
            for cell in region.iter("cell"):
                r0 = int(cell.get("start-row"))
                c0 = int(cell.get("start-col"))
                r1 = int(cell.get("end-row", r0))
                c1 = int(cell.get("end-col", c0))
                content = cell.findtext("content") or ""
                cells.append((r0, r1, c0, c1, _norm(content)))
            out.setdefault(page, Counter()).update(_relations(cells))
    return out


@dataclass
class RelationScore:
    gold: int = 0
    predicted: int = 0
    correct: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_relations(cases: list[tuple[Path, int, Counter]]) -> dict[str, RelationScore]:
    out = {name: RelationScore() for name in SYSTEMS}
    for pdf, page, gold in cases:
        for name, system in SYSTEMS.items():
            score = out[name]
            grids = timed_grids(system, pdf, page, score)
            got: Counter = Counter()
            for grid in grids:
                got.update(_relations(_grid_to_cells(grid)))
            score.gold += sum(gold.values())
            score.predicted += sum(got.values())
            score.correct += sum((got & gold).values())
    return out


def icdar_cases(root: Path) -> list[tuple[Path, int, Counter]]:
    cases = []
    for str_xml in sorted(root.glob("*/*-str.xml")):
        pdf = str_xml.with_name(str_xml.name.replace("-str.xml", ".pdf"))
        if pdf.exists():
            for page, gold in icdar_gold(str_xml).items():
                cases.append((pdf, page, gold))
    return cases


def camelot_cases(root: Path) -> list[tuple[Path, int, Counter]]:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    cases = []
    seen = set()
    for case in manifest["cases"]:
        if case.get("flavor") != "lattice" or case.get("read_pdf_kwargs", {}).get("table_areas"):
            continue
        page = int(str(case.get("page") or "1").split(",")[0]) - 1
        key = (case["pdf"], page, case.get("table_index", 0))
        if key in seen:
            continue
        seen.add(key)
        gold = _relations(_grid_to_cells(case["expected"]))
        cases.append((root / case["pdf"], page, gold))
    # Cases on the same page are scored together.
    merged: dict[tuple[Path, int], Counter] = {}
    for pdf, page, gold in cases:
        merged.setdefault((pdf, page), Counter()).update(gold)
    return [(pdf, page, gold) for (pdf, page), gold in merged.items()]
