"""Dated, sourced exchange rates and conversion with them.

A rate says: on and after ``effective``, one unit of ``from_currency`` is worth ``rate``
units of ``to_currency`` (for example the monthly UN operational rates of exchange). The
rate for a date is the latest one in force on that date. A stored pair may be used in the
inverse direction. Without a rate the answer is :class:`MissingRate`, never a guess, and
every converted amount keeps the rate, its date and its source.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs
from moneyed import Money

from wsis_funding.money.core import CONTEXT, currency, minor_unit_exponent, quantize
from wsis_funding.money.errors import ConflictingRate, InvalidAmount, MissingRate, StaleRate

__all__ = ["Conversion", "ExchangeRate", "RateTable", "RecordedRate"]


def _check_rate(instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise TypeError(f"rate must be a Decimal, not {type(value).__name__} ({value!r})")
    if not value.is_finite() or value <= 0:
        raise InvalidAmount(value, "an exchange rate must be a finite number above zero")


def _check_code(instance: ExchangeRate, attribute: attrs.Attribute[str], value: str) -> None:
    minor_unit_exponent(value)


@attrs.frozen(kw_only=True)
class ExchangeRate:
    """One unit of ``from_currency`` is worth ``rate`` units of ``to_currency`` from ``effective``.

    Raises ``TypeError`` for a float rate, :class:`InvalidAmount` for a rate that is not above
    zero, :class:`UnknownCurrency` for a bad code and ``ValueError`` for a pair of one currency.
    """

    from_currency: str = attrs.field(validator=_check_code)
    to_currency: str = attrs.field(validator=_check_code)
    rate: Decimal = attrs.field(validator=_check_rate)
    effective: dt.date
    source: str = "UN operational rate of exchange"

    def __attrs_post_init__(self) -> None:
        """Refuse a pair of one currency: its rate is 1 by definition and never stored."""
        if self.from_currency == self.to_currency:
            raise ValueError(
                f"an exchange rate needs two currencies, got {self.from_currency} twice"
            )

    @property
    def pair(self) -> tuple[str, str]:
        """The (from, to) currency pair."""
        return (self.from_currency, self.to_currency)


@attrs.frozen(kw_only=True)
class RecordedRate:
    """The rate an amount was converted at, as the books record it beside the result.

    ``rate`` is in units of the target currency per unit of the original, exactly as applied
    (the quotient itself when a stored rate was used in the inverse direction), in force from
    ``effective``, taken from ``source``. This one value travels wherever a converted amount
    goes: on a pledge (its carrying rate), on each journal posting and on documents.
    """

    rate: Decimal = attrs.field(validator=_check_rate)
    effective: dt.date
    source: str

    @property
    def text(self) -> str:
        """The rate as exact decimal text without an exponent, as stored and hashed."""
        return format(self.rate.normalize(context=CONTEXT), "f")

    def apply(self, m: Money, to: str) -> Money:
        """Return ``m`` converted at this rate into ``to``, rounded half up to its minor unit."""
        return quantize(CONTEXT.multiply(m.amount, self.rate), to)


@attrs.frozen(kw_only=True)
class Conversion:
    """The result of a conversion: the amount converted and the stored rate that was used.

    ``inverse`` is true when the stored rate was for the opposite pair and the amount was
    divided by it. ``rate`` is None only for a conversion to the same currency.
    """

    original: Money
    money: Money
    rate: ExchangeRate | None
    inverse: bool = False

    @property
    def recorded(self) -> RecordedRate | None:
        """The rate as recorded beside the result; None for a conversion to the same currency."""
        if self.rate is None:
            return None
        suffix = " (inverse)" if self.inverse else ""
        return RecordedRate(
            rate=self.applied_rate, effective=self.rate.effective, source=self.rate.source + suffix
        )

    @property
    def applied_rate(self) -> Decimal:
        """Units of the target currency per unit of the original currency, as applied."""
        if self.rate is None:
            return Decimal(1)
        if self.inverse:
            return CONTEXT.divide(Decimal(1), self.rate.rate)
        return self.rate.rate


class RateTable:
    """An immutable table of exchange rates, indexed by pair and effective date.

    Raises :class:`ConflictingRate` if two different rates are given for the same pair and
    date (the same rate twice is accepted once).
    """

    __slots__ = ("_by_pair",)

    def __init__(self, rates: Iterable[ExchangeRate] = ()) -> None:
        """Index ``rates``; the table never changes afterwards."""
        by_pair: dict[tuple[str, str], dict[dt.date, ExchangeRate]] = {}
        for r in rates:
            if not isinstance(r, ExchangeRate):
                raise TypeError(f"RateTable takes ExchangeRate values, not {type(r).__name__}")
            dated = by_pair.setdefault(r.pair, {})
            known = dated.get(r.effective)
            if known is not None and known.rate != r.rate:
                raise ConflictingRate(r.from_currency, r.to_currency, r.effective)
            dated[r.effective] = r
        self._by_pair: dict[tuple[str, str], tuple[list[dt.date], list[ExchangeRate]]] = {
            pair: (sorted(dated), [dated[d] for d in sorted(dated)])
            for pair, dated in by_pair.items()
        }

    def __len__(self) -> int:
        """Return the number of stored rates."""
        return sum(len(dates) for dates, _ in self._by_pair.values())

    def __iter__(self) -> Iterator[ExchangeRate]:
        """Iterate over the stored rates, by pair then date."""
        for _, (_, rates) in sorted(self._by_pair.items()):
            yield from rates

    def _latest(self, pair: tuple[str, str], on: dt.date) -> ExchangeRate | None:
        entry = self._by_pair.get(pair)
        if entry is None:
            return None
        dates, rates = entry
        i = bisect.bisect_right(dates, on)
        return rates[i - 1] if i else None

    def lookup(
        self, from_currency: str, to_currency: str, on: dt.date
    ) -> tuple[ExchangeRate, bool]:
        """Return the rate in force on ``on`` for the pair, and whether it is the inverse pair.

        The latest rate effective on or before ``on`` wins, whichever direction it was stored
        in; on a tie the direct pair wins. Raises :class:`MissingRate` naming the pair and date.
        """
        direct = self._latest((from_currency, to_currency), on)
        inverse = self._latest((to_currency, from_currency), on)
        if direct is not None and (inverse is None or direct.effective >= inverse.effective):
            return direct, False
        if inverse is not None:
            return inverse, True
        raise MissingRate(from_currency, to_currency, on)

    def rate_on(
        self, from_currency: str, to_currency: str, on: dt.date, *, max_age_days: int | None = None
    ) -> RecordedRate | None:
        """Return the rate to record for converting on ``on`` (None between one currency).

        With ``max_age_days``, a rate in force on ``on`` but older than that is refused:
        :class:`StaleRate` names its date and age. Raises :class:`MissingRate` without one.
        """
        if from_currency == to_currency:
            return None
        rate, inverse = self.lookup(from_currency, to_currency, on)
        if max_age_days is not None and (on - rate.effective).days > max_age_days:
            raise StaleRate(from_currency, to_currency, on, rate.effective, max_age_days)
        return Conversion(
            original=Money(1, currency(from_currency)),
            money=Money(1, currency(to_currency)),
            rate=rate,
            inverse=inverse,
        ).recorded

    def convert(self, m: Money, to: str, on: dt.date) -> Conversion:
        """Convert ``m`` into currency ``to`` at the rate in force on ``on``.

        The result is rounded half up to the ISO minor unit of ``to``. Converting to the same
        currency returns ``m`` unchanged with no rate. Raises :class:`MissingRate` when no rate
        is in force and :class:`UnknownCurrency` for a bad target code.
        """
        minor_unit_exponent(to)
        code = m.currency.code
        if code == to:
            return Conversion(original=m, money=m, rate=None)
        rate, inverse = self.lookup(code, to, on)
        if inverse:
            value = CONTEXT.divide(m.amount, rate.rate)
        else:
            value = CONTEXT.multiply(m.amount, rate.rate)
        return Conversion(original=m, money=quantize(value, to), rate=rate, inverse=inverse)

    def convert_all_to(self, amounts: Iterable[tuple[Money, dt.date]], to: str) -> Money:
        """Sum dated amounts in ``to``: each currency and date group is converted once.

        Grouping before converting makes the total independent of how an amount was split
        into parts of the same currency and date. Raises :class:`MissingRate` as ``convert``.
        """
        groups: dict[tuple[str, dt.date], Decimal] = {}
        for m, on in amounts:
            key = (m.currency.code, on if m.currency.code != to else dt.date.min)
            groups[key] = CONTEXT.add(groups.get(key, Decimal(0)), m.amount)
        total = quantize(Decimal(0), to)
        for (code, on), amount in sorted(groups.items()):
            total = total + self.convert(Money(amount, currency(code)), to, on).money
        return total
