"""Ruling lines in a page image: faint, thin, blurred or broken ones too.

A rule is a long, thin run of darkness with paper on both sides. On the page's
darkness (1 - grey / paper, so uneven light cancels) each direction is found
the same way, horizontal on the image and vertical on its transpose:

1. smooth along the line (noise and JPEG blocks average out) and take the
   darkest of a few rows across it (a hairline that drifts a pixel survives);
2. open with a line as long as the shortest rule: only runs that are dark all
   along remain, which strokes of text, specks and seals are not;
3. keep the runs that are thin, stand clear of the darkness beside them (a
   line of text is dark above and below its middle; a rule is not), are as
   dark as the page's own pen (show-through from the back of the sheet is a
   faint copy of the same rules), and do not run from one edge of the page to
   the other (a fold, or the scanner's lid);
4. join collinear pieces across short breaks (a worn or badly printed rule).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from extract.read.imaging import PixelBox, stretches


@dataclass(frozen=True)
class RuleFinding:
    """What `find_rules` needs to know, in pixels of the image it is given."""

    min_length: int  # shortest rule
    along: int  # smoothing length along a line
    max_thickness: int  # a rule (blur included) is never thicker
    min_darkness: float  # a rule's darkness stays above this all along it
    pen_share: float  # a rule reaches this share of the page's long rules' darkness
    clear_share: float  # darkness beside a rule is under this share of its own
    join_gap: int  # collinear pieces this close are one rule


@dataclass(frozen=True)
class PageRules:
    horizontal: list[PixelBox]
    vertical: list[PixelBox]
    page_wide: list[PixelBox]  # lines across the whole page: folds, not rules (painted out of the text too)


Run = tuple[int, int, int, int, float]  # x0, y0, x1, y1 and darkness, on the image searched


DENSE_CELLS = 2_000_000  # components x columns up to which their column maxima are held in one array (8 MB)


def _per_component(labels: np.ndarray, xs: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Each component's darkness: the median over its columns of the darkest pixel in each.

    A median, so a faint line of show-through with text printed over it stays faint.
    """
    width = int(xs.max()) + 1
    if count * width <= DENSE_CELLS:
        # One row of column maxima a component, sorted: the same median at a fraction of the
        # cost of sorting every pixel (darkness is above zero wherever a component is).
        dense = np.zeros(count * width, np.float32)
        np.maximum.at(dense, labels.astype(np.int64) * width + xs, values)
        dense = dense.reshape(count, width)
        present = np.count_nonzero(dense, axis=1)
        dense.sort(axis=1)
        middle = np.minimum(width - present + present // 2, width - 1)
        return np.where(present > 0, dense[np.arange(count), middle], 0.0).astype(np.float32)
    keys, inverse = np.unique(labels.astype(np.int64) * width + xs, return_inverse=True)
    column_max = np.zeros(keys.size, np.float32)
    np.maximum.at(column_max, inverse, values)
    return _group_median(keys // width, column_max, count).astype(np.float32)


def _group_median(owner: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """The median of `values` for each owner 0..count-1 (0 where it has none)."""
    order = np.lexsort((values, owner))
    owner, values = owner[order], values[order]
    starts = np.searchsorted(owner, np.arange(count))
    ends = np.searchsorted(owner, np.arange(count), side="right")
    middle = np.clip((starts + ends) // 2, 0, max(owner.size - 1, 0))
    return np.where(ends > starts, values[middle] if values.size else 0.0, 0.0)


def _core_boxes(index: np.ndarray, labels: np.ndarray, width: int, count: int) -> np.ndarray:
    """Bounding boxes (x0, y0, x1, y1) of each component's core pixels (`index`: flat positions)."""
    ys, xs = np.divmod(index, width)
    boxes = np.zeros((count, 4), np.int64)
    boxes[:, :2] = np.iinfo(np.int64).max
    np.minimum.at(boxes[:, 0], labels, xs)
    np.minimum.at(boxes[:, 1], labels, ys)
    np.maximum.at(boxes[:, 2], labels, xs + 1)
    np.maximum.at(boxes[:, 3], labels, ys + 1)
    return boxes


def _beside(
    core: np.ndarray, labels: np.ndarray, smooth: np.ndarray, count: int, reach: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean darkness of the bands 3..(2 + reach) pixels above and below each component's core."""
    size = reach + 3
    kernel = np.ones((size, 1), np.uint8)
    near = cv2.dilate(core, np.ones((5, 1), np.uint8)) > 0
    # Only core pixels spread their label (a label above 0), so the band is the core's dilation;
    # labels dilate exactly as 16-bit integers (a third of float32's cost) where they fit.
    owners = np.where(core > 0, labels, 0).astype(np.uint16 if count < 2**16 else np.float32)
    means = []
    for anchor in ((0, 0), (0, size - 1)):  # above, below
        spread = cv2.dilate(owners, kernel, anchor=anchor)
        band = np.flatnonzero((spread > 0) & ~near)
        owner = spread.ravel()[band].astype(np.int32)
        sizes = np.bincount(owner, minlength=count)
        means.append(np.bincount(owner, weights=smooth.ravel()[band], minlength=count) / np.maximum(sizes, 1))
    return means[0], means[1]


def _floor(opened: np.ndarray, least: float) -> np.ndarray | float:
    """The darkness a rule must stay above, around each pixel: clear of the paper's own grain.

    The paper level is a local maximum, so grain and JPEG noise leave the bare
    paper a little dark, more so where the scan is noisy or shaded; the median
    of the opened darkness over a few dozen points around (paper, mostly) plus
    a margin of its spread over the page is noise, not a rule; never under `least`.
    """
    step = 8
    h, w = opened.shape
    if h < 4 * step or w < 4 * step:
        return least
    small = cv2.resize(opened, (w // step, h // step), interpolation=cv2.INTER_AREA)
    u8 = np.clip(small * 255.0, 0, 255).astype(np.uint8)
    local = cv2.medianBlur(u8, 9).astype(np.float32) / 255.0
    spread = float(np.median(np.abs(small - local)))
    floor = cv2.resize(local, (w, h), interpolation=cv2.INTER_LINEAR) + (6.0 * spread + 0.01)
    return np.maximum(floor, least)


def _one_direction(dark: np.ndarray, f: RuleFinding) -> list[Run]:
    """Horizontal runs of `dark` that look like rules: (x0, y0, x1, y1, darkness) each."""
    smooth = cv2.blur(dark, (f.along, 1))
    widened = cv2.dilate(smooth, np.ones((3, 1), np.uint8))
    opened = cv2.morphologyEx(widened, cv2.MORPH_OPEN, np.ones((1, f.min_length), np.uint8))
    mask = (opened > _floor(opened, f.min_darkness)).astype(np.uint8)
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    if count <= 1:
        return []
    where = np.flatnonzero(mask)
    lab = labels.ravel()[where]
    values = opened.ravel()[where]
    strength = _per_component(lab, where % mask.shape[1], values, count)
    # The core of each run (at least half its darkness), and the band 2..(2 + max_thickness) pixels beside it.
    core_index = values >= 0.5 * strength[lab]
    core = np.zeros(mask.shape, np.uint8)
    core.ravel()[where[core_index]] = 1
    core_where, core_lab = where[core_index], lab[core_index]
    extents = _core_boxes(core_where, core_lab, mask.shape[1], count)
    # Columns each core covers: a rule is continuous, scattered strokes of text are not.
    width = mask.shape[1]
    columns, first = np.unique(core_lab.astype(np.int64) * width + core_where % width, return_inverse=True)
    covered = np.bincount(columns // width, minlength=count)
    # ... and where the unsmoothed darkness itself reaches half the run's: gaps between characters do not.
    raw = np.zeros(columns.size, np.float32)
    np.maximum.at(raw, first, dark.ravel()[core_where])
    solid = np.bincount((columns // width)[raw >= 0.5 * strength[columns // width]], minlength=count)
    core_sizes = np.bincount(core_lab, minlength=count)
    # Each column's centre across; a rule's stay near their median (a stroke of text touching it does not move it).
    column_count = np.bincount(first, minlength=columns.size)
    centre = np.bincount(first, weights=core_where // width, minlength=columns.size) / np.maximum(column_count, 1)
    owner = columns // width
    middle = _group_median(owner, centre, count)
    drift = np.abs(centre - middle[owner])
    up, down = _beside(core, labels, smooth, count, f.max_thickness)
    runs = []
    for i in range(1, count):
        x0, y0, x1, y1 = (int(v) for v in extents[i])
        w, h = x1 - x0, y1 - y0
        if w < f.min_length or covered[i] < 0.7 * w:
            continue
        thickness = core_sizes[i] / covered[i] - 2  # less the widening across
        if thickness > f.max_thickness:
            continue
        # Straight: most columns' centres within its own thickness of the median, give or take what a
        # deskewed page keeps of its tilt; a touching stroke of text moves a few columns, not most.
        if h > thickness + 5 + w // 150:
            if thickness > f.max_thickness / 2:
                continue  # thick and not straight: a line of text
            mine = owner == i
            if np.count_nonzero(drift[mine] <= thickness / 2 + 3 + w // 300) < 0.85 * covered[i]:
                continue
            y0 = round(float(middle[i]) - thickness / 2 - 1)
            y1 = round(float(middle[i]) + thickness / 2 + 1)
        # Paper beside it: on both sides, or on one where it is unbroken (text may sit close to a rule).
        clear = f.clear_share * strength[i]
        if min(up[i], down[i]) > clear or (max(up[i], down[i]) > clear and solid[i] < 0.9 * covered[i]):
            continue  # dark beside it too: a line of text, not a rule
        runs.append((x0, y0, x1, y1, float(strength[i])))
    return _cut_faint(runs, smooth, f)


def _cut_faint(runs: list[Run], smooth: np.ndarray, f: RuleFinding) -> list[Run]:
    """Cut a run where it fades to a ghost for longer than a worn rule's break: a table's side
    rules continued by show-through from the back of the sheet, across the paper between two
    forms, are two tables' rules, not one."""
    longest_break = 3 * f.join_gap
    out: list[Run] = []
    for x0, y0, x1, y1, strength in runs:
        profile = smooth[y0 : max(y1, y0 + 1), x0:x1].max(axis=0)
        # A border continued by a longer ghost has the ghost's median darkness: cut at the border's.
        level = float(np.percentile(profile, 90))
        mixed = level > 3 * strength
        faint = profile < 0.3 * (level if mixed else strength)
        pieces, start = [], x0
        for lo, hi in stretches(faint):
            if hi - lo > longest_break:
                if x0 + lo - start >= f.min_length:
                    pieces.append((start, x0 + lo))
                start = x0 + hi
        if x1 - start >= f.min_length:
            pieces.append((start, x1))
        for a, b in pieces:
            # Each piece of a mixed run is as dark as itself: the pen filter then tells border from ghost.
            own = float(np.median(profile[a - x0 : b - x0])) if mixed else strength
            out.append((a, y0, b, y1, own))
    return out


def _join(runs: list[Run], gap: int, tol: int) -> list[Run]:
    """Collinear runs of one pen (centres within `tol`) with a break of at most `gap` become one."""
    out: list[list[float]] = []
    for x0, y0, x1, y1, s in sorted(runs, key=lambda r: ((r[1] + r[3]) / 2, r[0])):
        cy = (y0 + y1) / 2
        for run in out:
            similar = 0.4 <= s / max(run[4], 1e-6) <= 2.5
            if similar and abs((run[1] + run[3]) / 2 - cy) <= tol and x0 <= run[2] + gap and run[0] <= x1 + gap:
                length, extra = run[2] - run[0], x1 - x0
                run[4] = (run[4] * length + s * extra) / max(length + extra, 1)
                run[0], run[1], run[2], run[3] = min(run[0], x0), min(run[1], y0), max(run[2], x1), max(run[3], y1)
                break
        else:
            out.append([x0, y0, x1, y1, s])
    return [(int(a), int(b), int(c), int(d), e) for a, b, c, d, e in out]


def _keep(runs: list[Run], side: int, f: RuleFinding) -> tuple[list[Run], list[Run]]:
    """Rules of the page's pen, and the page-wide lines (folds) apart."""
    page_wide = [r for r in runs if r[2] - r[0] >= 0.93 * side]
    runs = [r for r in runs if r[2] - r[0] < 0.93 * side]
    long_ones = sorted(r[4] for r in runs if r[2] - r[0] >= side // 5)
    # The pen is the dark group's typical level: show-through from the back of the sheet can draw
    # more long (ghost) rules than the front, so a plain quantile of all of them may be a ghost's.
    dark_group = [v for v in long_ones if v >= 0.5 * long_ones[-1]] if long_ones else []
    pen = dark_group[len(dark_group) // 2] if dark_group else max((r[4] for r in runs), default=0.0)
    return [r for r in runs if r[4] >= f.pen_share * pen], page_wide


def _touching(runs: list[Run], across: list[Run], short: int, tol: int, reach: int, cut: int = 0) -> list[Run]:
    """Runs shorter than `short` only where each end reaches a rule the other way, directly or
    through pieces of the same rule with breaks of at most `reach` (a worn rule), or, with `cut`,
    where the end of a run at least `cut` long lines up with two other such runs' (a table cut by a
    page break): a cell's edge runs from rule to rule, while a stroke of text (a title's, a row of
    characters with their top strokes at one height, even one that starts at a cell's rule) does not.

    `across` is in the transposed frame: its (x0, y0, x1, y1) are (y0, x0, y1, x1) here.
    """

    def crosses(x: float, y: float) -> bool:
        return any(abs((a[1] + a[3]) / 2 - x) <= tol and a[0] - tol <= y <= a[2] + tol for a in across)

    def aligned(run: Run, at_end: bool) -> bool:
        # A table cut by a page break with no rule under its last row (or over its first): its columns'
        # rules all end at one line (strokes of text standing on one baseline are shorter than `cut`).
        if not cut or run[2] - run[0] < cut:
            return False
        x = run[2] if at_end else run[0]
        return (
            sum(1 for o in runs if o is not run and o[2] - o[0] >= cut and abs(o[2 if at_end else 0] - x) <= tol) >= 2
        )

    centre = [(r[1] + r[3]) / 2 for r in runs]

    def neighbour(i: int, step: int) -> int | None:
        """The nearest collinear run beyond run i's end, within `reach`."""
        best, gap = None, reach + 1
        for j, other in enumerate(runs):
            if j == i or abs(centre[j] - centre[i]) > tol:
                continue
            g = other[0] - runs[i][2] if step > 0 else runs[i][0] - other[2]
            if 0 <= g < gap:
                best, gap = j, g
        return best

    def anchored(i: int, step: int, seen: frozenset[int]) -> bool:
        run = runs[i]
        if crosses(run[2] if step > 0 else run[0], centre[i]) or aligned(run, step > 0):
            return True
        j = neighbour(i, step)
        return j is not None and j not in seen and anchored(j, step, seen | {j})

    return [
        run
        for i, run in enumerate(runs)
        if run[2] - run[0] >= short or (anchored(i, -1, frozenset({i})) and anchored(i, 1, frozenset({i})))
    ]


def _rules_along(image: np.ndarray, f: RuleFinding) -> tuple[list[Run], list[Run]]:
    """One direction's rules and page-wide lines (horizontal on `image`)."""
    runs = _one_direction(image, f)
    runs = _join(runs, f.join_gap, max(2, f.max_thickness // 2))
    return _keep(runs, image.shape[1], f)


def find_rules(dark: np.ndarray, f: RuleFinding, threads: int = 1) -> PageRules:
    """Horizontal and vertical rules of a page's darkness map (float32, 0 paper .. 1 black).

    With `threads` above one the two directions are searched at once: NumPy and OpenCV let go
    of the interpreter on whole-image work, and the rest of each search is its own.
    """
    images = (dark, np.ascontiguousarray(dark.T))
    if threads > 1:
        with ThreadPoolExecutor(2) as pool:
            found = list(pool.map(_rules_along, images, (f, f)))
    else:
        found = [_rules_along(image, f) for image in images]
    (h, h_wide), (v, v_wide) = found
    tol, reach = max(3, f.max_thickness // 2), 3 * f.join_gap
    h = _touching(h, v, dark.shape[1] // 4, tol, reach)
    v = _touching(v, h, dark.shape[0] // 4, tol, reach, cut=2 * f.min_length)

    def boxes(runs: list[Run], transposed: bool) -> list[PixelBox]:
        if transposed:
            return [PixelBox(y0, x0, y1, x1) for x0, y0, x1, y1, _ in runs]
        return [PixelBox(x0, y0, x1, y1) for x0, y0, x1, y1, _ in runs]

    return PageRules(boxes(h, False), boxes(v, True), boxes(h_wide, False) + boxes(v_wide, True))
