"""The EN 16931 (Factur-X) CrossIndustryInvoice XML and the XMP metadata packet of our PDFs.

Both are rendered from XML templates in ``templates/`` with autoescaping on. ITU is not subject
to VAT: every line and the VAT breakdown use category ``O`` with exemption code ``VATEX-EU-O``
and the document's VAT note as reason; the seller carries no VAT identifier (rule BR-O-02).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Final

from wsis_funding.documents.model import InvoiceSnapshot
from wsis_funding.money import Money, minor_unit_exponent, zero
from wsis_funding.rendering.context import credit_note_text, vat_note
from wsis_funding.rendering.templating import render_template

__all__ = ["FACTURX_FILENAME", "TYPE_CODES", "cii_xml", "xmp_packet"]

FACTURX_FILENAME: Final = "factur-x.xml"
TYPE_CODES: Final = {"invoice": "380", "credit_note": "381"}
"""UNTDID 1001 document type codes: commercial invoice and credit note."""

_FX_PROPERTIES: Final = (
    ("DocumentFileName", "The name of the embedded XML document"),
    ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE"),
    ("Version", "The actual version of the standard applying to the embedded XML document"),
    ("ConformanceLevel", "The conformance level of the embedded XML document"),
)


def _amount(m: Money) -> str:
    """Return ``m`` as a plain XML decimal with exactly the currency's minor-unit digits."""
    exponent = minor_unit_exponent(m.currency.code)
    return f"{m.amount:.{exponent}f}"


def _quantity(q: Decimal) -> str:
    return format(q.normalize(), "f") if q == q.to_integral_value() else format(q, "f")


def cii_xml(doc: InvoiceSnapshot, *, template_dir: Path | None = None) -> bytes:
    """Return the Factur-X EN 16931 CrossIndustryInvoice XML for an invoice or credit note.

    Type code 380 for an invoice, 381 for a credit note (which names the corrected invoice).
    The totals are those of the lines (BT-106, BT-109, BT-112); an invoice that lists money
    already received declares its sum as paid (BT-113), and the amount due (BT-115) is what it
    asks for: the grand total less the money received (rule BR-CO-16). A credit note of format
    3 on says in a note (BT-22) whether it is a correction or a reduction. Raises
    :class:`TemplateVariableMissing` if an overriding template uses an unknown variable.
    """
    terms = "Payable on receipt" if doc.kind == "invoice" else f"Credit for {doc.refers_to}"
    prepaid = doc.total - doc.amount_due
    context = {
        "doc": doc,
        "issuer": doc.issuer,
        "partner": doc.partner,
        "bank": doc.issuer.bank_account if doc.kind == "invoice" else None,
        "type_code": TYPE_CODES[doc.kind],
        "vat_note": vat_note(doc.issuer, doc.language),
        "terms": terms,
        "total": _amount(doc.total),
        "prepaid": _amount(prepaid) if doc.received else None,
        "due": _amount(doc.amount_due),
        "credit_note": credit_note_text(doc, html=False),
        "zero": _amount(zero(doc.currency)),
        "lines": [
            {
                "description": line.description,
                "quantity": _quantity(line.quantity),
                "unit_price": _amount(line.unit_price),
                "amount": _amount(line.amount),
            }
            for line in doc.lines
        ],
    }
    text = render_template(
        FACTURX_FILENAME, context, language=doc.language, template_dir=template_dir
    )
    return text.encode("utf-8")


def xmp_packet(
    *,
    title: str,
    author: str,
    producer: str,
    creator_tool: str,
    timestamp: str,
    document_id: str,
    facturx: bool,
    language: str,
) -> bytes:
    """Return the XMP packet declaring PDF/A-3b (and the Factur-X properties if ``facturx``).

    Title, author, producer, creator tool and dates must equal the PDF's Info dictionary;
    ``document_id`` is a UUID-shaped string derived from the content, so output is reproducible.
    """
    context = {
        "bom": "\ufeff",
        "title": title,
        "author": author,
        "producer": producer,
        "creator_tool": creator_tool,
        "timestamp": timestamp,
        "document_id": document_id,
        "facturx": facturx,
        "fx_properties": _FX_PROPERTIES,
    }
    return render_template("xmp.xml", context, language=language).encode("utf-8")
