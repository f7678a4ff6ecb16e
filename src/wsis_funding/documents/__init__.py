"""Invoices, credit notes and acknowledgement letters: snapshots and their rendering.

The snapshot types, references and issuer settings are importable from here without loading
WeasyPrint or Jinja2; rendering lives in :mod:`wsis_funding.rendering.render`
(``render_pdf(document) -> bytes``).
"""

from wsis_funding.documents.errors import (
    InvalidBankAccount,
    InvalidCreditorReference,
    InvalidIssuerConfig,
    InvalidSnapshot,
    MissingGlyphs,
    MissingIban,
    TemplateVariableMissing,
    UnsupportedLanguage,
)
from wsis_funding.documents.issuer import load_issuer
from wsis_funding.documents.model import (
    LANGUAGES,
    BankAccount,
    DocumentLine,
    InvoiceSnapshot,
    Issuer,
    LetterSnapshot,
    Party,
    PostalAddress,
)
from wsis_funding.documents.reference import creditor_reference, is_valid_creditor_reference

__all__ = [
    "LANGUAGES",
    "BankAccount",
    "DocumentLine",
    "InvalidBankAccount",
    "InvalidCreditorReference",
    "InvalidIssuerConfig",
    "InvalidSnapshot",
    "InvoiceSnapshot",
    "Issuer",
    "LetterSnapshot",
    "MissingGlyphs",
    "MissingIban",
    "Party",
    "PostalAddress",
    "TemplateVariableMissing",
    "UnsupportedLanguage",
    "creditor_reference",
    "is_valid_creditor_reference",
    "load_issuer",
]
