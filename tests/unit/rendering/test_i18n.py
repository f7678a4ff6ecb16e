"""Catalogs: every template message is translated into all six UN languages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from wsis_funding import i18n
from wsis_funding.documents.model import LANGUAGES
from wsis_funding.i18n.errors import UnsupportedLanguage
from wsis_funding.money import money
from wsis_funding.rendering.context import PYTHON_MESSAGES
from wsis_funding.rendering.templating import TEMPLATE_DIR

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(TEMPLATE_DIR),
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    messages = {str(message) for _, _, message, _, _ in found}
    # Titles, the VAT note and the credit-note kinds are looked up from Python.
    return messages | PYTHON_MESSAGES


def test_templates_use_at_least_thirty_messages() -> None:
    assert len(template_messages()) >= 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    with i18n.catalog_path(language).open("rb") as po:
        catalog = read_po(po)
    translated = {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = template_messages() - set(translated)
    assert not missing, f"{language}: untranslated {sorted(missing)}"
    for msgid, msgstr in translated.items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("ar", "فاتورة"),
        ("zh", "发票"),
        ("en", "Invoice"),
        ("fr", "Facture"),
        ("ru", "Счёт"),
        ("es", "Factura"),
    ],
)
def test_invoice_title_is_translated(language: str, word: str) -> None:
    assert i18n.translations(language).gettext("Invoice") == word


def test_translations_are_cached_per_process() -> None:
    assert i18n.translations("fr") is i18n.translations("fr")


def test_only_arabic_is_right_to_left() -> None:
    assert [i18n.direction(lang) for lang in LANGUAGES] == ["rtl"] + ["ltr"] * 5


def test_amounts_and_dates_follow_the_locale() -> None:
    amount = money("12345.50", "CHF")
    assert i18n.format_amount(amount, "fr") == "12\u202f345,50\xa0CHF"
    assert i18n.format_amount(amount, "en") == "CHF12,345.50"
    assert i18n.format_day(dt.date(2024, 3, 1), "zh") == "2024年3月1日"
    assert i18n.format_day(dt.date(2024, 3, 1), "es") == "1 de marzo de 2024"


def test_exchange_rates_keep_every_decimal() -> None:
    assert i18n.format_number(Decimal("0.912345"), "fr") == "0,912345"


def test_unknown_language_has_no_catalog() -> None:
    with pytest.raises(UnsupportedLanguage):
        i18n.translations("de")
