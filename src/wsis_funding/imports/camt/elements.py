"""Typed values read out of camt elements: amounts, dates, charges, exchange, references.

Each reader takes the element, the :class:`~wsis_funding.imports.camt.dialect.Dialect` and a
:class:`Place` (which file, which statement and entry), and raises
:class:`~wsis_funding.imports.camt.errors.StatementRefused` naming that place for a value the
schema would not allow or that we cannot use exactly (an amount with more decimals than its
currency has is refused, never rounded).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from wsis_funding.imports.camt.dialect import Dialect
from wsis_funding.imports.camt.errors import MalformedStatement, StatementRefused
from wsis_funding.imports.camt.model import Exchange, Instructed
from wsis_funding.money import CONTEXT, Money, money
from wsis_funding.money.errors import InvalidAmount, UnknownCurrency

__all__ = [
    "Place",
    "amount_of",
    "boolean",
    "date_of",
    "datetime_of",
    "deducted_charges",
    "exchange_of",
    "instructed_of",
    "integer",
    "money_of",
    "text",
]

Element = Any  # an lxml element: lxml ships no type information
_DECIMAL: Final = re.compile(r"\+?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_SIGNED_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE: Final = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")


@attrs.frozen
class Place:
    """Where in the file a value is read: the file's name and a description, for errors."""

    file: str
    where: str | None

    def refuse(self, reason: str) -> StatementRefused:
        """Return the error to raise for ``reason`` at this place."""
        return StatementRefused(self.file, reason, self.where)

    def missing(self, what: str) -> MalformedStatement:
        """Return the error to raise for a mandatory element that is absent."""
        return MalformedStatement(self.file, f"{what} is missing", self.where)


def text(element: Element, path: str) -> str | None:
    """Return the stripped text at ``path`` under ``element``, or None when absent or empty."""
    value = element.findtext(path)
    if value is None:
        return None
    value = value.strip()
    return value or None


def boolean(element: Element, path: str, place: Place) -> bool | None:
    """Return the ``xs:boolean`` at ``path`` (``true``, ``false``, ``1``, ``0``), or None."""
    value = text(element, path)
    if value is None:
        return None
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise place.refuse(f"{path.rsplit('}', 1)[-1]} is {value!r}, not a boolean")


def integer(element: Element, path: str, place: Place) -> int | None:
    """Return the whole number at ``path`` (``Number``, ``Max15NumericText``), or None."""
    value = text(element, path)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit():
        raise place.refuse(f"{_local(path)} is {value!r}, not a whole number")
    return int(value)


def decimal_of(value: str, what: str, place: Place, *, signed: bool = False) -> Decimal:
    """Return a decimal from its XML text; refuse exponents, NaN, separators, (unsigned) signs."""
    pattern = _SIGNED_DECIMAL if signed else _DECIMAL
    if not pattern.fullmatch(value):
        raise place.refuse(f"{what} {value!r} is not a decimal number")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise place.refuse(f"{what} {value!r} is not a decimal number") from None


def amount_of(element: Element | None, what: str, place: Place) -> tuple[Decimal, str]:
    """Return the non-negative amount and ``Ccy`` of an ``ActiveOrHistoricCurrencyAndAmount``."""
    if element is None:
        raise place.missing(what)
    currency = (element.get("Ccy") or "").strip()
    if not currency:
        raise place.refuse(f"{what} has no currency (Ccy)")
    value = decimal_of((element.text or "").strip(), what, place)
    return value, currency


def money_of(value: Decimal, currency: str, what: str, place: Place) -> Money:
    """Return exact Money for ``value`` in ``currency``; refuse more decimals than it has."""
    try:
        return money(value, currency)
    except InvalidAmount as exc:
        raise place.refuse(f"{what} {value} {currency}: {exc.reason}") from None
    except UnknownCurrency:
        raise place.refuse(f"{what} is in {currency!r}, not an ISO 4217 currency") from None


def date_of(element: Element, path: str, place: Place) -> dt.date | None:
    """Return the date of a ``DateAndDateTimeChoice`` at ``path`` (``Dt`` or ``DtTm``), or None."""
    choice = element.find(path)
    if choice is None:
        return None
    for child in choice:
        value = (child.text or "").strip()
        local = _local_tag(child.tag)
        if local == "Dt":
            day = _date(value)
            if day is None:
                raise place.refuse(f"{_local(path)} {value!r} is not a date")
            return day
        if local == "DtTm":
            return _datetime(value, _local(path), place).date()
    raise place.missing(f"{_local(path)}/Dt")


@functools.lru_cache(maxsize=256)
def _date(value: str) -> dt.date | None:
    """Return the ``ISODate`` (with an optional time zone) ``value``, or None.

    Cached: the entries of a statement share a few booking and value dates.
    """
    match = _DATE.fullmatch(value)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    return None


@functools.lru_cache(maxsize=256)
def _local_tag(tag: str) -> str:
    return tag.rpartition("}")[2]


def datetime_of(element: Element, path: str, place: Place) -> dt.datetime | None:
    """Return the ``ISODateTime`` at ``path``, or None when absent."""
    value = text(element, path)
    return None if value is None else _datetime(value, _local(path), place)


def _datetime(value: str, what: str, place: Place) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise place.refuse(f"{what} {value!r} is not a date and time") from None


def exchange_of(element: Element | None, d: Dialect, place: Place) -> Exchange | None:
    """Return the ``CcyXchg`` details under ``element``, or None."""
    if element is None:
        return None
    xchg = element.find(d.path("CcyXchg"))
    if xchg is None:
        return None
    source = text(xchg, d.path("SrcCcy"))
    rate_text = text(xchg, d.path("XchgRate"))
    if source is None or rate_text is None:
        raise place.missing("CcyXchg/SrcCcy or CcyXchg/XchgRate")
    return Exchange(
        source=source,
        target=text(xchg, d.path("TrgtCcy")),
        unit=text(xchg, d.path("UnitCcy")),
        rate=decimal_of(rate_text, "XchgRate", place),
        contract=text(xchg, d.path("CtrctId")),
        quoted=datetime_of(xchg, d.path("QtnDt"), place),
    )


def instructed_of(element: Element, d: Dialect, level: str, place: Place) -> Instructed | None:
    """Return the instructed amount (``AmtDtls/InstdAmt``) of an entry or transaction."""
    instd = element.find(d.path("AmtDtls/InstdAmt"))
    if instd is None:
        return None
    value, currency = amount_of(instd.find(d.path("Amt")), "InstdAmt/Amt", place)
    return Instructed(
        amount=money_of(value, currency, "InstdAmt/Amt", place),
        exchange=exchange_of(instd, d, place),
        level=level,
    )


def deducted_charges(element: Element, d: Dialect, currency: str, place: Place) -> Decimal | None:
    """Return the charges already deducted stated directly under ``element`` (None: none).

    .04/.08: the ``Chrgs/Rcrd`` with ``ChrgInclInd`` true (a record without the indicator, or
    with false, was booked separately and is not deducted). .02: every ``Chrgs`` (ISO defines
    them as included in the entry amount). A record with ``CdtDbtInd`` CRDT gives charges back
    and counts negative. A deducted charge must be in the account currency.
    """
    if d.charges_are_records:
        records = [
            r
            for r in element.iterfind(d.path("Chrgs/Rcrd"))
            if boolean(r, d.path("ChrgInclInd"), place)
        ]
    else:
        records = list(element.iterfind(d.path("Chrgs")))
    if not records:
        return None
    total = Decimal(0)
    for record in records:
        value, code = amount_of(record.find(d.path("Amt")), "Chrgs amount", place)
        if code != currency:
            raise place.refuse(
                f"a deducted charge of {value} {code} is not in the account currency {currency}"
            )
        money_of(value, code, "Chrgs amount", place)
        if text(record, d.path("CdtDbtInd")) == "CRDT":
            value = -value
        total = CONTEXT.add(total, value)
    return total


def _local(path: str) -> str:
    """Return the path without namespaces: ``{urn:...}Sts/{urn:...}Cd`` -> ``Sts/Cd``."""
    return "/".join(part.rpartition("}")[2] for part in path.split("/"))
