"""Example issuer settings and document snapshots (fictitious partners and amounts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs

from wsis_funding.documents.issuer import load_issuer
from wsis_funding.documents.model import (
    DocumentLine,
    InvoiceSnapshot,
    Issuer,
    LetterSnapshot,
    Party,
    PostalAddress,
)
from wsis_funding.documents.reference import creditor_reference
from wsis_funding.money import money

__all__ = [
    "EXAMPLE_ISSUER",
    "example_credit_note",
    "example_invoice",
    "example_issuer",
    "example_letter",
    "example_party",
]


EXAMPLE_ISSUER = Path(__file__).parent / "issuer.toml"
"""An example settings file: ITU, WSIS Secretariat, Place des Nations, Geneva."""


def example_issuer() -> Issuer:
    """Return the issuer of ``examples/issuer.toml`` (ITU, WSIS Secretariat, Swiss IBAN)."""
    return load_issuer(EXAMPLE_ISSUER)


def example_party(name: str = "Acme Telecom SA") -> Party:
    """Return a Geneva partner with a structured address, tax id and e-mail."""
    return Party(
        name=name,
        address=PostalAddress(
            street="Rue du Rhône",
            building_number="12",
            postcode="1204",
            town="Genève",
            country="CH",
        ),
        tax_id="CHE-123.456.789",
        email="finance@acme.example",
    )


def example_invoice(
    *,
    language: str = "en",
    currency: str = "CHF",
    number: str = "WSIS-2024-0001",
    partner: Party | None = None,
    issuer: Issuer | None = None,
) -> InvoiceSnapshot:
    """Return a two-line invoice (CHF 55,001.00 by default) issued on 1 March 2024."""
    return InvoiceSnapshot(
        kind="invoice",
        number=number,
        issued_on=dt.date(2024, 3, 1),
        due_on=dt.date(2024, 3, 31),
        language=language,
        issuer=issuer or example_issuer(),
        partner=partner or example_party(),
        edition_code="WSIS2024",
        edition_title="WSIS+20 Forum High-Level Event 2024",
        lines=(
            DocumentLine(
                description="Strategic Partner Gold",
                quantity=Decimal(1),
                unit_price=money("50000.00", currency),
                amount=money("50000.00", currency),
            ),
            DocumentLine(
                description="Exhibition booth",
                quantity=Decimal(2),
                unit_price=money("2500.50", currency),
                amount=money("5001.00", currency),
            ),
        ),
        total=money("55001.00", currency),
        payment_reference=creditor_reference(number),
        pledge_reference="PL-2024-017",
    )


def example_credit_note(invoice: InvoiceSnapshot | None = None) -> InvoiceSnapshot:
    """Return a credit note WSIS-CN-2024-0001 cancelling the booth line of ``invoice``."""
    invoice = invoice or example_invoice()
    line = invoice.lines[-1]
    return attrs.evolve(
        invoice,
        kind="credit_note",
        number="WSIS-CN-2024-0001",
        issued_on=dt.date(2024, 3, 15),
        due_on=None,
        lines=(line,),
        total=line.amount,
        payment_reference=creditor_reference("WSIS-CN-2024-0001"),
        refers_to=invoice.number,
    )


def example_letter(*, language: str = "en", partner: Party | None = None) -> LetterSnapshot:
    """Return an acknowledgement of CHF 30,000.00 received on 28 March 2024."""
    return LetterSnapshot(
        number="WSIS-ACK-2024-0007",
        issued_on=dt.date(2024, 4, 2),
        language=language,
        issuer=example_issuer(),
        partner=partner or example_party(),
        edition_code="WSIS2024",
        edition_title="WSIS+20 Forum High-Level Event 2024",
        amount_received=money("30000.00", "CHF"),
        received_on=dt.date(2024, 3, 28),
        remaining_balance=money("25001.00", "CHF"),
        recognition="Strategic Partner Gold",
        benefits=("Logo on the WSIS Forum website", "Two VIP passes to the opening ceremony"),
        payment_reference=creditor_reference("WSIS-2024-0001"),
    )
