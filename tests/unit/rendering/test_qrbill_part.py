"""When an invoice carries a Swiss QR-bill, and what goes into it."""

from __future__ import annotations

import attrs
import pytest

from wsis_funding.documents.errors import InvalidBankAccount
from wsis_funding.documents.model import BankAccount, InvoiceSnapshot
from wsis_funding.examples import (
    example_credit_note,
    example_invoice,
    example_partly_paid_invoice,
    example_party,
)
from wsis_funding.rendering.errors import MissingIban
from wsis_funding.rendering.qrbill import qrbill_due, qrbill_svg

FRENCH_ACCOUNT = BankAccount(iban="FR76 3000 6000 0112 3456 7890 189", bic="AGRIFRPP", holder="ITU")
QR_IBAN_ACCOUNT = BankAccount(iban="CH44 3199 9123 0008 8901 2", bic="UBSWCHZH80A", holder="ITU")


def with_account(invoice: InvoiceSnapshot, account: BankAccount | None) -> InvoiceSnapshot:
    return attrs.evolve(invoice, issuer=attrs.evolve(invoice.issuer, bank_account=account))


@pytest.mark.parametrize("currency", ["CHF", "EUR"])
def test_chf_and_eur_invoices_on_a_swiss_iban_carry_a_qr_bill(currency: str) -> None:
    assert qrbill_due(example_invoice(currency=currency))


@pytest.mark.parametrize("currency", ["USD", "KWD", "GBP"])
def test_other_currencies_get_bank_transfer_instructions_instead(currency: str) -> None:
    assert not qrbill_due(example_invoice(currency=currency))


def test_eur_invoice_on_a_french_iban_has_no_qr_bill() -> None:
    assert not qrbill_due(with_account(example_invoice(currency="EUR"), FRENCH_ACCOUNT))


def test_credit_note_has_no_qr_bill() -> None:
    assert not qrbill_due(example_credit_note())


def test_qr_bill_due_without_iban_raises_missing_iban() -> None:
    with pytest.raises(MissingIban):
        qrbill_due(with_account(example_invoice(), None))


def test_qr_iban_with_rf_reference_is_refused() -> None:
    with pytest.raises(InvalidBankAccount, match="QR-IBAN"):
        qrbill_svg(with_account(example_invoice(), QR_IBAN_ACCOUNT))


def test_svg_names_creditor_and_debtor() -> None:
    svg = qrbill_svg(example_invoice()).decode()
    assert "CH93 0076 2011 6238 5295 7" in svg
    assert "Acme Telecom SA" in svg
    assert "RF73 WSIS 2024 0001" in svg


def test_debtor_outside_the_qr_character_set_is_left_blank() -> None:
    partner = example_party("中国电信集团有限公司")
    svg = qrbill_svg(example_invoice(partner=partner)).decode()
    assert "中国电信" not in svg
    assert "Payable by (name/address)" in svg


@pytest.mark.parametrize(("payments", "due"), [(1, "25 001.00"), (2, "20 000.50")])
def test_the_qr_bill_asks_for_the_amount_due_not_the_total(payments: int, due: str) -> None:
    svg = qrbill_svg(example_partly_paid_invoice(payments=payments)).decode()
    assert f">{due}<" in svg  # receipt and payment part
    assert "55 001.00" not in svg
