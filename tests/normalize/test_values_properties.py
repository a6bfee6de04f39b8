"""Property tests of the value parsers: no string makes them raise, what they accept round-trips,
and decimals stay exact (scale included)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.normalize.text import fold
from extract.normalize.values import (
    COMPARATORS,
    TICKED,
    UNTICKED,
    compose_target,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_level,
    parse_unit,
    parse_year,
    target_shape_problem,
)

# Printed cells: any text, and text built from the characters forms are made of.
FORM_CHARS = st.sampled_from(
    list("0123456789.,-+ ()（）%年月日元万分≥≤=<>＝/—–无□☑√项目资金产出指标") + ["\u3000", "\t"]
)
CELLS = st.one_of(st.text(), st.text(FORM_CHARS, max_size=30))
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15, places=None)


@settings(max_examples=200, deadline=None)
@given(CELLS)
def test_no_string_makes_a_parser_raise(text):
    value, problem = parse_decimal(text)
    assert value is None or problem is None
    iso, problem = parse_date(text)
    assert iso is None or problem is None
    year = parse_year(text)
    assert year is None or 1949 <= year <= 2100
    assert parse_unit(text) in (None, "元", "万元")
    parse_level(text)
    parse_choice(text, ["新增", "延续"])
    problem = target_shape_problem(text)
    assert problem is None or isinstance(problem, str)
    target_shape_problem(text, is_target=False)
    compose_target(text, text, text)


@settings(deadline=None)
@given(st.one_of(st.none(), st.just("")), st.lists(st.text(), max_size=3))
def test_empty_cells_are_empty(text, choices):
    assert parse_decimal(text) == (None, None)
    assert parse_date(text) == (None, None)
    assert parse_year(text) is None and parse_unit(text) is None
    assert parse_level(text) == (None, None)
    assert parse_choice(text, choices) == (None, None)
    assert target_shape_problem(text) is None


@settings(max_examples=150, deadline=None)
@given(DECIMALS)
def test_decimals_round_trip_exactly_with_their_scale(value):
    for printed in (f"{value:f}", f"{value:,f}"):
        got, problem = parse_decimal(printed)
        assert problem is None, printed
        assert got == value and got.as_tuple().exponent == value.as_tuple().exponent, printed
    again, problem = parse_decimal(str(got) if "E" not in str(got) else f"{got:f}")
    assert again == got and problem is None


@settings(deadline=None)
@given(CELLS)
def test_an_accepted_decimal_parses_again_to_itself(text):
    value, _ = parse_decimal(text)
    if value is not None:
        assert parse_decimal(f"{value:f}") == (value, None)


@settings(deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)), st.sampled_from(["-", "/", ".", "年"]))
def test_dates_round_trip(day, sep):
    end = "日" if sep == "年" else ""
    mid = "月" if sep == "年" else sep
    printed = f"{day.year:04d}{sep}{day.month}{mid}{day.day}{end}"
    assert parse_date(printed) == (day.isoformat(), None)
    assert parse_date(day.isoformat()) == (day.isoformat(), None)
    assert parse_date(day.strftime("%Y%m%d")) == (day.isoformat(), None)


@settings(deadline=None)
@given(CELLS)
def test_an_accepted_date_is_iso_and_parses_again_to_itself(text):
    iso, _ = parse_date(text)
    if iso is not None:
        assert date.fromisoformat(iso).isoformat() == iso
        assert parse_date(iso) == (iso, None)


@settings(deadline=None)
@given(st.integers(1949, 2100), st.text(max_size=5), st.text(max_size=5))
def test_years_are_found_in_their_line(year, before, after):
    line = f"{before}（{year}年度）{after}"
    if not any(ch.isdigit() for ch in before + after):
        assert parse_year(line) == year


@settings(deadline=None)
@given(st.sampled_from(["元", "万元"]), st.sampled_from(["()", "（）", "(）"]), st.text(max_size=8))
def test_units_are_found_in_their_label(unit, brackets, label):
    assert parse_unit(f"{label}{brackets[0]}{unit}{brackets[1]}") in (unit, "元", "万元")
    assert parse_unit(f"项目资金{brackets[0]}{unit}{brackets[1]}") == unit


@settings(deadline=None)
@given(
    st.text(st.characters(categories=("Lo", "Lu", "Ll")), min_size=1, max_size=8),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False),
)
def test_a_level_and_its_weight_round_trip(name, weight):
    got_name, got_weight = parse_level(f"{name}({weight}分)")
    assert got_weight == weight and got_weight.as_tuple().exponent == weight.as_tuple().exponent
    assert got_name == fold(name)


@settings(deadline=None)
@given(st.permutations(["新增", "延续", "其他"]), st.sampled_from(TICKED), st.sampled_from(UNTICKED), st.booleans())
def test_the_one_ticked_choice_is_read(order, tick, box, box_after):
    chosen = order[0]
    parts = []
    for option in order:
        mark = tick if option == chosen else box
        parts.append(f"{option}{mark}" if box_after else f"{mark}{option}")
    assert parse_choice(" ".join(parts), list(order)) == (chosen, None)


@settings(deadline=None)
@given(st.sampled_from(sorted(COMPARATORS)), st.decimals(min_value=0, max_value=10**6, places=2), st.text(max_size=4))
def test_compose_target_joins_sign_value_and_unit(sign, value, unit):
    composed = compose_target(sign, str(value), unit)
    assert composed == sign + str(value) + unit.strip() or (not unit.strip() and composed == sign + str(value))
    assert compose_target("定性", str(value), None) == str(value)
    assert compose_target(None, None, None) is None


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2), st.sampled_from(["%", "(人次)", "(次)", "天"]))
def test_a_well_printed_target_has_no_problem(value, unit):
    assert target_shape_problem(f"≥{value}{unit}") is None
    assert target_shape_problem(f"{value}{unit}", is_target=False) is None


def test_white_space_alone_is_not_a_misread_sign():
    assert target_shape_problem(" ") is None
    assert target_shape_problem("\u3000") is None


def test_decimals_stay_decimals():
    value, _ = parse_decimal("0.10")
    assert isinstance(value, Decimal) and str(value) == "0.10"
