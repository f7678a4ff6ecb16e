"""Turning a snapshot into the values a template prints: formatted, translated, never HTML.

Everything here returns plain strings and numbers; escaping is Jinja2's job. Amounts are
formatted by the money kernel for the document's locale, dates by Babel.
"""

from __future__ import annotations

from typing import Any

from wsis_funding import i18n
from wsis_funding.documents.model import InvoiceSnapshot, Issuer, LetterSnapshot, PostalAddress
from wsis_funding.rendering.fetcher import asset_url
from wsis_funding.rendering.qrbill import qrbill_due

__all__ = ["VAT_NOTE", "address_lines", "invoice_context", "letter_context", "timestamp", "title"]

VAT_NOTE = "ITU is an international organisation, not subject to VAT."
"""The msgid of the default VAT note; issuers may override it per language."""

_TITLES = {
    "invoice": "Invoice",
    "credit_note": "Credit note",
    "letter": "Acknowledgement of receipt",
}


def address_lines(address: PostalAddress) -> list[str]:
    """Return the printed lines of a structured address (street line, town line, country)."""
    street = " ".join(p for p in (address.street, address.building_number) if p)
    lines = [street] if street else []
    lines.append(f"{address.postcode} {address.town}")
    lines.append(address.country)
    return lines


def title(document: InvoiceSnapshot | LetterSnapshot) -> str:
    """Return the translated title of the document ("Facture", "إشعار دائن", ...)."""
    key = "letter" if isinstance(document, LetterSnapshot) else document.kind
    return str(i18n.translations(document.language).gettext(_TITLES[key]))


def timestamp(document: InvoiceSnapshot | LetterSnapshot) -> str:
    """Return the document's fixed creation time: midnight UTC of its issue date (W3C format)."""
    return f"{document.issued_on.isoformat()}T00:00:00Z"


def vat_note(issuer: Issuer, language: str) -> str:
    """Return the issuer's VAT note override for ``language``, or the catalog translation."""
    override = issuer.vat_note_override(language)
    if override is not None:
        return override
    return str(i18n.translations(language).gettext(VAT_NOTE))


def _grouped(reference: str | None) -> str:
    if reference is None:
        return ""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def _common(document: InvoiceSnapshot | LetterSnapshot) -> dict[str, Any]:
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
        "conversion": conversion,
        "vat_note": vat_note(doc.issuer, lang),
        "bank": doc.issuer.bank_account,
        "qrbill": qrbill,
    }


def letter_context(doc: LetterSnapshot) -> dict[str, Any]:
    """Return the template variables for an acknowledgement letter."""
    lang = doc.language
    return {
        **_common(doc),
        "amount_received": i18n.format_amount(doc.amount_received, lang),
        "received_on": i18n.format_day(doc.received_on, lang),
        "remaining_balance": i18n.format_amount(doc.remaining_balance, lang),
        "benefits": list(doc.benefits),
    }
