"""Exact conversion of one spreadsheet cell to a typed value, or a plain-words reason why not.

A cell arrives as text (CSV, or a text cell of an XLSX), as an int or a float (an XLSX number
cell), as a bool (a TRUE/FALSE cell) or as a datetime (an XLSX date cell). Numbers never go
through binary floating point: a float cell is read through its shortest repr
(``Decimal(repr(value))``, which gives back exactly the digits the spreadsheet stored for any
value of up to 15 significant digits) and refused if it has more decimals than the currency.
Each converter returns None for an empty cell and raises :class:`CellError` for a bad one.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from decimal import Decimal
from typing import Final, TypeVar

from wsis_funding.ledger.iso3166 import is_country
from wsis_funding.money.core import CONTEXT, from_minor
from wsis_funding.money.iso4217 import EXPONENTS

__all__ = [
    "CellError",
    "amount",
    "choice",
    "country",
    "currency_code",
    "date",
    "email",
    "is_blank",
    "rate",
    "shown",
    "text",
    "yes_no",
]

E = TypeVar("E", bound=enum.Enum)

_PLAIN_NUMBER: Final = re.compile(r"[+-]?\d+(?:\.\d+)?")
_SEPARATORS: Final = ",'’ \u00a0\u202f"
_GROUPED: Final = re.compile(r"[+-]?\d{1,3}(?:[,'’ \u00a0\u202f]\d{3})+(?:\.\d+)?")
_GROUPED_DOTS: Final = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")
_DECIMAL_COMMA: Final = re.compile(r"[+-]?\d+,\d+")
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_MAX_MINOR: Final = 2**63 - 1
_MIDNIGHT: Final = dt.time(0, 0)
_SURROGATES: Final = re.compile("[\udc80-\udcff]")


class CellError(Exception):
    """A cell that cannot be converted; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def shown(value: object) -> str:
    """Return a cell's value as text, as a problem report shows it ("" for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if _SURROGATES.search(value):
            # Bytes that were not UTF-8 are shown as \xe9 escapes, not as mojibake.
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_blank(value: object) -> bool:
    """Tell whether a cell is empty: nothing, or text of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def has_invalid_utf8(value: str) -> bool:
    """Tell whether text decoded with ``surrogateescape`` held bytes that are not UTF-8."""
    return _SURROGATES.search(value) is not None


def text(value: object) -> str | None:
    """Return the cell as trimmed text; a whole number cell (a postcode typed as 1211) is text."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, bool):
        raise CellError("a TRUE/FALSE cell, not text")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("not text (NaN or infinity)")
        number = Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else str(number)
    if isinstance(value, dt.date):
        raise CellError("a date, not text: format the cell as text")
    raise CellError(f"not text (a {type(value).__name__} cell)")


def _number(value: object) -> tuple[Decimal, bool]:
    """Return the exact Decimal of a number or text cell, and whether it was a float cell."""
    if isinstance(value, bool):
        raise CellError("a TRUE/FALSE cell, not a number")
    if isinstance(value, int):
        return Decimal(value), False
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("not a number (NaN or infinity)")
        # The shortest repr is the decimal the spreadsheet stored, digit for digit.
        return Decimal(repr(value)), True
    if isinstance(value, str):
        raw = value.strip()
        if _PLAIN_NUMBER.fullmatch(raw):
            return Decimal(raw), False
        raise CellError(_why_not_a_number(raw))
    if isinstance(value, dt.date):
        raise CellError("a date, not a number")
    raise CellError(f"not a number (a {type(value).__name__} cell)")


def _why_not_a_number(raw: str) -> str:
    if _GROUPED.fullmatch(raw):
        plain = raw.translate({ord(c): None for c in _SEPARATORS})
        only_one_comma = raw.count(",") == 1 and not any(c in raw for c in _SEPARATORS[1:])
        if only_one_comma and "." not in raw:
            # "1,234" is 1234 to some and 1.234 to others: say both.
            return (
                f"a comma is not allowed in a number: write {plain} (no thousands "
                f"separators) or {raw.replace(',', '.')} (a point for decimals)"
            )
        return f"thousands separators are not allowed: write {plain}"
    if _GROUPED_DOTS.fullmatch(raw):
        plain = raw.replace(".", "").replace(",", ".")
        return f"thousands separators and decimal commas are not allowed: write {plain}"
    if _DECIMAL_COMMA.fullmatch(raw):
        return f"decimals take a point, not a comma: write {raw.replace(',', '.')}"
    return "not a number: write digits with a point for decimals, such as 1234.50"


def amount(value: object, code: str | None) -> Decimal | None:
    """Return a money amount above zero with no more decimals than ``code`` allows.

    ``code`` None (the currency cell is itself bad) checks everything but the decimals.
    """
    if is_blank(value):
        return None
    number, from_float = _number(value)
    if number <= 0:
        raise CellError("an amount must be above zero")
    if number.adjusted() > 18:  # past any signed 64-bit count of minor units, whatever the unit
        raise CellError("too large: more than 19 digits before the decimal point")
    if code is None:
        return number
    exponent = EXPONENTS[code]
    exact = number.quantize(Decimal(1).scaleb(-exponent), context=CONTEXT)
    if exact != number:
        hint = (
            "; if it is a computed value, round it in the spreadsheet (ROUND) first"
            if from_float
            else ""
        )
        raise CellError(f"{code} has {exponent} decimal(s); {number} has more{hint}")
    if exact.scaleb(exponent, context=CONTEXT) > _MAX_MINOR:
        top = from_minor(_MAX_MINOR, code).amount
        raise CellError(f"too large: the books hold at most {top} {code}")
    return exact


def rate(value: object) -> Decimal | None:
    """Return an exchange rate: an exact decimal above zero, with any number of decimals."""
    if is_blank(value):
        return None
    number, _ = _number(value)
    if number <= 0:
        raise CellError("an exchange rate must be above zero")
    return number


def date(value: object) -> dt.date | None:
    """Return a date from a date cell (time part midnight) or ISO text ``YYYY-MM-DD``."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != _MIDNIGHT:
            raise CellError("a date and time: give the date only (the time must be 00:00)")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        if not _ISO_DATE.fullmatch(raw):
            raise CellError("not a date: write it as YYYY-MM-DD (for example 2024-05-27)")
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise CellError(f"not a real date: {raw}") from None
    if isinstance(value, bool):
        raise CellError("a TRUE/FALSE cell, not a date")
    if isinstance(value, int | float):
        raise CellError("a number, not a date: format the cell as a date or write YYYY-MM-DD")
    raise CellError(f"not a date (a {type(value).__name__} cell)")


def currency_code(value: object) -> str | None:
    """Return an ISO 4217 code that has a minor unit (upper case, as ISO writes it)."""
    code = text(value)
    if code is None:
        return None
    if code in EXPONENTS:
        return code
    hint = f": write {code.upper()}" if code.upper() in EXPONENTS else ""
    raise CellError(f"not an ISO 4217 currency code{hint}")


def country(value: object) -> str | None:
    """Return an ISO 3166 alpha-2 country code (upper case, as ISO writes it)."""
    code = text(value)
    if code is None:
        return None
    if is_country(code):
        return code
    hint = f": write {code.upper()}" if is_country(code.upper()) else ""
    raise CellError(f"not an ISO 3166 two-letter country code{hint}")


def choice(value: object, kind: type[E]) -> E | None:
    """Return the member of ``kind`` whose value the cell names (any letter case)."""
    name = text(value)
    if name is None:
        return None
    try:
        return kind(name.lower())
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise CellError(f"not one of: {allowed}") from None


def yes_no(value: object) -> bool | None:
    """Return True for yes (or a TRUE cell) and False for no (or a FALSE cell)."""
    if isinstance(value, bool):
        return value
    word = text(value)
    if word is None:
        return None
    lowered = word.lower()
    if lowered in ("yes", "no"):
        return lowered == "yes"
    raise CellError("not one of: yes, no")


def email(value: object) -> str | None:
    """Return an e-mail address of the form name@domain.tld (no spaces)."""
    address = text(value)
    if address is None:
        return None
    if not _EMAIL.fullmatch(address):
        raise CellError("not an e-mail address (name@example.org)")
    return address
