"""Read the indicator tables: one row per indicator (三级指标), and the totals row.

The header row (its name column anchors it) says which grid column holds
which field; a header repeated after a page break is recognised, not read as
data; a form may print two tables (长期绩效指标 and 年度绩效指标), each row
keeps the table it is in.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from rapidfuzz import fuzz

from extract.datamodel.form import Extracted, FormTable, IndicatorRow, IndicatorTable, LabelledCell
from extract.datamodel.geometry import union_all
from extract.datamodel.table import Cell
from extract.forms.library import FormSpec
from extract.normalize.text import fold, join_lines
from extract.normalize.values import parse_level
from extract.normalize.vocabulary import Matcher, Vocabulary

LEVEL_COLUMNS = ("level1", "level2")
STOP_ROLES = ("total", "field", "funds_line")  # a row starting with one of these ends the indicator rows


def _header_rows(labelled: list[LabelledCell]) -> dict[int, dict[str, LabelledCell]]:
    """Grid row -> its column labels, for every row holding a name-column header."""
    columns = [lab for lab in labelled if lab.label.role == "column"]
    anchors = {lab.cell.row for lab in columns if lab.label.path == "name_raw"}
    rows: dict[int, dict[str, LabelledCell]] = {}
    for lab in sorted(columns, key=lambda lab: (lab.cell.row, lab.cell.col)):
        # A header printed over two rows (指标值 under 年度指标) counts with the anchor row it spans.
        row = next((r for r in anchors if lab.cell.row <= r <= lab.cell.last_row or r == lab.cell.row), None)
        if row is not None:
            rows.setdefault(row, {}).setdefault(lab.label.path, lab)
    return rows


def _table_of(row: int, labelled: list[LabelledCell]) -> str:
    """The table a row belongs to: the block label spanning it, else the nearest one above.

    A row above every label found is in the table printed before the first of them (the
    other of the pair): a first label a scan lost does not make its rows annual.
    """
    blocks = [lab for lab in labelled if lab.label.role == "table"]
    spanning = [lab for lab in blocks if lab.cell.row <= row <= lab.cell.last_row]
    above = [lab for lab in blocks if lab.cell.last_row < row]
    chosen = spanning or sorted(above, key=lambda lab: lab.cell.row)[-1:]
    if chosen:
        return chosen[0].label.path
    below = sorted((lab for lab in blocks if lab.cell.row > row), key=lambda lab: lab.cell.row)
    return "long_term" if below and below[0].label.path == "annual" else "annual"


def read_indicators(
    table: FormTable, spec: FormSpec, vocab: Vocabulary, labelled: list[LabelledCell]
) -> IndicatorTable:
    headers = _header_rows(labelled)
    if not headers:
        return IndicatorTable([], {}, {})
    first = min(headers)
    stops = sorted({lab.cell.row for lab in labelled if lab.label.role in STOP_ROLES and lab.cell.row > first})
    end = stops[0] if stops else table.n_rows
    rows: list[IndicatorRow] = []
    doubts: list[tuple[str, str]] = []
    heads = headers[first]
    # Repeated headers its OCR garbled (级指标 for 三级指标) are headers too, not indicators.
    like = {r for r in range(first + 1, end) if r not in headers and _like_header(table, r, heads)}
    page_tops = _first_data_rows(table.part_starts, set(headers) | like, end)
    blocks = {id(lab.cell) for lab in labelled if lab.label.role == "table"}
    for r in range(first + 1, end):
        if r in headers:
            heads = {**heads, **headers[r]}  # a repeated or second table's header: its columns from here on
            continue
        if id(table.cell_at(r, heads["name_raw"].cell.col)) in blocks:
            continue  # a table's label printed across the grid (年度绩效指标): not an indicator
        if r in like:
            continue
        row = _read_row(table, r, heads, vocab)
        if row is None:
            continue
        if r in page_tops and rows and _continues_previous(row):
            _join(rows[-1], row)  # the rest of a row a page break cut, borders drawn on both pages
            continue
        row.table = _table_of(r, labelled)
        rows.append(row)
        header = _header_text_in(table, heads, row)
        if header:
            doubts.append(
                (
                    f"indicators[{len(rows) - 1}]",
                    f"a cell of this row holds the header '{header}': a rule between the header and the row "
                    "was not found, so the row's values may be shifted",
                )
            )
        if not row.values.get("name_raw", Extracted(None)).text:
            # Every indicator has a name: a row without one lost it, or is stray marks read as a row,
            # and then every row after it is one place off: the table as a whole is in doubt.
            doubts.append(
                (
                    "indicators",
                    f"indicator row {len(rows)} has no name: the name was not read, or marks were read as a "
                    "row (then the rows after it are one place off)",
                )
            )
        if row.split:  # the row itself is in doubt, not the table: no row was lost or gained
            doubts.append(
                (
                    f"indicators[{len(rows) - 1}]",
                    "a cell of this row spans rows that have values of their own, so a rule between the rows "
                    "was not found; its lines were shared out by height",
                )
            )
        broken = [
            name
            for name in MERGE_COLUMNS
            if name in heads and _unforced_break(table.cell_at(r, heads[name].cell.col), name in NUMBER_COLUMNS)
        ]
        pair = _split_two_rows(table, r, heads, row) if len(broken) >= 2 else None
        if pair is not None:
            rows[-1:] = pair
            for i in (len(rows) - 2, len(rows) - 1):
                doubts.append(
                    (
                        f"indicators[{i}]",
                        f"indicator rows {len(rows) - 1} and {len(rows)} were printed in one band of cells (a rule "
                        "between them not found) and were split at their line break: check both",
                    )
                )
        elif len(broken) >= 2:
            doubts.append(
                (
                    "indicators",
                    f"indicator row {len(rows)} holds two lines or more in {', '.join(broken)} that do not fill "
                    "their cells: two rows may have been read as one (a rule between them not found)",
                )
            )
    defined = spec.definition.indicators.tables if spec.definition.indicators else {}
    read_into = {row.table for row in rows}
    for name, labels in defined.items():
        if name not in read_into and len(defined) > 1:
            # The variant prints this table (长期绩效指标) and it gave no row: its header was not found.
            doubts.append(
                (
                    "indicators",
                    f"this form prints the table '{labels[0]}', but no indicator was read from it (its header "
                    "row was not found): its rows are missing from the record",
                )
            )
    columns = {name: head.cell.col for name, head in headers[first].items()}
    return IndicatorTable(rows, _totals(table, labelled, heads), columns, doubts)


MERGE_COLUMNS = ("name_raw", "target", "actual", "weight", "score")
NUMBER_COLUMNS = ("weight", "score")


def _unforced_break(cell: Cell | None, number: bool) -> bool:
    """The cell holds two entries, not one wrapped: two lines that are numbers each (a number does
    not wrap), or a line of text that breaks well short of the cell's width."""
    if cell is None or len(cell.words) < 2:
        return False
    lines = _cell_lines(cell)
    if number:
        return sum(1 for line in lines if re.fullmatch(r"\d+(\.\d+)?", line[4].replace(" ", ""))) >= 2
    width = cell.box.x1 - cell.box.x0
    # A wrapped line fills its cell but for less than a character or two (the padding);
    # a line that leaves room for the next line's first character was not wrapped.
    return any(
        width - (x1 - x0) > 2.0 * _pitch(x1 - x0, h, text) and _starts_entry(text, following[4])
        for (x0, x1, _, h, text), following in pairwise(lines)
    )


def _header_text_in(table: FormTable, heads: dict[str, LabelledCell], row: IndicatorRow) -> str | None:
    """A header's text (实际完成值) inside a value of the row: header and row were read as one."""
    texts = {fold(table.text_of(head.cell) or "") for head in heads.values()}
    for value in row.values.values():
        got = fold(value.text or "")
        for text in texts:
            # At either end, where a header's line lands when its rule is lost (a note may cite 指标值).
            if len(text) >= 3 and got != text and (got.startswith(text) or got.endswith(text)):
                return text
    return None


def _cell_lines(cell: Cell) -> list[list]:
    """The cell's words grouped into lines, top to bottom: [x0, x1, cy, height, text] each."""
    lines: list[list] = []
    for w in sorted(cell.words, key=lambda w: w.box.cy):
        h = w.box.y1 - w.box.y0
        if lines and abs(w.box.cy - lines[-1][2]) < 0.5 * max(h, lines[-1][3]):
            line = lines[-1]
            line[0], line[1], line[4] = min(line[0], w.box.x0), max(line[1], w.box.x1), line[4] + w.text
        else:
            lines.append([w.box.x0, w.box.x1, w.box.cy, h, w.text])
    return lines


def _split_two_rows(
    table: FormTable, r: int, heads: dict[str, LabelledCell], row: IndicatorRow
) -> list[IndicatorRow] | None:
    """Two indicator rows read as one band of cells: the name cell holds exactly two entries, and
    every value cell holding text has it on both sides of the break or on one only (a blank).

    The level columns span both; each other cell's words go to the side of the break they stand
    on. None when the cells do not split cleanly: then the table as a whole is in doubt.
    """
    name_cell = table.cell_at(r, heads["name_raw"].cell.col)
    lines = _cell_lines(name_cell) if name_cell is not None else []
    if len(lines) != 2:
        return None
    cut = (lines[0][2] + lines[1][2]) / 2
    halves = (IndicatorRow(table=row.table), IndicatorRow(table=row.table))
    for name, value in row.values.items():
        cell = table.cell_at(r, heads[name].cell.col)
        if name in LEVEL_COLUMNS or cell is None or not cell.words:
            for half in halves:
                half.values[name] = value
            continue
        if len(_cell_lines(cell)) > 2 or any(abs(w.box.cy - cut) < 0.25 * (w.box.y1 - w.box.y0) for w in cell.words):
            return None  # three lines, or a line across the break: not two entries
        for half, words in zip(
            halves, ([w for w in cell.words if w.box.cy < cut], [w for w in cell.words if w.box.cy >= cut])
        ):
            text = join_lines([w.text for w in sorted(words, key=lambda w: (w.box.cy, w.box.x0))]) or None
            box = union_all([w.box for w in words]) if words else cell.box
            conf = min((w.confidence for w in words), default=cell.confidence)
            half.values[name] = Extracted(text, cell.page, box, conf, value.match)
    return list(halves)


_COMPARATORS = "≥≤=＝<>＜＞"


def _starts_entry(line: str, following: str) -> bool:
    """The next line may begin an entry of its own: an ideograph, or a number or sign after a line
    that does not end in a digit. A bracket, unit or % continues the line before ('≥80.00' | '(公顷)')."""
    line, following = line.strip(), following.strip()
    if not line or not following:
        return False
    first = following[0]
    if "\u4e00" <= first <= "\u9fff":
        return True
    return (first.isdigit() or first in _COMPARATORS) and not line[-1].isdigit()


def _pitch(line_width: float, height: float, text: str) -> float:
    """The width of one character of a line: CJK characters are square, Latin ones about half as wide."""
    chars = sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text if not ch.isspace())
    return min(height, line_width / chars) if chars else height


def _like_header(table: FormTable, r: int, heads: dict[str, LabelledCell]) -> bool:
    """Row r reads like the header row, cell by cell: most of its cells close to the header's texts."""
    same = compared = 0
    for head in heads.values():
        cell = table.cell_at(r, head.cell.col)
        want = fold(table.text_of(head.cell) or "")
        if cell is None or cell is head.cell or not want:
            continue
        got = fold(table.text_of(cell) or "")
        compared += 1
        same += bool(got) and fuzz.ratio(got, want) >= 75
    return compared >= 3 and same >= 0.6 * compared


def _first_data_rows(part_starts: list[int], headers: set[int], end: int) -> set[int]:
    """The first row after each page break that is not a (repeated) header."""
    out = set()
    for start in part_starts:
        row = start
        while row in headers and row < end:
            row += 1
        out.add(row)
    return out


def _continues_previous(row: IndicatorRow) -> bool:
    """The rest of a cut row: no name or no target of its own, no weight or score, text elsewhere.

    A real indicator row always has its name and its target, and its numbers
    print whole on one page; what a break pushes over is wrapped text.
    """
    text = {k: bool(v.text) for k, v in row.values.items() if k not in LEVEL_COLUMNS}
    numbers_empty = not text.get("weight") and not text.get("score")
    part_missing = not text.get("name_raw") or ("target" in text and not text["target"])
    return numbers_empty and part_missing and any(text.values())


def _join(first: IndicatorRow, rest: IndicatorRow) -> None:
    for name, value in rest.values.items():
        if name in LEVEL_COLUMNS or not value.text:
            continue
        mine = first.values.get(name)
        if mine is None or not mine.text:
            first.values[name] = value
        else:
            first.values[name] = replace(
                mine, text=join_lines([mine.text, value.text]), confidence=min(mine.confidence, value.confidence)
            )


def _read_row(table: FormTable, r: int, heads: dict[str, LabelledCell], vocab: Vocabulary) -> IndicatorRow | None:
    name_cell = table.cell_at(r, heads["name_raw"].cell.col)
    band = _row_band(table, r, heads)
    if name_cell is None or (name_cell.row != r and band is None):
        return None  # a tall cell from an earlier row
    row = IndicatorRow()
    for name, head in heads.items():
        cell = table.cell_at(r, head.cell.col)
        if cell is None:
            continue
        if name in MERGE_COLUMNS and band is not None and cell.rowspan > 1 and cell.words:
            # A name (or value) cell over rows that have values of their own: a rule between the rows
            # was not found. Its lines go to the row they stand in (flagged by the caller).
            inside = [w for w in cell.words if band[0] <= w.box.cy <= band[1]]
            text = join_lines([w.text for w in sorted(inside, key=lambda w: (w.box.cy, w.box.x0))]) or None
            conf = min((w.confidence for w in inside), default=cell.confidence)
            row.values[name] = Extracted(text, cell.page, cell.box, conf, head.score)
            row.split = True
            continue
        value = Extracted.from_cell(table, cell, head.score, spanning=name in LEVEL_COLUMNS)
        if name in LEVEL_COLUMNS:
            matcher = vocab.level1 if name == "level1" else vocab.level2
            value = _run_on(table, cell, value, matcher)
            if value.match < 1.0 and _is_entry(value.text, matcher):
                # The header was read loosely, but the cell holds an entry of this very level (产出指标):
                # its content says the column is the level column, whatever the header's OCR.
                value = replace(value, match=1.0)
        row.values[name] = value
    if not any(v.text for k, v in row.values.items() if k not in LEVEL_COLUMNS):
        return None  # blank filler row
    _drop_borrowed_level1(table, heads, r, row, vocab)
    return row


def _row_band(table: FormTable, r: int, heads: dict[str, LabelledCell]) -> tuple[float, float] | None:
    """The top and bottom of grid row r, from a value cell of that row alone (None if it has none)."""
    for name in ("target", "actual", "weight", "score", "name_raw"):
        if name not in heads:
            continue
        cell = table.cell_at(r, heads[name].cell.col)
        if cell is not None and cell.row == r and cell.rowspan == 1 and cell.text:
            return cell.box.y0, cell.box.y1
    return None


def _drop_borrowed_level1(
    table: FormTable, heads: dict[str, LabelledCell], r: int, row: IndicatorRow, vocab: Vocabulary
) -> None:
    """An empty level-1 cell at a page's foot takes the next page's top cell's text only if it fits.

    A cell the filer left empty, followed across the break by the next level-1
    cell, looks like one cut cell; when the row's level-2 entry lies under
    another level 1 in the framework, the text is not this cell's: left empty (flagged).
    """
    level1, level2 = row.values.get("level1"), row.values.get("level2")
    if level1 is None or level2 is None or not level1.text or not level2.text:
        return
    cell = table.cell_at(r, heads["level1"].cell.col)
    if cell is None or cell.text:
        return  # its own text, not borrowed
    name = vocab.level1.match(parse_level(level1.text)[0] or "", 1.0, allow_fuzzy=False).entry
    under = vocab.level2.match(level2.text, 1.0, allow_fuzzy=False).entry
    if name in vocab.framework and under is not None and under not in vocab.framework[name]:
        row.values["level1"] = replace(level1, text=None)


def _is_entry(text: str | None, matcher: Matcher) -> bool:
    """Is `text` exactly an entry (or alias) of the level's vocabulary, printed with or without its weight?"""
    return bool(text) and matcher.match(parse_level(text)[0] or "", 1.0, allow_fuzzy=False).entry is not None


def _run_on(table: FormTable, cell: Cell, value: Extracted, matcher: Matcher) -> Extracted:
    """A merged level cell whose text ran on across a page break (指 / 标).

    The joined text is taken only when it is a framework entry and the cell's
    own part is not, or the joined one adds the weight the own part lacks
    (产出指标 | (40分)): two distinct cells either side of a break stay apart.
    """
    joined = table.run_on_text(cell)
    if joined is None:
        return value

    own = value.text or ""
    gains_weight = parse_level(own)[1] is None and parse_level(joined)[1] is not None
    if _is_entry(joined, matcher) and (not _is_entry(own, matcher) or gains_weight):
        return replace(value, text=joined)
    return value


def _totals(table: FormTable, labelled: list[LabelledCell], heads: dict[str, LabelledCell]) -> dict[str, Extracted]:
    out: dict[str, Extracted] = {}
    total = next((lab for lab in labelled if lab.label.role == "total"), None)
    if total is None:
        return out
    for source, target in (("weight", "total_weight"), ("score", "total_score")):
        if source in heads:
            cell = table.cell_at(total.cell.row, heads[source].cell.col)
            if cell is not None and cell is not total.cell:
                out[target] = Extracted.from_cell(table, cell, min(total.score, heads[source].score))
    return out
