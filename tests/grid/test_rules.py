"""Rules to tables: merged cells get spans, tables split, tiny tables dropped."""

from __future__ import annotations

from extract.datamodel.geometry import Rule
from extract.grid.cluster import cluster_positions
from extract.grid.rules import find_tables, rules_to_segments
from extract.settings import GridSettings
from tests.builders import ruled


def test_merged_cells_get_spans():
    xs, ys = [0, 50, 100, 150], [0, 20, 40, 60]
    # Merge column 0 over rows 1-2 (no horizontal rule at y=40 in column 0),
    # and row 0 over columns 1-2 (no vertical rule at x=100 in row 0).
    rules = ruled(xs, ys, skip_v={(2, 0)}, skip_h={(2, 0)})
    (table,) = find_tables(rules, 1, GridSettings())
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in table.cells)
    assert spans == [(0, 0, 1, 1), (0, 1, 1, 2), (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]


def test_broken_rule_pieces_join_into_one_line():
    # The middle horizontal rule is drawn in three pieces with gaps under the join tolerance.
    rules = ruled([0, 100], [0, 40]) + [Rule(0, 20, 30, 20), Rule(32, 20, 70, 20), Rule(72, 20, 100, 20)]
    segments = [s for s in rules_to_segments(rules, GridSettings()) if s.horizontal and s.pos == 20]
    assert len(segments) == 1 and (segments[0].lo, segments[0].hi) == (0, 100)
    (table,) = find_tables(rules, 1, GridSettings())
    assert table.n_rows == 2


def test_two_separate_tables_on_a_page_are_two_tables_in_reading_order():
    lower = ruled([0, 100, 200], [300, 320, 340])
    upper = ruled([0, 100, 200], [100, 120])
    tables = find_tables(lower + upper, 3, GridSettings())
    assert [t.box.y0 for t in tables] == [100, 300]
    assert all(t.page == 3 for t in tables)


def test_a_box_too_small_to_be_a_table_is_not_one():
    assert find_tables(ruled([0, 10], [0, 5]), 1, GridSettings()) == []


def test_cluster_positions_merges_near_values():
    assert cluster_positions([10.0, 10.5, 30.0, 11.0, 29.0], tol=1.5) == [10.5, 29.5]


def test_side_rules_running_past_the_last_rule_close_a_cut_row():
    # A page break cut the table: its last row's bottom edge is not drawn, only its sides run on.
    rules = ruled([0, 50, 100], [100, 120, 140]) + [
        Rule(0, 140, 0, 165),
        Rule(50, 140, 50, 165),
        Rule(100, 140, 100, 165),
    ]
    (table,) = find_tables(rules, 1, GridSettings())
    assert table.n_rows == 3 and table.open_bottom and not table.open_top
    assert table.row_edges[-1] == 165


def test_a_lone_cut_row_at_the_top_of_a_page_is_a_table():
    # Only its bottom rule and its side rules were drawn (the rest of the row is on the previous page).
    rules = [Rule(0, 60, 150, 60), Rule(0, 40, 0, 60), Rule(50, 40, 50, 60), Rule(150, 40, 150, 60)]
    (table,) = find_tables(rules, 2, GridSettings())
    assert table.open_top and table.n_rows == 1 and table.n_cols == 2
