"""Translations and locale formatting for the six UN languages, shared by documents and rendering.

The gettext catalogs (``locales/<lang>/LC_MESSAGES/messages.po``) hold every text a document
prints: the templates' texts and the line texts that building a snapshot writes in the
partner's language. Amounts go through :func:`wsis_funding.money.format_money`.
"""

from wsis_funding.i18n.catalogs import (
    LANGUAGES,
    LOCALE_DIR,
    catalog_path,
    direction,
    format_amount,
    format_day,
    format_number,
    lang_tag,
    translations,
)
from wsis_funding.i18n.errors import UnsupportedLanguage

__all__ = [
    "LANGUAGES",
    "LOCALE_DIR",
    "UnsupportedLanguage",
    "catalog_path",
    "direction",
    "format_amount",
    "format_day",
    "format_number",
    "lang_tag",
    "translations",
]
