"""Turning a snapshot into the values a template prints: formatted, translated, never HTML.

Everything here returns plain strings and numbers; escaping is Jinja2's job. Amounts are
formatted by the money kernel for the document's locale, dates by Babel.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wsis_funding import i18n
from wsis_funding.documents.model import (
    CreditKind,
    InvoiceSnapshot,
    Issuer,
    LetterSnapshot,
    PostalAddress,
    ReminderSnapshot,
    Snapshot,
)
from wsis_funding.money import Money
from wsis_funding.rendering.errors import MissingIban
from wsis_funding.rendering.fetcher import asset_url
from wsis_funding.rendering.qrbill import qrbill_due
from wsis_funding.rendering.templating import isolate

__all__ = [
    "CREDIT_NOTES",
    "CREDIT_SUBTITLES",
    "PYTHON_MESSAGES",
    "VAT_NOTE",
    "address_lines",
    "credit_note_text",
    "credit_subtitle",
    "invoice_context",
    "letter_context",
    "reminder_context",
    "timestamp",
    "title",
]

VAT_NOTE = "ITU is an international organisation, not subject to VAT."
"""The msgid of the default VAT note; issuers may override it per language."""

CREDIT_SUBTITLES = {
    CreditKind.CORRECTION: "Correction of an invoice",
    CreditKind.REDUCTION: "Reduction of the amount pledged",
}
"""The msgids of a credit note's subtitle, by kind (format 3 on)."""

CREDIT_NOTES = {
    CreditKind.CORRECTION: (
        "This credit note corrects invoice %(number)s; the amount pledged is unchanged."
    ),
    CreditKind.REDUCTION: (
        "This credit note refers to invoice %(number)s and reduces the amount pledged by "
        "%(amount)s."
    ),
}
"""The msgids of the sentence saying what a credit note does, by kind (format 3 on).

Printed in the notes of the PDF and as a note (BT-22) of the e-invoice.
"""

_TITLES = {
    "invoice": "Invoice",
    "credit_note": "Credit note",
    "letter": "Acknowledgement of receipt",
    "reminder": "Payment reminder",
}

PYTHON_MESSAGES = frozenset(
    {*_TITLES.values(), VAT_NOTE, *CREDIT_SUBTITLES.values(), *CREDIT_NOTES.values()}
)
"""The msgids translated from Python rather than written in a template."""


def address_lines(address: PostalAddress) -> list[str]:
    """Return the printed lines of a structured address (street line, town line, country)."""
    street = " ".join(p for p in (address.street, address.building_number) if p)
    lines = [street] if street else []
    lines.append(f"{address.postcode} {address.town}")
    lines.append(address.country)
    return lines


def title(document: Snapshot) -> str:
    """Return the translated title of the document ("Facture", "إشعار دائن", ...)."""
    key = "letter" if isinstance(document, LetterSnapshot) else document.kind
    return str(i18n.translations(document.language).gettext(_TITLES[key]))


def timestamp(document: Snapshot) -> str:
    """Return the document's fixed creation time: midnight UTC of its issue date (W3C format)."""
    return f"{document.issued_on.isoformat()}T00:00:00Z"


def vat_note(issuer: Issuer, language: str) -> str:
    """Return the issuer's VAT note override for ``language``, or the catalog translation."""
    override = issuer.vat_note_override(language)
    if override is not None:
        return override
    return str(i18n.translations(language).gettext(VAT_NOTE))


def credit_subtitle(doc: InvoiceSnapshot) -> str | None:
    """Return the translated subtitle of a credit note of format 3 on, else None."""
    if doc.credit_kind is None:
        return None
    return str(i18n.translations(doc.language).gettext(CREDIT_SUBTITLES[doc.credit_kind]))


def credit_note_text(doc: InvoiceSnapshot, *, html: bool) -> str | None:
    """Return the translated sentence saying what a credit note does, or None before format 3.

    A correction leaves the amount pledged unchanged; a reduction reduces it by the credit
    note's total. With ``html``, the invoice number is wrapped in bidi isolates for the page.
    """
    if doc.credit_kind is None:
        return None
    template = i18n.translations(doc.language).gettext(CREDIT_NOTES[doc.credit_kind])
    number = str(doc.refers_to)
    return str(template) % {
        "number": isolate(number) if html else number,
        "amount": i18n.format_amount(doc.total, doc.language),
    }


def _shown(m: Money | None, language: str) -> str | None:
    """Format an amount that is printed only when above zero."""
    if m is None or m.amount <= 0:
        return None
    return i18n.format_amount(m, language)


def _grouped(reference: str | None) -> str:
    if reference is None:
        return ""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def _common(document: Snapshot) -> dict[str, Any]:
    issuer = document.issuer
    return {
        "doc": document,
        "issuer": issuer,
        "partner": document.partner,
        "language": document.language,
        "lang_tag": i18n.lang_tag(document.language),
        "direction": i18n.direction(document.language),
        "title": title(document),
        "timestamp": timestamp(document),
        "issued_on": i18n.format_day(document.issued_on, document.language),
        "issuer_address_line": ", ".join(address_lines(issuer.address)),
        "partner_address_lines": address_lines(document.partner.address),
        "reference_grouped": _grouped(document.payment_reference),
        "has_logo": issuer.logo is not None,
        "asset_url": asset_url,
    }


def invoice_context(doc: InvoiceSnapshot) -> dict[str, Any]:
    """Return the template variables for an invoice or credit note.

    Raises :class:`MissingIban` for an invoice whose issuer has no bank account.
    """
    lang = doc.language
    qrbill = qrbill_due(doc)
    conversion = None
    if doc.base_equivalent is not None and doc.rate is not None:
        conversion = {
            "amount": i18n.format_amount(doc.base_equivalent, lang),
            "rate": i18n.format_number(doc.rate.rate, lang),
            "date": i18n.format_day(doc.rate.effective, lang),
            "source": doc.rate.source,
        }
    return {
        **_common(doc),
        "due_on": i18n.format_day(doc.due_on, lang) if doc.due_on else None,
        "lines": [
            {
                "description": line.description,
                "quantity": i18n.format_number(line.quantity, lang),
                "unit_price": i18n.format_amount(line.unit_price, lang),
                "amount": i18n.format_amount(line.amount, lang),
            }
            for line in doc.lines
        ],
        "total": i18n.format_amount(doc.total, lang),
        "received": [
            {
                "date": i18n.format_day(paid.received_on, lang),
                "amount": i18n.format_amount(-paid.amount, lang),
            }
            for paid in doc.received
        ],
        "amount_due": i18n.format_amount(doc.amount_due, lang),
        "credit_kind": doc.credit_kind.value if doc.credit_kind else None,
        "credit_subtitle": credit_subtitle(doc),
        "credit_note": credit_note_text(doc, html=True),
        "conversion": conversion,
        "vat_note": vat_note(doc.issuer, lang),
        "bank": doc.issuer.bank_account,
        "qrbill": qrbill,
    }


def letter_context(doc: LetterSnapshot) -> dict[str, Any]:
    """Return the template variables for an acknowledgement letter.

    ``payment`` holds the facts of the payment that letters of format 3 on state (what the
    bank credited, charges, what was kept as credit, the invoice paid or the bank reference);
    it is None for older letters, which print as they always did.
    """
    lang = doc.language
    payment = None
    if doc.amount_credited is not None:
        payment = {
            "credited": i18n.format_amount(doc.amount_credited, lang),
            "charges": _shown(doc.bank_charges, lang),
            "kept": _shown(doc.kept_as_credit, lang),
            "paid_invoice": doc.paid_invoice,
            "bank_reference": doc.bank_reference,
        }
    return {
        **_common(doc),
        "amount_received": i18n.format_amount(doc.amount_received, lang),
        "received_on": i18n.format_day(doc.received_on, lang),
        "remaining_balance": i18n.format_amount(doc.remaining_balance, lang),
        "benefits": list(doc.benefits),
        "payment": payment,
    }


def reminder_context(doc: ReminderSnapshot) -> dict[str, Any]:
    """Return the template variables for a reminder letter.

    Each item's days overdue are counted from its invoice's due date to the reminder's date.
    Raises :class:`MissingIban` when the issuer has no bank account to be paid into.
    """
    lang = doc.language
    if doc.issuer.bank_account is None:
        raise MissingIban(doc.number, what="reminder")
    return {
        **_common(doc),
        "items": [
            {
                "invoice": item.invoice,
                "seq": item.instalment,
                "count": item.instalments,
                "due_on": i18n.format_day(item.due_on, lang),
                "days": i18n.format_number(Decimal((doc.issued_on - item.due_on).days), lang),
                "open": i18n.format_amount(item.open, lang),
            }
            for item in doc.items
        ],
        "total": i18n.format_amount(doc.total, lang),
        "invoices": [
            {"number": number, "reference": _grouped(reference)}
            for number, reference in doc.invoices
        ],
        "bank": doc.issuer.bank_account,
    }
