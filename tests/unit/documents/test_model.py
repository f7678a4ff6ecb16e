"""Snapshot validation: every bad input raises its own error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from wsis_funding.documents.errors import InvalidBankAccount, InvalidSnapshot
from wsis_funding.documents.model import BankAccount, DocumentLine, PostalAddress
from wsis_funding.errors import CurrencyMismatch, WsisFundingError
from wsis_funding.examples import (
    example_credit_note,
    example_invoice,
    example_letter,
    example_party,
)
from wsis_funding.i18n.errors import UnsupportedLanguage
from wsis_funding.money import RecordedRate, money


def test_example_invoice_total_is_the_sum_of_its_lines() -> None:
    invoice = example_invoice()
    assert invoice.total == money("55001.00", "CHF")
    assert invoice.currency == "CHF"


def test_lines_that_do_not_sum_to_the_total_are_refused() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        attrs.evolve(example_invoice(), total=money("55001.01", "CHF"))
    assert info.value.field == "total"
    assert "55001.00" in str(info.value)


def test_a_line_in_another_currency_is_refused() -> None:
    invoice = example_invoice()
    eur_line = DocumentLine(
        description="Booth",
        quantity=Decimal(1),
        unit_price=money("1.00", "EUR"),
        amount=money("1.00", "EUR"),
    )
    with pytest.raises(CurrencyMismatch):
        attrs.evolve(invoice, lines=(*invoice.lines, eur_line))


def test_line_unit_price_and_amount_must_share_a_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        DocumentLine(
            description="x",
            quantity=Decimal(1),
            unit_price=money("1.00", "EUR"),
            amount=money("1.00", "CHF"),
        )


def test_float_quantity_is_refused() -> None:
    with pytest.raises(TypeError):
        DocumentLine(
            description="x",
            quantity=1.0,  # type: ignore[arg-type]
            unit_price=money("1.00", "CHF"),
            amount=money("1.00", "CHF"),
        )


@pytest.mark.parametrize("language", ["de", "EN", "pt", ""])
def test_language_outside_the_six_un_languages_is_refused(language: str) -> None:
    with pytest.raises(UnsupportedLanguage) as info:
        example_invoice(language=language)
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, WsisFundingError)
    assert info.value.language == language


def test_letter_in_unsupported_language_is_refused() -> None:
    with pytest.raises(UnsupportedLanguage):
        example_letter(language="it")


def test_credit_note_must_name_the_invoice_it_corrects() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        attrs.evolve(example_credit_note(), refers_to=None)
    assert info.value.field == "refers_to"


def test_invoice_cannot_refer_to_another_invoice() -> None:
    with pytest.raises(InvalidSnapshot, match="only a credit note"):
        attrs.evolve(example_invoice(), refers_to="WSIS-2023-0001")


def test_invalid_payment_reference_is_refused() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        attrs.evolve(example_invoice(), payment_reference="RF00WSIS20240001")
    assert info.value.field == "payment_reference"


def test_due_date_before_issue_date_is_refused() -> None:
    with pytest.raises(InvalidSnapshot, match="before the issue date"):
        attrs.evolve(example_invoice(), due_on=dt.date(2024, 2, 1))


def test_conversion_fields_must_come_together() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        attrs.evolve(
            example_invoice(),
            rate=RecordedRate(rate=Decimal("0.95"), effective=dt.date(2024, 1, 1), source="UN"),
        )
    assert info.value.field == "rate"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        attrs.evolve(example_invoice(), kind="quote")  # type: ignore[arg-type]
    assert info.value.field == "kind"


def test_snapshots_are_frozen() -> None:
    invoice = example_invoice()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        invoice.number = "X"  # type: ignore[misc]


def test_iban_with_wrong_checksum_is_refused() -> None:
    with pytest.raises(InvalidBankAccount) as info:
        BankAccount(iban="CH94 0076 2011 6238 5295 7", bic="UBSWCHZH80A", holder="ITU")
    assert info.value.field == "IBAN"
    assert isinstance(info.value, ValueError)


def test_swiss_iban_of_wrong_length_is_refused() -> None:
    with pytest.raises(InvalidBankAccount):
        BankAccount(iban="CH9300762011623852957000", bic="UBSWCHZH80A", holder="ITU")


@pytest.mark.parametrize("bic", ["UBSW", "UBSWCHZH8", "1BSWCHZH80A", "UBSWCHZH80AX"])
def test_malformed_bic_is_refused(bic: str) -> None:
    with pytest.raises(InvalidBankAccount) as info:
        BankAccount(iban="CH9300762011623852957", bic=bic, holder="ITU")
    assert info.value.field == "BIC"


def test_valid_iban_is_stored_compact_and_printed_in_groups() -> None:
    account = BankAccount(iban="ch93 0076 2011 6238 5295 7", bic="ubswchzh80a", holder="ITU")
    assert account.iban == "CH9300762011623852957"
    assert account.iban_grouped == "CH93 0076 2011 6238 5295 7"
    assert account.country == "CH"
    assert account.bic == "UBSWCHZH80A"


def test_address_country_must_be_alpha_2() -> None:
    with pytest.raises(InvalidSnapshot, match="alpha-2"):
        PostalAddress(street="x", building_number="", postcode="1", town="y", country="CHE")


def test_party_needs_a_name() -> None:
    with pytest.raises(InvalidSnapshot):
        attrs.evolve(example_party(), name="  ")


def test_letter_currencies_must_agree() -> None:
    with pytest.raises(CurrencyMismatch):
        attrs.evolve(example_letter(), remaining_balance=money("1.00", "EUR"))


def test_letter_remaining_balance_cannot_be_negative() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        attrs.evolve(example_letter(), remaining_balance=money("-1.00", "CHF"))
    assert info.value.field == "remaining_balance"
