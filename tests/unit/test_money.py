"""The money kernel: construction, minor units, allocation, formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import CODES, moneys
from wsis_funding.errors import InvalidAmount, UnknownCurrency, WsisFundingError
from wsis_funding.money import (
    EXPONENTS,
    Money,
    UnknownLocale,
    allocate,
    format_money,
    from_minor,
    minor_unit_exponent,
    money,
    quantize,
    to_minor,
)


@pytest.mark.parametrize(
    ("code", "exponent"),
    [
        ("JPY", 0), ("KRW", 0), ("CLP", 0), ("ISK", 0), ("VND", 0), ("XOF", 0),
        ("CHF", 2), ("USD", 2), ("EUR", 2), ("IDR", 2), ("HUF", 2), ("LAK", 2), ("COP", 2),
        ("KWD", 3), ("BHD", 3), ("IQD", 3), ("JOD", 3), ("LYD", 3), ("OMR", 3), ("TND", 3),
        ("CLF", 4), ("UYW", 4),
    ],
)  # fmt: skip
def test_minor_unit_exponent_follows_iso_4217_not_cldr(code: str, exponent: int) -> None:
    assert minor_unit_exponent(code) == exponent


def test_table_covers_the_active_iso_list() -> None:
    assert len(EXPONENTS) >= 150
    assert all(len(c) == 3 and c.isupper() for c in EXPONENTS)


def test_every_currency_in_legal_tender_somewhere_is_in_the_table() -> None:
    """Cross-check with CLDR: each currency a territory uses today has an ISO exponent here."""
    from babel.core import get_global

    tendered = {
        code
        for currencies in get_global("territory_currencies").values()
        for code, _start, end, tender in currencies
        if end is None and tender
    }
    assert tendered - set(EXPONENTS) == set()


@pytest.mark.parametrize("code", ["XYZ", "chf", "", "XAU", "XDR", "HRK", "BGN"])
def test_unknown_or_unitless_currency_is_refused(code: str) -> None:
    with pytest.raises(UnknownCurrency, match=repr(code)) as info:
        minor_unit_exponent(code)
    assert info.value.code == code
    assert isinstance(info.value, LookupError)


def test_money_accepts_str_int_and_decimal() -> None:
    assert money("12.50", "CHF") == money(Decimal("12.5"), "CHF")
    assert money(12, "CHF").amount == Decimal("12.00")
    assert money("1_000", "JPY").amount == Decimal(1000)


def test_money_refuses_float_with_type_error() -> None:
    with pytest.raises(TypeError, match="float"):
        money(12.5, "CHF")  # type: ignore[arg-type]


def test_money_refuses_more_decimals_than_the_currency_has() -> None:
    with pytest.raises(InvalidAmount, match="CHF has 2 decimal"):
        money("1.005", "CHF")
    with pytest.raises(InvalidAmount, match="JPY has 0 decimal"):
        money("1.5", "JPY")
    assert money("1.500", "CHF") == money("1.50", "CHF")
    assert to_minor(money("1.234", "KWD")) == 1234


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "1e999999999", ""])
def test_money_refuses_non_numbers(bad: str) -> None:
    with pytest.raises(InvalidAmount):
        money(bad, "CHF")


def test_errors_share_one_root() -> None:
    assert issubclass(InvalidAmount, WsisFundingError)
    assert issubclass(InvalidAmount, ValueError)


@given(st.sampled_from(CODES), st.integers(-(10**18), 10**18))
def test_from_minor_then_to_minor_is_identity(code: str, n: int) -> None:
    """Any integer number of minor units survives the round trip exactly."""
    assert to_minor(from_minor(n, code)) == n


@given(moneys())
def test_to_minor_then_from_minor_is_identity(m: Money) -> None:
    """Any valid Money survives the round trip through integer minor units exactly."""
    assert from_minor(to_minor(m), m.currency.code) == m


def test_to_minor_refuses_fractions_of_a_minor_unit() -> None:
    with pytest.raises(InvalidAmount):
        to_minor(Money(Decimal("0.001"), "CHF"))


def test_from_minor_refuses_non_integers() -> None:
    with pytest.raises(TypeError):
        from_minor(Decimal("1.5"), "CHF")  # type: ignore[arg-type]


def test_quantize_rounds_half_up() -> None:
    assert quantize(Decimal("0.005"), "CHF") == money("0.01", "CHF")
    assert quantize(Decimal("-0.005"), "CHF") == money("-0.01", "CHF")
    assert quantize(Decimal("2.5"), "JPY") == money("3", "JPY")


@given(
    moneys(min_minor=-(10**12), max_minor=10**12),
    st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(any),
)
def test_allocate_sums_exactly_and_each_share_is_within_one_minor_unit(
    m: Money, ratios: list[int]
) -> None:
    """Shares sum to the whole; each is within one minor unit of its exact share; zero gets zero."""
    shares = allocate(m, ratios)
    code = m.currency.code
    assert len(shares) == len(ratios)
    assert sum(to_minor(s) for s in shares) == to_minor(m)
    total = sum(ratios)
    for share, r in zip(shares, ratios, strict=True):
        assert share.currency.code == code
        exact = Decimal(to_minor(m)) * r / total
        assert abs(Decimal(to_minor(share)) - exact) < 1
        if r == 0:
            assert to_minor(share) == 0


@given(moneys(min_minor=0, max_minor=10**9), st.lists(st.integers(1, 50), min_size=1, max_size=6))
def test_allocate_is_deterministic(m: Money, ratios: list[int]) -> None:
    """The same split asked twice gives the same shares."""
    assert allocate(m, ratios) == allocate(m, ratios)


def test_allocate_gives_leftover_units_to_earlier_shares_on_ties() -> None:
    assert [to_minor(s) for s in allocate(money("0.10", "CHF"), [1, 1, 1])] == [4, 3, 3]


def test_allocate_refuses_bad_ratios() -> None:
    with pytest.raises(TypeError):
        allocate(money(1, "CHF"), [0.5, 0.5])  # type: ignore[list-item]
    with pytest.raises(InvalidAmount):
        allocate(money(1, "CHF"), [0, 0])
    with pytest.raises(InvalidAmount):
        allocate(money(1, "CHF"), [1, -1])
    with pytest.raises(InvalidAmount):
        allocate(money(1, "CHF"), [])


@pytest.mark.parametrize(
    ("amount", "code", "locale", "expected"),
    [
        ("1234.5", "CHF", "en", "CHF1,234.50"),
        ("1234.5", "CHF", "fr", "1\u202f234,50\xa0CHF"),
        ("1234.5", "IQD", "en", "IQD1,234.500"),
        ("1234", "IDR", "en", "IDR1,234.00"),
        ("1234", "HUF", "en", "HUF1,234.00"),
        ("1234", "JPY", "en", "¥1,234"),
        ("1.2345", "CLF", "es", "1,2345\xa0CLF"),
    ],
)
def test_format_money_uses_iso_digits_and_locale_conventions(
    amount: str, code: str, locale: str, expected: str
) -> None:
    assert format_money(money(amount, code), locale) == expected


def test_format_money_refuses_unknown_locale() -> None:
    with pytest.raises(UnknownLocale, match="xx_YY"):
        format_money(money(1, "CHF"), "xx_YY")
