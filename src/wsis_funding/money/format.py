"""Locale-aware formatting of money with ISO 4217 digits.

Babel takes the number of decimals to show from CLDR, which differs from ISO 4217 for about
fifteen currencies (it shows IQD, IDR, HUF, COP with none, for instance). An invoice must show
exactly what is owed, so we keep the locale's pattern (symbol place, grouping, separators,
direction marks) and put in the ISO number of decimals ourselves.
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from moneyed import Money

from wsis_funding.money.core import minor_unit_exponent
from wsis_funding.money.errors import UnknownLocale

__all__ = ["UnknownLocale", "format_money"]

_FRACTION = re.compile(r"0\.0+")


@functools.lru_cache(maxsize=256)
def _pattern(locale: str, exponent: int) -> str:
    try:
        loc = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise UnknownLocale(locale) from None
    standard = loc.currency_formats["standard"].pattern
    digits = "0." + "0" * exponent if exponent else "0"
    return _FRACTION.sub(digits, standard)


def format_money(m: Money, locale: str) -> str:
    """Format ``m`` for ``locale`` (``"fr"``, ``"ar"``, ``"zh_Hans"``, ``"de_CH"``...).

    The locale decides symbol, grouping and separators; the number of decimals is always the
    ISO 4217 minor unit of the currency. Raises :class:`UnknownLocale` for an unknown locale.
    """
    exponent = minor_unit_exponent(m.currency.code)
    pattern = _pattern(locale, exponent)
    return str(
        format_currency(
            m.amount,
            m.currency.code,
            format=pattern,
            locale=locale.replace("-", "_"),
            currency_digits=False,
        )
    )
