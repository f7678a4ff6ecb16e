"""The documents' domain: snapshots, numbers, creditor references, building them, issuer settings.

Invoices, credit notes, acknowledgement letters and reminders are frozen snapshots of everything
they print (:mod:`.model`), stored as versioned canonical JSON (:mod:`.codec`), numbered per series
and year (:mod:`.numbering`), paid with an ISO 11649 reference (:mod:`.reference`) and built
from the books' values by pure functions (:mod:`.building`). Nothing here loads WeasyPrint or
Jinja2: :mod:`wsis_funding.rendering` turns a snapshot into a PDF.
"""

from wsis_funding.documents.errors import (
    InvalidBankAccount,
    InvalidCreditorReference,
    InvalidIssuerConfig,
    InvalidSnapshot,
    IssuerNotConfigured,
    NothingToAcknowledge,
    NothingToCredit,
    NothingToInvoice,
    NothingToRemind,
    UnknownDocument,
)
from wsis_funding.documents.issuer import load_issuer
from wsis_funding.documents.model import (
    LANGUAGES,
    BankAccount,
    DocumentLine,
    InvoiceSnapshot,
    IssuedDocument,
    Issuer,
    LetterSnapshot,
    Logo,
    OverdueItem,
    Party,
    PostalAddress,
    ReminderSnapshot,
    Snapshot,
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
    "IssuedDocument",
    "Issuer",
    "IssuerNotConfigured",
    "LetterSnapshot",
    "Logo",
    "NothingToAcknowledge",
    "NothingToCredit",
    "NothingToInvoice",
    "NothingToRemind",
    "OverdueItem",
    "Party",
    "PostalAddress",
    "ReminderSnapshot",
    "Snapshot",
    "UnknownDocument",
    "creditor_reference",
    "is_valid_creditor_reference",
    "load_issuer",
]
