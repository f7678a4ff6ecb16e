"""Exchange rates: dated lookup, inverse pairs, conversion that is never guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import dates, moneys
from wsis_funding.errors import ConflictingRate, InvalidAmount, MissingRate, UnknownCurrency
from wsis_funding.money import ExchangeRate, Money, RateTable, money

JAN = dt.date(2024, 1, 1)
FEB = dt.date(2024, 2, 1)
MAR = dt.date(2024, 3, 1)


def rate(f: str, t: str, r: str, on: dt.date, source: str = "UN operational rate") -> ExchangeRate:
    return ExchangeRate(
        from_currency=f, to_currency=t, rate=Decimal(r), effective=on, source=source
    )


def test_the_rate_for_a_date_is_the_latest_in_force_on_that_date() -> None:
    table = RateTable([rate("USD", "CHF", "0.90", JAN), rate("USD", "CHF", "0.88", MAR)])
    assert table.lookup("USD", "CHF", JAN)[0].rate == Decimal("0.90")
    assert table.lookup("USD", "CHF", dt.date(2024, 2, 29))[0].rate == Decimal("0.90")
    assert table.lookup("USD", "CHF", MAR)[0].rate == Decimal("0.88")


def test_no_rate_before_the_first_is_in_force_is_missing_rate_naming_pair_and_date() -> None:
    table = RateTable([rate("USD", "CHF", "0.90", FEB)])
    with pytest.raises(MissingRate, match=r"USD->CHF in force on 2024-01-31") as info:
        table.convert(money(10, "USD"), "CHF", dt.date(2024, 1, 31))
    assert (info.value.from_currency, info.value.to_currency) == ("USD", "CHF")


def test_convert_rounds_half_up_and_keeps_the_rate_used() -> None:
    table = RateTable([rate("USD", "CHF", "0.8765", JAN, "UN operational rate 2024-01")])
    c = table.convert(money("10.00", "USD"), "CHF", FEB)
    assert c.money == money("8.77", "CHF")  # 8.765 rounds half up
    assert c.rate is not None
    assert c.rate.effective == JAN
    assert c.rate.source == "UN operational rate 2024-01"
    assert not c.inverse


def test_inverse_of_a_stored_pair_divides_by_it() -> None:
    table = RateTable([rate("CHF", "USD", "1.25", JAN)])
    c = table.convert(money("100.00", "USD"), "CHF", FEB)
    assert c.money == money("80.00", "CHF")
    assert c.inverse
    assert c.applied_rate == Decimal("0.8")


def test_the_newer_of_direct_and_inverse_rates_wins() -> None:
    table = RateTable([rate("USD", "CHF", "0.90", JAN), rate("CHF", "USD", "1.25", FEB)])
    assert table.convert(money(100, "USD"), "CHF", MAR).money == money(80, "CHF")
    assert table.convert(money(100, "USD"), "CHF", JAN).money == money(90, "CHF")


def test_same_currency_converts_to_itself_without_a_rate() -> None:
    c = RateTable().convert(money("5.55", "CHF"), "CHF", JAN)
    assert c.money == money("5.55", "CHF")
    assert c.rate is None


def test_conversion_to_a_zero_decimal_currency_rounds_to_whole_units() -> None:
    table = RateTable([rate("CHF", "JPY", "170.555", JAN)])
    assert table.convert(money("1.00", "CHF"), "JPY", JAN).money == money(171, "JPY")


def test_rate_must_be_a_positive_decimal() -> None:
    with pytest.raises(TypeError, match="float"):
        ExchangeRate(from_currency="USD", to_currency="CHF", rate=0.9, effective=JAN)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        rate("USD", "CHF", "0", JAN)
    with pytest.raises(InvalidAmount):
        rate("USD", "CHF", "-1", JAN)
    with pytest.raises(UnknownCurrency):
        rate("USD", "ZZZ", "1", JAN)
    with pytest.raises(ValueError, match="two currencies"):
        rate("USD", "USD", "1", JAN)


def test_two_different_rates_for_one_pair_and_date_conflict() -> None:
    with pytest.raises(ConflictingRate):
        RateTable([rate("USD", "CHF", "0.9", JAN), rate("USD", "CHF", "0.91", JAN)])
    assert len(RateTable([rate("USD", "CHF", "0.9", JAN), rate("USD", "CHF", "0.90", JAN)])) == 1


@given(moneys("USD", 0, 10**12), dates, dates)
def test_conversion_is_never_guessed(m: Money, effective: dt.date, on: dt.date) -> None:
    """With one stored rate, a date before it is MissingRate; on or after it converts."""
    table = RateTable([rate("USD", "CHF", "0.91", effective)])
    if on < effective:
        with pytest.raises(MissingRate):
            table.convert(m, "CHF", on)
    else:
        assert table.convert(m, "CHF", on).money.currency.code == "CHF"


@given(st.lists(moneys("USD", 0, 10**10), min_size=1, max_size=8), dates)
def test_grouped_conversion_is_independent_of_splitting(parts: list[Money], on: dt.date) -> None:
    """Converting parts of one currency and date together equals converting their sum."""
    table = RateTable([rate("USD", "CHF", "0.913457", dt.date(2020, 1, 1))])
    whole = sum(parts[1:], parts[0])
    assert (
        table.convert_all_to([(p, on) for p in parts], "CHF")
        == table.convert(whole, "CHF", on).money
    )
