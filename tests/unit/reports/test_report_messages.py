"""Every text a report prints is translated in the six UN languages, placeholders kept."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from wsis_funding import i18n
from wsis_funding.reports.labels import MESSAGES, label

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_report_message_is_translated(language: str) -> None:
    with i18n.catalog_path(language).open("rb") as po:
        catalog = read_po(po)
    translated = {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = MESSAGES - set(translated)
    assert not missing, f"{language}: untranslated {sorted(missing)}"
    for msgid in MESSAGES:
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(translated[msgid]))
        if language != "en":
            # a translation, not the English text copied (names such as "Total" excepted)
            assert translated[msgid] != msgid or msgid in {
                "Total",
                "Date",
                "Type",
                "Description",
            }, (
                language,
                msgid,
            )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "كشف حساب"),
        ("zh", "对账单"),
        ("en", "Statement of account"),
        ("fr", "Relevé de compte"),
        ("ru", "Выписка по счёту"),
        ("es", "Estado de cuenta"),
    ],
)
def test_the_statement_title_is_translated(language: str, expected: str) -> None:
    assert label("Statement of account", language) == expected


def test_placeholders_are_filled_and_unknown_messages_refused() -> None:
    assert label("Amounts in %(currency)s", "fr", currency="JPY") == "Montants en JPY"
    with pytest.raises(KeyError, match="not a report message"):
        label("Statement of acount", "en")
