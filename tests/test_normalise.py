"""Cell text read with Dutch and English conventions; ambiguous text is rejected, not guessed."""

import pytest

from pipelines.normalise import (
    Invalid,
    parse_boolean,
    parse_country,
    parse_integer,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("12,5", 12.5), ("12.5", 12.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    (" 1 234 ", 1234.0), ("0,125", 0.125), ("1.234.567", 1234567.0), ("-3", -3.0),
    ("1e-05", 0.00001), ("", None), (None, None),
])
def test_numbers_in_both_conventions(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1.234", ",", 1234.0), ("1.234", ".", 1.234), ("1,234", ",", 1.234), ("1,234", ".", 1234.0),
])
def test_the_file_convention_settles_forms_that_read_both_ways(text, decimal, expected):
    assert parse_number(text, decimal=decimal) == expected


@pytest.mark.parametrize(("text", "rule"), [
    ("1,234", "ambiguous_number"), ("twaalf", "not_a_number"), ("#DIV/0!", "excel_error"),
    ("#N/A", "excel_error"), ("1,2,3.4,5", "not_a_number"),
])
def test_unreadable_numbers_name_their_rule(text, rule):
    with pytest.raises(Invalid) as err:
        parse_number(text)
    assert err.value.rule == rule


def test_integers():
    assert parse_integer("1.250") == 1250
    assert parse_integer("12,0") == 12
    with pytest.raises(Invalid, match="not_whole"):
        parse_integer("12,5")


@pytest.mark.parametrize(("text", "expected"), [
    ("35%", 35.0), ("35 %", 35.0), ("35", 35.0), ("12,5 %", 12.5), ("0", 0.0), ("1,5", 1.5),
    ("0,13 %", 0.13), ("1 %", 1.0), ("100", 100.0),
])
def test_percentages(text, expected):
    assert parse_percent(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["1", "0,13", "0.13", "0,5", "1,0", "0.999"])
def test_a_bare_share_up_to_one_in_a_percentage_cell_is_ambiguous(text):
    with pytest.raises(Invalid, match="ambiguous_percent"):
        parse_percent(text)


@pytest.mark.parametrize("text", ["=SUM(B2:B4)", " =A1*2", "="])
def test_a_formula_text_is_a_formula_without_a_value(text):
    for parse in (parse_number, parse_percent, parse_boolean, parse_country):
        with pytest.raises(Invalid, match="formula_without_value"):
            parse(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("ja", True), ("Nee", False), ("yes", True), ("no", False), ("j", True), ("n", False),
    ("x", True), (" JA ", True), ("", None),
])
def test_yes_no(text, expected):
    assert parse_boolean(text) is expected


def test_countries_by_code_or_dutch_or_english_name():
    assert [parse_country(t) for t in ("BD", "bd", "Turkije", "Turkey", "China")] == [
        "BD", "BD", "TR", "TR", "CN"]
    with pytest.raises(Invalid, match="unknown_country"):
        parse_country("Atlantis")
