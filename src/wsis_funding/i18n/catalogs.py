"""Translations and locale formatting for the six UN languages.

Texts come from the gettext catalogs in ``locales/<lang>/LC_MESSAGES/messages.po``; they are
compiled in memory with Babel on first use and cached for the life of the process. Amounts go
through :func:`wsis_funding.money.format_money`; dates and numbers through Babel.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Final, Literal

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from wsis_funding.i18n.errors import UnsupportedLanguage
from wsis_funding.money import Money, format_money

__all__ = [
    "LANGUAGES",
    "LOCALE_DIR",
    "catalog_path",
    "direction",
    "format_amount",
    "format_day",
    "format_number",
    "lang_tag",
    "translations",
]

LANGUAGES: Final = ("ar", "zh", "en", "fr", "ru", "es")
"""The six UN languages a document may be written in, as ISO 639-1 codes."""

LOCALE_DIR: Final = Path(__file__).parent / "locales"
_RTL: Final = frozenset({"ar"})
_TAGS: Final = {"zh": "zh-Hans"}


def _check(language: str) -> None:
    if language not in LANGUAGES:
        raise UnsupportedLanguage(language, LANGUAGES)


def catalog_path(language: str) -> Path:
    """Return the path of the ``.po`` catalog for ``language``; raises UnsupportedLanguage."""
    _check(language)
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@functools.cache
def translations(language: str) -> Translations:
    """Return the compiled translations for ``language``, built once per process.

    Raises :class:`UnsupportedLanguage` for a language outside the six UN languages and
    ``OSError`` if the catalog file is missing.
    """
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def direction(language: str) -> Literal["rtl", "ltr"]:
    """Return the writing direction of ``language``: ``"rtl"`` for Arabic, else ``"ltr"``."""
    _check(language)
    return "rtl" if language in _RTL else "ltr"


def lang_tag(language: str) -> str:
    """Return the BCP 47 tag for the HTML ``lang`` attribute (``zh-Hans`` for Chinese)."""
    _check(language)
    return _TAGS.get(language, language)


def format_amount(m: Money, language: str) -> str:
    """Format an amount for ``language`` with the ISO 4217 number of decimals."""
    _check(language)
    return format_money(m, language)


def format_day(day: dt.date, language: str) -> str:
    """Format a date in the long form of ``language`` (``1 mars 2024``, ``2024年3月1日``)."""
    _check(language)
    return str(format_date(day, format="long", locale=language))


def format_number(value: Decimal, language: str) -> str:
    """Format a quantity or exchange rate for ``language`` without dropping any decimal."""
    _check(language)
    return str(format_decimal(value, locale=language, decimal_quantization=False))
