"""Ruling lines become tables of cells with their spans.

A chain of pure functions in the manner of pdfplumber:
``rules_to_segments -> segments_to_components -> component_to_table``.
Text-layer and OCR pages both arrive here as rules in PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.datamodel.geometry import Box, Rule
from extract.datamodel.table import Cell, Table
from extract.grid.cluster import cluster_positions
from extract.settings import GridSettings


@dataclass
class Segment:
    """A merged ruling: `pos` is y for horizontal, x for vertical; [lo, hi] its extent."""

    horizontal: bool
    pos: float
    lo: float
    hi: float


# --- rules -> segments ------------------------------------------------------


def _merge_collinear(
    items: list[tuple[float, float, float]], horizontal: bool, snap: float, join: float
) -> list[Segment]:
    items.sort()
    rows: list[list[tuple[float, float, float]]] = []
    for item in items:
        if rows and item[0] - rows[-1][-1][0] <= snap:
            rows[-1].append(item)
        else:
            rows.append([item])
    segments: list[Segment] = []
    for group in rows:
        pos = sum(p for p, _, _ in group) / len(group)
        spans = sorted((lo, hi) for _, lo, hi in group)
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi + join:
                hi = max(hi, b)
            else:
                segments.append(Segment(horizontal, pos, lo, hi))
                lo, hi = a, b
        segments.append(Segment(horizontal, pos, lo, hi))
    return segments


def rules_to_segments(rules: list[Rule], settings: GridSettings) -> list[Segment]:
    horizontal = [(r.y0 + r.y1) / 2 for r in rules]
    h_items, v_items = [], []
    for rule, mid in zip(rules, horizontal):
        if rule.horizontal:
            if rule.x1 - rule.x0 >= settings.min_rule_length:
                h_items.append((mid, rule.x0, rule.x1))
        else:
            if rule.y1 - rule.y0 >= settings.min_rule_length:
                v_items.append(((rule.x0 + rule.x1) / 2, rule.y0, rule.y1))
    return _merge_collinear(h_items, True, settings.snap, settings.join) + _merge_collinear(
        v_items, False, settings.snap, settings.join
    )


# --- segments -> components -------------------------------------------------


def _touches(h: Segment, v: Segment, tol: float) -> bool:
    return h.lo - tol <= v.pos <= h.hi + tol and v.lo - tol <= h.pos <= v.hi + tol


def segments_to_components(segments: list[Segment], tol: float) -> list[list[Segment]]:
    """Group segments that cross or touch: each group is one table's ruling."""
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, s in enumerate(segments) if s.horizontal]
    vs = [i for i, s in enumerate(segments) if not s.horizontal]
    for i in hs:
        for j in vs:
            if _touches(segments[i], segments[j], tol):
                parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = {}
    for i, seg in enumerate(segments):
        groups.setdefault(find(i), []).append(seg)
    return [g for g in groups.values() if _table_like(g)]


def _table_like(group: list[Segment]) -> bool:
    """Two rules each way; or one rule across several side rules (a row cut off by a page break)."""
    across = sum(s.horizontal for s in group)
    down = len(group) - across
    return (across >= 2 and down >= 2) or (across == 1 and down >= 3)


# --- component -> cells -----------------------------------------------------


def _covered(segments: list[Segment], pos: float, lo: float, hi: float, tol: float, min_cover: float) -> bool:
    """Is the span lo..hi at `pos` drawn, for at least `min_cover` of its length?"""
    need = (hi - lo) * min_cover
    got = 0.0
    for seg in segments:
        if abs(seg.pos - pos) <= tol:
            got += max(0.0, min(hi, seg.hi + tol) - max(lo, seg.lo - tol))
    return got >= need


def _open_edges(vs: list[Segment], ys: list[float], settings: GridSettings) -> tuple[list[float], bool, bool]:
    """Close a table whose side rules run past its outer horizontal rule: a row cut by a page break.

    Browsers and word processors leave the border off where a page break cuts
    the table, so the cut row's part on the page is ruled on its sides only;
    the side rules' ends give it its missing edge, and the table says so.
    """
    reach = settings.open_edge_min
    above = [v.lo for v in vs if v.lo < ys[0] - reach]
    below = [v.hi for v in vs if v.hi > ys[-1] + reach]
    open_top, open_bottom = len(above) >= 2, len(below) >= 2
    if open_top:
        ys = [min(above), *ys]
    if open_bottom:
        ys = [*ys, max(below)]
    return ys, open_top, open_bottom


def component_to_table(component: list[Segment], page: int, settings: GridSettings) -> Table | None:
    hs = [s for s in component if s.horizontal]
    vs = [s for s in component if not s.horizontal]
    ys = cluster_positions([s.pos for s in hs], settings.snap)
    xs = cluster_positions([s.pos for s in vs], settings.snap)
    if len(xs) < 2 or len(ys) < 1:
        return None
    ys, open_top, open_bottom = _open_edges(vs, ys, settings)
    if len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    tol = settings.snap
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _covered(vs, xs[c + 1], ys[r], ys[r + 1], tol, settings.min_cover):
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and not _covered(hs, ys[r + 1], xs[c], xs[c + 1], tol, settings.min_cover):
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            regions.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for members in regions.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        # A region with no border at all on some side lies outside the ruled area.
        box = Box(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box, page))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(page, Box(xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells, open_top, open_bottom)


def find_tables(rules: list[Rule], page: int, settings: GridSettings) -> list[Table]:
    """Every ruled table on one page, top to bottom."""
    segments = rules_to_segments(rules, settings)
    tables = []
    for component in segments_to_components(segments, settings.snap * 2):
        table = component_to_table(component, page, settings)
        if (
            table is not None
            and table.box.width >= settings.min_table_width
            and table.box.height >= settings.min_table_height
        ):
            tables.append(table)
    tables.sort(key=lambda t: (t.box.y0, t.box.x0))
    return tables
