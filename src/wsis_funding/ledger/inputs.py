"""Checks of caller input shared by the use cases, and instalment schedules (pure functions).

Floats are refused with ``TypeError`` everywhere: a float cannot hold money exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from moneyed import Money

from wsis_funding.ledger.errors import InstalmentsDoNotSum
from wsis_funding.money import allocate, from_minor, to_minor
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount

__all__ = [
    "MAX_MINOR",
    "Schedule",
    "check_schedule",
    "fits",
    "positive_money",
    "require_date",
    "split_evenly",
]

MAX_MINOR = 2**63 - 1
"""The largest count of minor units the books hold: every amount and running total is a
signed 64-bit integer on both engines."""


def fits(minor: int) -> bool:
    """Return whether ``minor`` units fit the books (a signed 64-bit integer)."""
    return -MAX_MINOR - 1 <= minor <= MAX_MINOR


Schedule = Sequence[tuple[dt.date, Money]]
"""An instalment schedule: (due date, amount) pairs in the pledge currency."""


def positive_money(value: object, what: str, *, allow_zero: bool = False) -> Money:
    """Return ``value`` if it is an exact Money above zero (or zero when allowed).

    Raises ``TypeError`` for a float or any non-Money value and :class:`InvalidAmount` for a
    negative (or zero) amount or one finer than its currency's minor unit.
    """
    if isinstance(value, float):
        raise TypeError(f"{what} must be Money, not float ({value!r}): use money('12.50', 'CHF')")
    if not isinstance(value, Money):
        raise TypeError(f"{what} must be Money, not {type(value).__name__} ({value!r})")
    minor = to_minor(value)
    if value.amount < 0 or (value.amount == 0 and not allow_zero):
        raise InvalidAmount(value.amount, f"{what} must be above zero")
    if not fits(minor):
        top = from_minor(MAX_MINOR, value.currency.code)
        raise InvalidAmount(
            value.amount,
            f"{what} does not fit the books: at most {top.amount} {value.currency.code}",
        )
    return value


def require_date(value: object, what: str) -> dt.date:
    """Return ``value`` if it is a date (not a datetime); raise ``TypeError`` otherwise."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


def split_evenly(amount: Money, due_dates: Sequence[dt.date]) -> list[tuple[dt.date, Money]]:
    """Split ``amount`` over ``due_dates`` in equal shares that sum exactly (largest remainder).

    Raises ``TypeError`` for a float or non-Money amount or a non-date, and
    :class:`InvalidAmount` for a non-positive amount or no dates.
    """
    positive_money(amount, "amount")
    dates = [require_date(d, "due date") for d in due_dates]
    if not dates:
        raise InvalidAmount(amount.amount, "an instalment schedule needs at least one due date")
    return list(zip(dates, allocate(amount, [1] * len(dates)), strict=True))


def check_schedule(schedule: Schedule, owed: Money, pledge: object) -> list[tuple[dt.date, int]]:
    """Return the (due date, minor units) rows of ``schedule`` if it sums exactly to ``owed``.

    Raises ``TypeError`` for a malformed item, a float or a non-date, :class:`CurrencyMismatch`
    for an instalment in another currency and :class:`InstalmentsDoNotSum` (naming ``pledge``)
    unless the amounts add up to exactly ``owed``.
    """
    code = owed.currency.code
    rows: list[tuple[dt.date, int]] = []
    total = 0
    for item in schedule:
        if not isinstance(item, tuple) or len(item) != 2:
            raise TypeError(f"an instalment is a (due date, Money) pair, not {item!r}")
        due = require_date(item[0], "instalment due date")
        amount = positive_money(item[1], "instalment amount")
        if amount.currency.code != code:
            raise CurrencyMismatch(code, amount.currency.code, "instalment")
        rows.append((due, to_minor(amount)))
        total += to_minor(amount)
    if total != to_minor(owed):
        raise InstalmentsDoNotSum(owed, from_minor(total, code), pledge)
    return rows
