"""Errors of the money kernel: unknown currencies, inexact amounts, missing or conflicting rates."""

from __future__ import annotations

import datetime as dt

from wsis_funding.errors import WsisFundingError

__all__ = [
    "ConflictingRate",
    "CurrencyMismatch",
    "InvalidAmount",
    "MissingRate",
    "StaleRate",
    "UnknownCurrency",
    "UnknownLocale",
]


class UnknownCurrency(WsisFundingError, LookupError):
    """A currency code that is not an active ISO 4217 code with a minor unit."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(
            f"unknown currency {code!r}: not an active ISO 4217 code with a minor unit"
        )


class InvalidAmount(WsisFundingError, ValueError):
    """An amount that is not a finite decimal, finer than its currency's minor unit, or too big.

    Every amount the books hold, and every running total it would produce, is a signed 64-bit
    count of minor units.
    """

    def __init__(self, amount: object, reason: str) -> None:
        self.amount = amount
        self.reason = reason
        super().__init__(f"invalid amount {amount!r}: {reason}")


class CurrencyMismatch(WsisFundingError, ValueError):
    """Two amounts, or an amount and a schedule, in currencies that were required to agree."""

    def __init__(self, expected: str, got: str, context: str = "") -> None:
        self.expected = expected
        self.got = got
        self.context = context
        where = f" ({context})" if context else ""
        super().__init__(f"currency mismatch{where}: expected {expected}, got {got}")


class MissingRate(WsisFundingError, LookupError):
    """No exchange rate in force for a currency pair on a date; we never guess one."""

    def __init__(self, from_currency: str, to_currency: str, on: dt.date) -> None:
        self.from_currency = from_currency
        self.to_currency = to_currency
        self.on = on
        super().__init__(
            f"no exchange rate {from_currency}->{to_currency} in force on {on.isoformat()}"
        )


class ConflictingRate(WsisFundingError, ValueError):
    """Two different rates given for the same currency pair and effective date."""

    def __init__(self, from_currency: str, to_currency: str, effective: dt.date) -> None:
        self.from_currency = from_currency
        self.to_currency = to_currency
        self.effective = effective
        super().__init__(
            f"two different rates {from_currency}->{to_currency} effective {effective.isoformat()}"
        )


class UnknownLocale(WsisFundingError, LookupError):
    """A locale identifier that Babel does not know."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        super().__init__(f"unknown locale {locale!r}")


class StaleRate(WsisFundingError, LookupError):
    """The latest rate in force on a date is older than the books allow (default 31 days).

    UN operational rates are monthly: a rate from years ago is not "in force", it is missing.
    Pass a dated rate explicitly to use one anyway.
    """

    def __init__(
        self, from_currency: str, to_currency: str, on: dt.date, effective: dt.date, limit: int
    ) -> None:
        self.from_currency = from_currency
        self.to_currency = to_currency
        self.on = on
        self.effective = effective
        self.age = (on - effective).days
        self.limit = limit
        super().__init__(
            f"the latest {from_currency}->{to_currency} rate in force on {on.isoformat()} is "
            f"dated {effective.isoformat()}, {self.age} days old (the books allow {limit}); "
            "add a newer rate or pass a dated rate"
        )
