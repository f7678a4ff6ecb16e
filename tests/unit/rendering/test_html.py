"""The HTML step: escaping, translations, direction, template overrides and missing variables."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from wsis_funding.examples import (
    example_credit_note,
    example_invoice,
    example_letter,
    example_partly_paid_invoice,
    example_party,
    example_payment_letter,
)
from wsis_funding.rendering.errors import MissingIban, TemplateVariableMissing
from wsis_funding.rendering.render import QRBILL_ASSET, prepare


def test_partner_markup_is_escaped_in_the_html() -> None:
    partner = example_party('<img src="file:///etc/passwd">')
    html = prepare(example_invoice(partner=partner)).html
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_arabic_html_is_right_to_left_with_lang_attribute() -> None:
    html = prepare(example_invoice(language="ar")).html
    assert '<html lang="ar" dir="rtl">' in html


def test_chinese_html_declares_simplified_han() -> None:
    html = prepare(example_letter(language="zh")).html
    assert '<html lang="zh-Hans" dir="ltr">' in html


@pytest.mark.parametrize(
    ("language", "separator"), [("ar", "\u060c "), ("zh", "\uff0c"), ("fr", ", le "), ("en", ", ")]
)
def test_letter_place_and_date_use_the_language_s_punctuation(
    language: str, separator: str
) -> None:
    html = prepare(example_letter(language=language)).html
    date_line = next(line for line in html.splitlines() if 'class="date"' in line)
    town = "\u2068Geneva 20\u2069"
    assert f"{town}{separator}" in date_line


def test_french_invoice_uses_french_texts_and_formats() -> None:
    html = prepare(example_invoice(language="fr")).html
    assert "Facture" in html
    assert "55\u202f001,00\xa0CHF" in html
    assert "1 mars 2024" in html


def test_vat_note_override_replaces_the_catalog_text() -> None:
    invoice = example_invoice()
    issuer = attrs.evolve(invoice.issuer, vat_notes={"en": "Exempt from VAT (Art. 2)."})
    html = prepare(attrs.evolve(invoice, issuer=issuer)).html
    assert "Exempt from VAT (Art. 2)." in html
    assert "not subject to VAT" not in html


def test_swiss_franc_invoice_gets_a_qr_bill_asset() -> None:
    prepared = prepare(example_invoice())
    assert QRBILL_ASSET in prepared.generated
    assert "factur-x.xml" in prepared.generated


def test_credit_note_names_the_corrected_invoice_and_has_no_payment_part() -> None:
    prepared = prepare(example_credit_note())
    assert "This credit note corrects invoice" in prepared.html
    assert "WSIS-2024-0001" in prepared.html
    assert QRBILL_ASSET not in prepared.generated
    assert "Payment instructions" not in prepared.html


def test_invoice_without_bank_account_raises_missing_iban() -> None:
    invoice = example_invoice()
    issuer = attrs.evolve(invoice.issuer, bank_account=None)
    with pytest.raises(MissingIban) as info:
        prepare(attrs.evolve(invoice, issuer=issuer))
    assert info.value.number == "WSIS-2024-0001"


def test_user_template_directory_overrides_ours(tmp_path: Path) -> None:
    (tmp_path / "letter.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>Custom {{ doc.number }}</p>{% endblock %}',
        encoding="utf-8",
    )
    html = prepare(example_letter(), template_dir=tmp_path).html
    assert "<p>Custom WSIS-ACK-2024-0007</p>" in html
    assert "Yours sincerely" not in html


def test_template_using_a_missing_variable_raises_a_specific_error(tmp_path: Path) -> None:
    (tmp_path / "letter.html").write_text("<p>{{ no_such_variable }}</p>", encoding="utf-8")
    with pytest.raises(TemplateVariableMissing) as info:
        prepare(example_letter(), template_dir=tmp_path)
    assert info.value.template == "letter.html"
    assert "no_such_variable" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_same_snapshot_gives_the_same_digest() -> None:
    assert prepare(example_invoice()).digest == prepare(example_invoice()).digest
    assert prepare(example_invoice()).digest != prepare(example_invoice(language="fr")).digest


def test_an_invoice_after_payments_lists_them_and_asks_for_the_amount_due() -> None:
    html = prepare(example_partly_paid_invoice(language="fr", payments=2)).html
    rows = [line for line in html.splitlines() if 'class="received"' in line]
    assert len(rows) == 2
    assert "Déjà reçu le 5 mars 2024" in rows[0]
    assert "-30\u202f000,00\xa0CHF" in rows[0]
    assert "-5\u202f000,50\xa0CHF" in rows[1]
    due = next(line for line in html.splitlines() if 'class="due"' in line)
    assert "Montant dû (CHF)" in due
    assert "20\u202f000,50\xa0CHF" in due
    box = html[html.index('class="payment-box"') :]
    assert "<th>Montant dû</th><td>20\u202f000,50\xa0CHF</td>" in box
    assert "55\u202f001,00" not in box


def test_documents_of_format_2_get_none_of_the_new_markup() -> None:
    for document in (example_invoice(), example_credit_note(), example_letter()):
        html = prepare(document).html
        for marker in ('class="received"', 'class="due"', 'class="subtitle"', "Amount due"):
            assert marker not in html
    letter = prepare(example_letter()).html
    assert "Remaining balance of the pledge" in letter
    assert "Amount credited by the bank" not in letter


@pytest.mark.parametrize(
    ("kind", "subtitle", "label"),
    [
        ("correction", "Correction of an invoice", "Corrected invoice"),
        ("reduction", "Reduction of the amount pledged", "Credited invoice"),
    ],
)
def test_a_credit_note_of_format_3_says_what_it_does(kind: str, subtitle: str, label: str) -> None:
    html = prepare(example_credit_note(kind=kind)).html
    assert f'<p class="subtitle">{subtitle}</p>' in html
    assert f"<th>{label}</th>" in html
    assert "This credit note corrects invoice \u2068WSIS-2024-0001\u2069." not in html


def test_a_letter_without_invoice_reference_names_the_bank_reference() -> None:
    # Format 3 allows a letter with no RF reference even without the payment's other facts.
    letter = attrs.evolve(
        example_letter(), payment_reference=None, bank_reference="ZKB-20240328-0042"
    )
    html = prepare(letter).html
    assert "<th>Bank reference</th>" in html
    assert "ZKB-20240328-0042" in html
    assert "<th>Payment reference</th>" not in html


def test_a_payment_letter_shows_charges_and_credit_only_when_there_are_some() -> None:
    exact = prepare(example_payment_letter("exact")).html
    assert "Bank charges deducted" not in exact
    assert "Kept as credit in your favour" not in exact
    overpaid = prepare(example_payment_letter("overpayment")).html
    assert "<th>Kept as credit in your favour</th><td>CHF4,999.00</td>" in overpaid
