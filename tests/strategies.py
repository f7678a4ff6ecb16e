"""Hypothesis strategies shared by the test suite: currencies, amounts, schedules, contributions.

Later suites (ledger, invoices) build on these, so each strategy yields valid domain values
and documents the shape of what it yields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from wsis_funding.money import EXPONENTS, ExchangeRate, Money, from_minor
from wsis_funding.tiers import (
    ActivityPackage,
    Contribution,
    ContributionStatus,
    Tier,
    TierSchedule,
)

CODES = sorted(EXPONENTS)
#: A few currencies of each exponent, so that 0, 2, 3 and 4 decimals are all exercised.
SAMPLE_CODES = ["CHF", "USD", "EUR", "JPY", "KRW", "KWD", "BHD", "CLF", "UYW", "IQD", "GBP"]

currency_codes = st.sampled_from(SAMPLE_CODES) | st.sampled_from(CODES)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
MAX_MINOR = 10**15


@st.composite
def moneys(
    draw: st.DrawFn,
    code: str | None = None,
    min_minor: int = -MAX_MINOR,
    max_minor: int = MAX_MINOR,
) -> Money:
    """Money in ``code`` (or any currency) between the given minor-unit bounds."""
    c = code if code is not None else draw(currency_codes)
    return from_minor(draw(st.integers(min_minor, max_minor)), c)


def positive_moneys(
    code: str | None = None, max_minor: int = MAX_MINOR
) -> st.SearchStrategy[Money]:
    """Money above zero."""
    return moneys(code, 1, max_minor)


@st.composite
def rates(draw: st.DrawFn, from_code: str, to_code: str) -> ExchangeRate:
    """An exchange rate for the pair, with up to 6 decimals, effective on a drawn date."""
    value = Decimal(draw(st.integers(1, 10**9))).scaleb(-6)
    return ExchangeRate(
        from_currency=from_code,
        to_currency=to_code,
        rate=value,
        effective=draw(dates),
        source="test",
    )


@st.composite
def schedules(
    draw: st.DrawFn,
    base: str | None = None,
    activity_counts: bool | None = None,
) -> TierSchedule:
    """A valid schedule: a non-empty subset of tiers with strictly increasing minimums."""
    code = base if base is not None else draw(st.sampled_from(SAMPLE_CODES))
    tiers = draw(st.lists(st.sampled_from(Tier.ascending()), min_size=1, max_size=5, unique=True))
    tiers.sort(key=lambda t: t.rank)
    minima = sorted(
        draw(
            st.lists(st.integers(1, 10**12), min_size=len(tiers), max_size=len(tiers), unique=True)
        )
    )
    packages = draw(
        st.lists(
            st.builds(
                lambda i, price, cap: ActivityPackage(
                    code=f"PKG{i}",
                    title=f"Package {i}",
                    price=from_minor(price, code),
                    capacity=cap,
                ),
                st.integers(0, 20),
                st.integers(1, 10**10),
                st.integers(1, 5),
            ),
            max_size=4,
            unique_by=lambda p: p.code,
        )
    )
    return TierSchedule(
        edition="TEST",
        title="Generated schedule",
        base_currency=code,
        minimums={t: from_minor(m, code) for t, m in zip(tiers, minima, strict=True)},
        benefits={t: (f"benefit of {t.value}",) for t in tiers},
        packages=packages,
        activity_counts_toward_tier=(
            draw(st.booleans()) if activity_counts is None else activity_counts
        ),
    )


@st.composite
def contributions(
    draw: st.DrawFn,
    schedule: TierSchedule,
    currencies: list[str] | None = None,
    with_packages: bool = True,
) -> Contribution:
    """A contribution in one of ``currencies`` (default: the base currency).

    Status, written-off part and package are drawn too; packages come from ``schedule``.
    """
    code = draw(st.sampled_from(currencies or [schedule.base_currency]))
    amount = draw(moneys(code, 0, 10**12))
    status = draw(st.sampled_from(list(ContributionStatus)))
    written_minor = draw(st.none() | st.integers(0, int(amount.amount.scaleb(EXPONENTS[code]))))
    written = None if written_minor is None else from_minor(written_minor, code)
    package = None
    if with_packages and schedule.packages:
        package = draw(st.none() | st.sampled_from([p.code for p in schedule.packages]))
    return Contribution(
        amount=amount, on=draw(dates), status=status, written_off=written, package=package
    )
