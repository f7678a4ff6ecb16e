"""Example issuer settings and document snapshots (fictitious partners and amounts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Final, Literal

import attrs

from wsis_funding.documents.building import credit_description
from wsis_funding.documents.issuer import load_issuer
from wsis_funding.documents.model import (
    CreditKind,
    DocumentLine,
    InvoiceSnapshot,
    Issuer,
    LetterSnapshot,
    OverdueItem,
    Party,
    PostalAddress,
    ReceivedPayment,
    ReminderSnapshot,
)
from wsis_funding.documents.reference import creditor_reference
from wsis_funding.money import RecordedRate, money, zero

__all__ = [
    "EXAMPLE_ISSUER",
    "PAYMENT_LETTER_CASES",
    "PaymentLetterCase",
    "example_credit_note",
    "example_invoice",
    "example_issuer",
    "example_letter",
    "example_partly_paid_invoice",
    "example_party",
    "example_payment_letter",
    "example_reminder",
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


def example_partly_paid_invoice(
    *, language: str = "en", currency: str = "CHF", payments: int = 1
) -> InvoiceSnapshot:
    """Return the two-line invoice (55,001.00) as issued after money was already received.

    WSIS-2024-0003, issued on 15 March 2024, lists 30,000.00 received on 5 March 2024 and,
    with ``payments=2``, 5,000.50 received on 12 March 2024; it asks for the rest (25,001.00
    or 20,000.50). A USD invoice also shows the CHF equivalent of the amount due at 0.8812.
    """
    received = (
        ReceivedPayment(received_on=dt.date(2024, 3, 5), amount=money("30000.00", currency)),
        ReceivedPayment(received_on=dt.date(2024, 3, 12), amount=money("5000.50", currency)),
    )[:payments]
    invoice = example_invoice(language=language, currency=currency, number="WSIS-2024-0003")
    due = invoice.total
    for paid in received:
        due = due - paid.amount
    rate = None
    if currency != "CHF":
        rate = RecordedRate(
            rate=Decimal("0.8812"),
            effective=dt.date(2024, 3, 1),
            source="UN operational rate of exchange (illustrative)",
        )
    return attrs.evolve(
        invoice,
        issued_on=dt.date(2024, 3, 15),
        due_on=dt.date(2024, 4, 15),
        received=received,
        base_equivalent=rate.apply(due, "CHF") if rate else None,
        rate=rate,
    )


def example_credit_note(
    invoice: InvoiceSnapshot | None = None, *, kind: CreditKind | str | None = None
) -> InvoiceSnapshot:
    """Return a credit note WSIS-CN-2024-0001 on ``invoice`` (the example invoice by default).

    Without ``kind``, a credit note as issued before format 3: it credits the booth line and
    says neither correction nor reduction. A ``"correction"`` cancels the whole invoice (sent
    to the wrong address); a ``"reduction"`` credits the booth line (an agreed discount). The
    lines are worded in the invoice's language as the books word them.
    """
    invoice = invoice or example_invoice()
    credited = invoice.lines[-1:]
    reason = None
    if kind is not None:
        kind = CreditKind(kind)
        if kind is CreditKind.CORRECTION:
            credited, reason = invoice.lines, "Wrong address"
        else:
            reason = "Agreed discount"
    lines = tuple(
        line
        if kind is None
        else attrs.evolve(
            line,
            description=credit_description(
                invoice.number,
                line.description,
                invoice.language,
                kind=kind,
                cancels=kind is CreditKind.CORRECTION,
                reason=reason,
            ),
        )
        for line in credited
    )
    total = zero(invoice.currency)
    for line in lines:
        total = total + line.amount
    return attrs.evolve(
        invoice,
        kind="credit_note",
        number="WSIS-CN-2024-0001",
        issued_on=dt.date(2024, 3, 15),
        due_on=None,
        lines=lines,
        total=total,
        received=(),
        payment_reference=creditor_reference("WSIS-CN-2024-0001"),
        refers_to=invoice.number,
        credit_kind=kind,
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


PaymentLetterCase = Literal["exact", "charges", "overpayment", "cross_currency", "no_invoice"]
"""The payments :func:`example_payment_letter` acknowledges."""

# Per case: credited, charges (payment currency), settled, kept as credit, balance after
# (pledge currency, CHF), and the invoice paid. The pledge is CHF 55,001.00.
_PAYMENTS: Final[dict[PaymentLetterCase, tuple[str, str, str, str, str, str, str | None]]] = {
    "exact": ("CHF", "55001.00", "0.00", "55001.00", "0.00", "0.00", "WSIS-2024-0001"),
    "charges": ("CHF", "29975.00", "25.00", "30000.00", "0.00", "25001.00", "WSIS-2024-0001"),
    "overpayment": ("CHF", "60000.00", "0.00", "55001.00", "4999.00", "0.00", "WSIS-2024-0001"),
    "cross_currency": ("EUR", "26190.00", "10.00", "25001.00", "0.00", "0.00", "WSIS-2024-0003"),
    "no_invoice": ("CHF", "10000.00", "0.00", "10000.00", "0.00", "45001.00", None),
}
PAYMENT_LETTER_CASES: Final = tuple(_PAYMENTS)
"""The cases of :func:`example_payment_letter`, in order."""


def example_payment_letter(
    case: PaymentLetterCase, *, language: str = "en", partner: Party | None = None
) -> LetterSnapshot:
    """Return a letter (format 3) stating the facts of one payment on a CHF 55,001.00 pledge.

    Received on 28 March 2024, acknowledged on 2 April 2024:

    - ``exact``: CHF 55,001.00 credited, paying invoice WSIS-2024-0001 in full;
    - ``charges``: CHF 29,975.00 credited after CHF 25.00 of bank charges, settling 30,000.00
      of invoice WSIS-2024-0001 and leaving 25,001.00;
    - ``overpayment``: CHF 60,000.00 credited for invoice WSIS-2024-0001 (55,001.00); the
      4,999.00 over is kept as the partner's credit;
    - ``cross_currency``: EUR 26,190.00 credited after EUR 10.00 of charges, instructed to
      settle CHF 25,001.00, the amount due of invoice WSIS-2024-0003;
    - ``no_invoice``: CHF 10,000.00 credited quoting no invoice; the bank reference is named.
    """
    currency, credited, charges, settled, kept, balance, invoice = _PAYMENTS[case]
    return LetterSnapshot(
        number="WSIS-ACK-2024-0008",
        issued_on=dt.date(2024, 4, 2),
        language=language,
        issuer=example_issuer(),
        partner=partner or example_party(),
        edition_code="WSIS2024",
        edition_title="WSIS+20 Forum High-Level Event 2024",
        amount_received=money(settled, "CHF"),
        received_on=dt.date(2024, 3, 28),
        remaining_balance=money(balance, "CHF"),
        recognition="Strategic Partner Gold",
        benefits=("Logo on the WSIS Forum website", "Two VIP passes to the opening ceremony"),
        payment_reference=creditor_reference(invoice) if invoice else None,
        amount_credited=money(credited, currency),
        bank_charges=money(charges, currency),
        kept_as_credit=money(kept, currency),
        paid_invoice=invoice,
        bank_reference="ZKB-20240328-0042",
    )


def example_reminder(*, language: str = "en", partner: Party | None = None) -> ReminderSnapshot:
    """Return a reminder of 15 April 2024: CHF 45,001.00 overdue on two invoices.

    Invoice WSIS-2024-0001 (1 February, due 2 March) still asks for CHF 20,000.00 of
    instalment 1 of 2; invoice WSIS-2024-0002 (1 March, due 31 March) for CHF 25,001.00 of
    instalment 2 of 2.
    """
    items = (
        OverdueItem(
            invoice="WSIS-2024-0001",
            invoice_issued_on=dt.date(2024, 2, 1),
            due_on=dt.date(2024, 3, 2),
            payment_reference=creditor_reference("WSIS-2024-0001"),
            instalment=1,
            instalments=2,
            open=money("20000.00", "CHF"),
        ),
        OverdueItem(
            invoice="WSIS-2024-0002",
            invoice_issued_on=dt.date(2024, 3, 1),
            due_on=dt.date(2024, 3, 31),
            payment_reference=creditor_reference("WSIS-2024-0002"),
            instalment=2,
            instalments=2,
            open=money("25001.00", "CHF"),
        ),
    )
    return ReminderSnapshot(
        number="WSIS-REM-2024-0003",
        issued_on=dt.date(2024, 4, 15),
        language=language,
        issuer=example_issuer(),
        partner=partner or example_party(),
        edition_code="WSIS2024",
        edition_title="WSIS+20 Forum High-Level Event 2024",
        pledge_reference="PL-000001",
        items=items,
        total=money("45001.00", "CHF"),
    )
