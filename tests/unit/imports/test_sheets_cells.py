"""Cell conversion: exact numbers from floats and text, dates, codes, choices, plain reasons."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsis_funding.imports.sheets import cells
from wsis_funding.ledger.model import Language
from wsis_funding.tiers.model import Tier


def reason(fn: object, *args: object) -> str:
    assert callable(fn)
    with pytest.raises(cells.CellError) as info:
        fn(*args)
    return info.value.message


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (1234.5, "CHF", Decimal("1234.50")),
        (12.345, "KWD", Decimal("12.345")),
        (1234.0, "JPY", Decimal("1234")),
        (1234, "JPY", Decimal("1234")),
        (0.1, "CHF", Decimal("0.10")),
        (99999999999.99, "CHF", Decimal("99999999999.99")),
        ("1234.50", "CHF", Decimal("1234.50")),
        (" 1234.5 ", "EUR", Decimal("1234.50")),
        ("1.500", "CHF", Decimal("1.50")),
        ("0.0001", "CLF", Decimal("0.0001")),
    ],
)
def test_amount_cells_convert_exactly(value: object, code: str, expected: Decimal) -> None:
    got = cells.amount(value, code)
    assert got == expected
    assert isinstance(got, Decimal)


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        (12.345, "CHF", "CHF has 2 decimal(s); 12.345 has more"),
        (0.1 + 0.2, "CHF", "0.30000000000000004 has more; if it is a computed value, round it"),
        (1234.5, "JPY", "JPY has 0 decimal(s); 1234.5 has more"),
        ("12.3456", "KWD", "KWD has 3 decimal(s); 12.3456 has more"),
        (True, "CHF", "a TRUE/FALSE cell, not a number"),
        (math.nan, "CHF", "NaN or infinity"),
        (math.inf, "CHF", "NaN or infinity"),
        (0, "CHF", "above zero"),
        ("-5.00", "CHF", "above zero"),
        ("1,234.50", "CHF", "thousands separators are not allowed: write 1234.50"),
        ("1'234.50", "CHF", "thousands separators are not allowed: write 1234.50"),
        ("1 234 567", "JPY", "thousands separators are not allowed: write 1234567"),
        ("1,234,567", "JPY", "thousands separators are not allowed: write 1234567"),
        ("1,234", "CHF", "write 1234 (no thousands separators) or 1.234 (a point for decimals)"),
        ("1.234,50", "CHF", "write 1234.50"),
        ("1234,50", "CHF", "decimals take a point, not a comma: write 1234.50"),
        ("CHF 100", "CHF", "not a number"),
        ("1e3", "CHF", "not a number"),
        (dt.date(2024, 1, 1), "CHF", "a date, not a number"),
    ],
)
def test_bad_amount_cells_say_why(value: object, code: str, fragment: str) -> None:
    assert fragment in reason(cells.amount, value, code)


def test_an_amount_beyond_64_bit_minor_units_is_refused() -> None:
    assert cells.amount(str(2**63 - 1), "JPY") == Decimal(2**63 - 1)
    assert "too large" in reason(cells.amount, str(2**63), "JPY")


def test_an_amount_without_a_known_currency_is_checked_for_everything_but_decimals() -> None:
    assert cells.amount("12.34567", None) == Decimal("12.34567")
    assert "above zero" in reason(cells.amount, "0", None)


@given(st.integers(min_value=1, max_value=10**15 - 1), st.sampled_from([0, 2, 3, 4]))
def test_a_float_cell_of_up_to_15_digits_gives_back_the_decimal_it_was_typed_as(
    units: int, exponent: int
) -> None:
    """A spreadsheet stores a typed decimal as the nearest double; its repr is that decimal."""
    typed = Decimal(units).scaleb(-exponent)
    code = {0: "JPY", 2: "CHF", 3: "KWD", 4: "CLF"}[exponent]
    assert cells.amount(float(typed), code) == typed


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.8912, Decimal("0.8912")), ("1.23456789", Decimal("1.23456789")), (2, Decimal(2))],
)
def test_rates_keep_every_decimal(value: object, expected: Decimal) -> None:
    assert cells.rate(value) == expected


def test_rates_must_be_above_zero() -> None:
    assert "above zero" in reason(cells.rate, 0.0)
    assert "above zero" in reason(cells.rate, "-0.5")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2024, 5, 27), dt.date(2024, 5, 27)),
        (dt.date(2024, 5, 27), dt.date(2024, 5, 27)),
        ("2024-05-27", dt.date(2024, 5, 27)),
        (" 2024-02-29 ", dt.date(2024, 2, 29)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_from_date_cells_or_iso_text(value: object, expected: dt.date | None) -> None:
    assert cells.date(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (dt.datetime(2024, 5, 27, 13, 30), "a date and time: give the date only"),
        ("27.05.2024", "write it as YYYY-MM-DD"),
        ("2024-5-27", "write it as YYYY-MM-DD"),
        ("20240527", "write it as YYYY-MM-DD"),
        ("2023-02-29", "not a real date: 2023-02-29"),
        (45439, "a number, not a date"),
        (45439.0, "a number, not a date"),
        (True, "a TRUE/FALSE cell, not a date"),
        (dt.time(12, 0), "not a date"),
    ],
)
def test_bad_dates_say_why(value: object, fragment: str) -> None:
    assert fragment in reason(cells.date, value)


def test_codes_are_upper_case_iso_and_a_lower_case_one_gets_a_hint() -> None:
    assert cells.currency_code("KWD") == "KWD"
    assert reason(cells.currency_code, "chf") == "not an ISO 4217 currency code: write CHF"
    assert reason(cells.currency_code, "EURO") == "not an ISO 4217 currency code"
    assert cells.country(" CH ") == "CH"
    assert reason(cells.country, "ch") == "not an ISO 3166 two-letter country code: write CH"
    assert reason(cells.country, "Switzerland") == "not an ISO 3166 two-letter country code"


def test_choices_ignore_letter_case_and_list_the_allowed_values() -> None:
    assert cells.choice("Gold_Plus", Tier) is Tier.GOLD_PLUS
    assert cells.choice("EN", Language) is Language.EN
    assert reason(cells.choice, "de", Language) == "not one of: ar, zh, en, fr, ru, es"


def test_yes_no_takes_words_and_true_false_cells() -> None:
    assert cells.yes_no("Yes") is True
    assert cells.yes_no("no") is False
    assert cells.yes_no(False) is False
    assert cells.yes_no(None) is None
    assert reason(cells.yes_no, "y") == "not one of: yes, no"


def test_text_cells_are_trimmed_and_whole_number_cells_are_text() -> None:
    assert cells.text("  Place des Nations ") == "Place des Nations"
    assert cells.text(1211) == "1211"
    assert cells.text(1211.0) == "1211"
    assert cells.text(2.5) == "2.5"
    assert cells.text("   ") is None
    assert "TRUE/FALSE" in reason(cells.text, True)
    assert "a date, not text" in reason(cells.text, dt.datetime(2024, 1, 2))


def test_emails_need_a_name_a_domain_and_no_spaces() -> None:
    assert cells.email("wsis@itu.int") == "wsis@itu.int"
    for bad in ("wsis at itu.int", "wsis@itu", "a b@itu.int", "@itu.int"):
        assert "not an e-mail address" in reason(cells.email, bad)


def test_values_are_shown_as_the_user_typed_them() -> None:
    assert cells.shown(None) == ""
    assert cells.shown(0.1 + 0.2) == "0.30000000000000004"
    assert cells.shown(True) == "TRUE"
    assert cells.shown(dt.datetime(2024, 5, 27, 13, 30)) == "2024-05-27 13:30:00"
    assert cells.shown(b"Gen\xe8ve".decode("utf-8", "surrogateescape")) == "Gen\\xe8ve"
