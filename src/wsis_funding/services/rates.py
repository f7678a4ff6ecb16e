"""The rates the use cases convert with: in force on the date, and not older than allowed.

A rate is in force until the next one, but no longer than the books' maximum rate age
(``max_rate_age_days``, default 31: UN operational rates are monthly). Past it the answer is
:class:`StaleRate` naming the rate's date and age, unless the caller passes a dated rate,
which is then stored with the others and used.
"""

from __future__ import annotations

import datetime as dt

from moneyed import Money

from wsis_funding.money import CONTEXT, ExchangeRate, RecordedRate, quantize
from wsis_funding.money.errors import CurrencyMismatch
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["MAX_RATE_AGE_KEY", "cross", "max_rate_age", "rate_to_base", "set_max_rate_age"]

MAX_RATE_AGE_KEY = "max_rate_age_days"
DEFAULT_MAX_RATE_AGE = 31


def max_rate_age(uow: UnitOfWork) -> int:
    """Return the books' maximum rate age in days (31 unless set)."""
    stored = uow.settings.get(MAX_RATE_AGE_KEY)
    return DEFAULT_MAX_RATE_AGE if stored is None else int(stored)


def set_max_rate_age(uow: UnitOfWork, days: int) -> int:
    """Set the books' maximum rate age: how many days a rate stays in force at most.

    Returns the new value. Raises ``TypeError`` for a non-int and ``ValueError`` below 1.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, not {type(days).__name__}")
    if days < 1:
        raise ValueError(f"a maximum rate age must be at least one day, not {days}")
    uow.settings.set(MAX_RATE_AGE_KEY, str(days))
    return days


def rate_to_base(
    uow: UnitOfWork, code: str, on: dt.date, given: ExchangeRate | None = None
) -> RecordedRate | None:
    """Return the rate from ``code`` to the base currency to use on ``on`` (None for base).

    ``given`` is a dated rate the caller passes: it is stored (an identical one is not stored
    twice) and used whatever its age. Raises :class:`MissingRate`, :class:`StaleRate`,
    :class:`ConflictingRate` (a given rate contradicting a stored one) and
    :class:`CurrencyMismatch` for a given rate of another pair.
    """
    if code == uow.base:
        return None
    if given is not None:
        if set(given.pair) != {code, uow.base}:
            raise CurrencyMismatch(
                f"{code}/{uow.base}", f"{given.from_currency}/{given.to_currency}", "given rate"
            )
        uow.rates.add_all([given])
        return uow.rates.pair(code, uow.base).rate_on(code, uow.base, given.effective)
    return uow.rates.pair(code, uow.base).rate_on(
        code, uow.base, on, max_age_days=max_rate_age(uow)
    )


def cross(
    amount: Money, to: str, rate_from: RecordedRate | None, rate_to: RecordedRate | None
) -> Money:
    """Convert ``amount`` into ``to`` through the base currency, rounding once (half up).

    ``rate_from`` values ``amount`` in base, ``rate_to`` values ``to`` in base (None: the base
    currency itself).
    """
    value = amount.amount
    if rate_from is not None:
        value = CONTEXT.multiply(value, rate_from.rate)
    if rate_to is not None:
        value = CONTEXT.divide(value, rate_to.rate)
    return quantize(value, to)
