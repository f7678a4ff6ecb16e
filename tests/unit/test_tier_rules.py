"""The tier rules of DOMAIN.md, each stated as a property over generated schedules and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.strategies import contributions, dates, moneys, schedules
from wsis_funding.errors import CapacityExceeded, CurrencyMismatch, MissingRate
from wsis_funding.money import ExchangeRate, Money, RateTable, from_minor, money, to_minor
from wsis_funding.tiers import (
    Contribution,
    ContributionStatus,
    Tier,
    TierSchedule,
    classify,
    ensure_capacity,
    illustrative_schedule,
    shortfall,
    standing,
)

NO_RATES = RateTable()


def minor(m: Money) -> int:
    return to_minor(m)


@given(st.data())
def test_a_tier_range_is_half_open(data: st.DataObject) -> None:
    """An amount in [minimum, next minimum) earns exactly that tier."""
    s = data.draw(schedules())
    tiers = s.tiers
    i = data.draw(st.integers(0, len(tiers) - 1))
    low = minor(s.minimums[tiers[i]])
    high = minor(s.minimums[tiers[i + 1]]) if i + 1 < len(tiers) else low + 10**13
    amount = data.draw(st.integers(low, high - 1))
    assert classify(from_minor(amount, s.base_currency), s) is tiers[i]


@given(st.data())
def test_more_money_never_yields_a_lower_tier(data: st.DataObject) -> None:
    """classify is monotone: a <= b implies tier(a) <= tier(b) (no tier is lowest)."""
    s = data.draw(schedules())
    a = data.draw(moneys(s.base_currency, 0, 10**13))
    b = a + data.draw(moneys(s.base_currency, 0, 10**13))
    ta, tb = classify(a, s), classify(b, s)
    assert ta is None or (tb is not None and tb >= ta)


@given(st.data())
def test_threshold_amount_earns_the_tier_one_minor_unit_less_does_not(data: st.DataObject) -> None:
    """The minimum itself earns the tier; one minor unit less earns the tier below (or none)."""
    s = data.draw(schedules())
    tier = data.draw(st.sampled_from(s.tiers))
    minimum = s.minimums[tier]
    assert classify(minimum, s) is tier
    below = classify(from_minor(minor(minimum) - 1, s.base_currency), s)
    assert below is None or below < tier


@given(st.data())
def test_below_the_lowest_minimum_there_is_no_tier(data: st.DataObject) -> None:
    """Any amount under the lowest minimum (zero included) has no tier."""
    s = data.draw(schedules())
    lowest = minor(s.minimums[s.tiers[0]])
    amount = data.draw(st.integers(0, lowest - 1))
    assert classify(from_minor(amount, s.base_currency), s) is None


@given(st.data())
def test_shortfall_is_exact(data: st.DataObject) -> None:
    """Adding the shortfall reaches the next tier; one minor unit less does not."""
    s = data.draw(schedules())
    amount = data.draw(moneys(s.base_currency, 0, 2 * 10**12))
    gap = shortfall(amount, s)
    tier = classify(amount, s)
    if gap is None:
        assert tier is s.tiers[-1]
        return
    target = classify(amount + gap, s)
    assert target is not None
    assert tier is None or target > tier
    assert target is s.next_above(tier)
    just_short = amount + gap - from_minor(1, s.base_currency)
    assert classify(just_short, s) is tier


@given(st.data())
def test_tier_depends_only_on_the_set_of_counted_pledges(data: st.DataObject) -> None:
    """Shuffling the contributions, or splitting one in two (same currency and date), never
    changes the standing, in the base currency and in a converted one."""
    s = data.draw(schedules(base="CHF"))
    rates = RateTable(
        [ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.913457"),
                      effective=dt.date(2019, 1, 1))]
    )  # fmt: skip
    items = data.draw(st.lists(contributions(s, ["CHF", "USD"], with_packages=False), max_size=8))
    victim = Contribution(
        amount=data.draw(moneys(data.draw(st.sampled_from(["CHF", "USD"])), 0, 10**12)),
        on=data.draw(dates),
    )
    whole = [victim, *items]
    assert standing(whole, s, rates) == standing(data.draw(st.permutations(whole)), s, rates)
    code = victim.amount.currency.code
    cut = data.draw(st.integers(0, minor(victim.amount)))
    parts = [
        Contribution(amount=from_minor(cut, code), on=victim.on),
        Contribution(amount=from_minor(minor(victim.amount) - cut, code), on=victim.on),
    ]
    assert standing([*parts, *items], s, rates) == standing(whole, s, rates)


@given(st.data())
def test_cancelled_and_written_off_money_never_counts(data: st.DataObject) -> None:
    """Adding cancelled or draft pledges, or writing off part of one, never raises the total;
    the total is exactly the confirmed amounts minus their written-off parts."""
    s = data.draw(schedules(activity_counts=False))
    items = data.draw(st.lists(contributions(s, with_packages=False), max_size=8))
    result = standing(items, s, NO_RATES)
    expected = sum(
        (
            minor(c.amount) - (minor(c.written_off) if c.written_off else 0)
            for c in items
            if c.status is ContributionStatus.CONFIRMED
        ),
        0,
    )
    assert minor(result.total) == expected
    assert result.tier is classify(result.total, s)


@given(st.data())
def test_activity_money_counts_toward_a_tier_only_if_the_schedule_says_so(
    data: st.DataObject,
) -> None:
    """With the setting off, package money is in activity_total only; on, in both."""
    s = data.draw(schedules())
    assume(s.packages)
    pkg = s.packages[0]
    c = Contribution(amount=pkg.price, on=dt.date(2024, 5, 1), package=pkg.code)
    result = standing([c], s, NO_RATES)
    assert result.activity_total == pkg.price
    assert result.packages == {pkg.code: 1}
    assert result.total == (pkg.price if s.activity_counts_toward_tier else pkg.price * 0)


@given(st.data())
def test_foreign_currency_without_a_rate_is_missing_rate_never_a_guess(
    data: st.DataObject,
) -> None:
    """A counted contribution in another currency needs a dated rate, or MissingRate."""
    s = data.draw(schedules(base="CHF"))
    amount = data.draw(moneys("USD", 1, 10**12))
    c = Contribution(amount=amount, on=data.draw(dates))
    with pytest.raises(MissingRate):
        standing([c], s, NO_RATES)
    rates = RateTable(
        [ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.9"),
                      effective=dt.date(2019, 1, 1))]
    )  # fmt: skip
    converted = standing([c], s, rates).total
    assert converted == rates.convert(amount, "CHF", c.on).money


@given(st.data())
def test_classify_refuses_another_currency(data: st.DataObject) -> None:
    """classify never converts implicitly: a non-base amount is CurrencyMismatch."""
    s = data.draw(schedules(base="CHF"))
    with pytest.raises(CurrencyMismatch, match="expected CHF, got EUR"):
        classify(data.draw(moneys("EUR", 0, 10**9)), s)


@given(st.data())
def test_a_package_cannot_be_sold_beyond_capacity(data: st.DataObject) -> None:
    """Selling up to the capacity is fine; one more is CapacityExceeded."""
    s = data.draw(schedules())
    assume(s.packages)
    pkg = data.draw(st.sampled_from(s.packages))
    ensure_capacity(s, pkg.code, pkg.capacity - 1)
    with pytest.raises(CapacityExceeded) as info:
        ensure_capacity(s, pkg.code, pkg.capacity)
    assert info.value.capacity == pkg.capacity
    held = [Contribution(amount=pkg.price, on=dt.date(2024, 1, 1), package=pkg.code)] * (
        pkg.capacity + 1
    )
    with pytest.raises(CapacityExceeded):
        standing(held, s, NO_RATES)


def test_illustrative_schedule_is_labelled_and_complete() -> None:
    s = illustrative_schedule()
    assert s.illustrative
    assert "illustrative" in s.title.lower()
    assert set(s.tiers) == set(Tier)
    assert {"HACKATHON", "KNOWLEDGE_CAFE", "WSIS_PRIZES", "PHOTO_CONTEST"} <= {
        p.code for p in s.packages
    }


def test_illustrative_thresholds_worked_example() -> None:
    s = illustrative_schedule()
    assert classify(money("19999.99", "CHF"), s) is None
    assert classify(money("20000.00", "CHF"), s) is Tier.SUPPORTING
    assert classify(money("500000", "CHF"), s) is Tier.PLATINUM
    assert shortfall(money("140000", "CHF"), s) == money("10000", "CHF")
    assert shortfall(money("500000", "CHF"), s) is None


def test_tiers_are_ordered_by_rank_with_official_titles() -> None:
    assert sorted(Tier) == list(Tier.ascending())
    assert Tier.PLATINUM > Tier.GOLD_PLUS > Tier.GOLD > Tier.CONTRIBUTING > Tier.SUPPORTING
    assert Tier.GOLD_PLUS.title == "Strategic Partner Gold Plus"
    assert Tier.SUPPORTING.title == "Supporting Partner"


def test_standing_reports_next_tier_and_shortfall() -> None:
    s = illustrative_schedule()
    result = standing(
        [
            Contribution(amount=money("100000", "CHF"), on=dt.date(2024, 1, 5)),
            Contribution(
                amount=money("60000", "CHF"),
                on=dt.date(2024, 2, 5),
                written_off=money("20000", "CHF"),
            ),
            Contribution(
                amount=money("90000", "CHF"),
                on=dt.date(2024, 2, 5),
                status=ContributionStatus.CANCELLED,
            ),
        ],
        s,
        NO_RATES,
    )
    assert result.total == money("140000", "CHF")
    assert result.tier is Tier.CONTRIBUTING
    assert result.next_tier is Tier.GOLD
    assert result.shortfall == money("10000", "CHF")


def test_written_off_part_must_be_in_the_same_currency_and_within_the_amount() -> None:
    with pytest.raises(CurrencyMismatch):
        Contribution(amount=money(10, "CHF"), on=dt.date(2024, 1, 1), written_off=money(1, "USD"))
    with pytest.raises(ValueError, match="within"):
        Contribution(amount=money(10, "CHF"), on=dt.date(2024, 1, 1), written_off=money(11, "CHF"))


def test_schedule_type_is_frozen() -> None:
    s = illustrative_schedule()
    with pytest.raises(AttributeError):
        s.base_currency = "USD"  # type: ignore[misc]
    assert isinstance(s, TierSchedule)
