"""Exact money values: construction, minor units, rounding and allocation.

This module and its siblings in :mod:`wsis_funding.money` are the only places that round,
convert, allocate or format money. Rounding is always explicit (``ROUND_HALF_UP`` unless a
rule says otherwise) and never depends on the global decimal context.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Final

from moneyed import Currency, Money

from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount, UnknownCurrency
from wsis_funding.money.iso4217 import EXPONENTS

__all__ = [
    "CONTEXT",
    "Money",
    "allocate",
    "currency",
    "from_minor",
    "minor_unit_exponent",
    "money",
    "quantize",
    "require_same_currency",
    "to_minor",
    "zero",
]

AmountLike = str | int | Decimal
_RATIO_TYPES: Final = (int, Decimal, str)

CONTEXT: Final = Context(
    prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)
"""The explicit decimal context for every money computation; never the global one."""


def minor_unit_exponent(code: str) -> int:
    """Return the ISO 4217 minor-unit exponent of ``code`` (JPY 0, CHF 2, KWD 3, CLF 4).

    Raises :class:`UnknownCurrency` for anything that is not an active ISO 4217 code with a
    minor unit (lower-case codes included: ISO codes are upper case).
    """
    try:
        return EXPONENTS[code]
    except (KeyError, TypeError):
        raise UnknownCurrency(code) from None


@functools.cache
def currency(code: str) -> Currency:
    """Return the py-moneyed :class:`Currency` for an ISO 4217 code from our own table.

    Raises :class:`UnknownCurrency` if the code is not in the table.
    """
    exponent = minor_unit_exponent(code)
    return Currency(code=code, sub_unit=10**exponent)


def _to_decimal(amount: object) -> Decimal:
    if isinstance(amount, bool):
        raise TypeError(f"amount must be str, int or Decimal, not bool ({amount!r})")
    if isinstance(amount, float):
        raise TypeError(
            f"amount must be str, int or Decimal, not float ({amount!r}): "
            "floats cannot represent money exactly; pass a string such as '12.50'"
        )
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, int):
        value = Decimal(amount)
    elif isinstance(amount, str):
        try:
            value = Decimal(amount.strip().replace("_", ""))
        except InvalidOperation:
            raise InvalidAmount(amount, "not a decimal number") from None
    else:
        raise TypeError(
            f"amount must be str, int or Decimal, not {type(amount).__name__} ({amount!r})"
        )
    if not value.is_finite():
        raise InvalidAmount(amount, "not a finite number")
    return value


def money(amount: AmountLike, code: str) -> Money:
    """Make an exact :class:`Money` from a str, int or Decimal amount and an ISO 4217 code.

    Raises ``TypeError`` for a float (or any other type), :class:`InvalidAmount` for a
    non-numeric or non-finite amount or one with more decimals than the currency's minor unit
    (``money("1.005", "CHF")``), and :class:`UnknownCurrency` for an unknown code.
    """
    cur = currency(code)
    value = _to_decimal(amount)
    exponent = EXPONENTS[code]
    try:
        exact = value.quantize(Decimal(1).scaleb(-exponent), context=CONTEXT)
    except InvalidOperation:
        raise InvalidAmount(amount, "too large") from None
    # Trailing zeros beyond the minor unit are harmless ("1.500" CHF is 1.50 CHF).
    if exact != value:
        raise InvalidAmount(amount, f"{code} has {exponent} decimal(s); {value} has more")
    return Money(exact, cur)


def zero(code: str) -> Money:
    """Return zero in the currency ``code``."""
    return money(0, code)


def quantize(value: Decimal, code: str) -> Money:
    """Round a computed Decimal half up to the minor unit of ``code`` and wrap it as Money.

    This is the one rounding rule for computed amounts (conversions, rates, percentages).
    """
    if isinstance(value, float):
        raise TypeError("quantize takes a Decimal, not a float")
    exponent = minor_unit_exponent(code)
    rounded = value.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP, context=CONTEXT)
    return Money(rounded, currency(code))


def to_minor(m: Money) -> int:
    """Return the amount of ``m`` as an integer number of minor units, exactly.

    Raises :class:`InvalidAmount` if ``m`` holds more decimals than its currency allows
    (a Money made outside :func:`money`), rather than rounding silently.
    """
    code = m.currency.code
    exponent = minor_unit_exponent(code)
    scaled = m.amount.scaleb(exponent, context=CONTEXT)
    integral = scaled.to_integral_value(context=CONTEXT)
    if scaled != integral:
        raise InvalidAmount(m.amount, f"{code} has {exponent} decimal(s); not a whole minor unit")
    return int(integral)


def from_minor(n: int, code: str) -> Money:
    """Return the Money worth ``n`` minor units of ``code``, exactly (``from_minor(150, "CHF")``).

    Raises ``TypeError`` if ``n`` is not an int and :class:`UnknownCurrency` for a bad code.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"minor units must be an int, not {type(n).__name__} ({n!r})")
    exponent = minor_unit_exponent(code)
    return Money(Decimal(n).scaleb(-exponent, context=CONTEXT), currency(code))


def require_same_currency(a: Money, b: Money, context: str = "") -> None:
    """Raise :class:`CurrencyMismatch` unless ``a`` and ``b`` share a currency."""
    if a.currency.code != b.currency.code:
        raise CurrencyMismatch(a.currency.code, b.currency.code, context)


def allocate(m: Money, ratios: Sequence[int | Decimal | str]) -> list[Money]:
    """Split ``m`` in proportion to ``ratios`` by the largest-remainder method.

    The shares sum exactly to ``m``; each is within one minor unit of its exact share; a zero
    ratio gets zero; ties in the remainders go to the earlier share, so the result is
    deterministic. Negative amounts are split like their absolute value, then negated.

    Raises ``TypeError`` for float ratios and :class:`InvalidAmount` for negative ratios, an
    empty list or ratios that sum to zero.
    """
    if not ratios:
        raise InvalidAmount(list(ratios), "allocate needs at least one ratio")
    weights: list[Decimal] = []
    for r in ratios:
        if isinstance(r, float | bool) or not isinstance(r, _RATIO_TYPES):
            raise TypeError(f"ratios must be int, Decimal or str, not {type(r).__name__} ({r!r})")
        w = _to_decimal(r)
        if w < 0:
            raise InvalidAmount(r, "a ratio cannot be negative")
        weights.append(w)
    if not any(weights):
        raise InvalidAmount(list(ratios), "ratios sum to zero")
    code = m.currency.code
    units = to_minor(m)
    sign = -1 if units < 0 else 1
    units = abs(units)
    # Integer arithmetic on scaled weights keeps this exact whatever the decimal context.
    scale = max(0, *(-int(w.as_tuple().exponent) for w in weights))
    int_weights = [int(w.scaleb(scale, context=CONTEXT)) for w in weights]
    int_total = sum(int_weights)
    floors: list[int] = []
    remainders: list[tuple[int, int]] = []
    for i, weight in enumerate(int_weights):
        quotient, remainder = divmod(units * weight, int_total)
        floors.append(quotient)
        remainders.append((-remainder, i))
    leftover = units - sum(floors)
    for _, i in sorted(remainders)[:leftover]:
        floors[i] += 1
    return [from_minor(sign * share, code) for share in floors]
