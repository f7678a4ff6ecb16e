"""The one error hierarchy of wsis-funding.

Every error raised on purpose by the library derives from :class:`WsisFundingError`, and each
leaf also derives from the builtin exception that fits it, so that callers may catch either
``WsisFundingError`` (everything from us) or, say, ``LookupError`` (anything not found). Each
error carries the offending values as attributes and names them in its message.

The errors live beside the slice that raises them (``wsis_funding.money.errors``,
``wsis_funding.ledger.errors``, ...) and are re-exported here. The re-exports are resolved on
first use (PEP 562), so that this module, which every slice imports for the root class, never
imports a slice itself: ``import wsis_funding.errors`` stays as light as the tier logic.
Inside the library, import an error from its own slice; only :class:`WsisFundingError` is
imported from here (a unit test holds the code to that).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # explicit re-exports ("X as X") so that type checkers see each class
    from wsis_funding.cli.settings import InvalidSettings as InvalidSettings
    from wsis_funding.documents.errors import InvalidBankAccount as InvalidBankAccount
    from wsis_funding.documents.errors import InvalidCreditorReference as InvalidCreditorReference
    from wsis_funding.documents.errors import InvalidIssuerConfig as InvalidIssuerConfig
    from wsis_funding.documents.errors import InvalidSnapshot as InvalidSnapshot
    from wsis_funding.documents.errors import IssuerNotConfigured as IssuerNotConfigured
    from wsis_funding.documents.errors import NothingToAcknowledge as NothingToAcknowledge
    from wsis_funding.documents.errors import NothingToCredit as NothingToCredit
    from wsis_funding.documents.errors import NothingToInvoice as NothingToInvoice
    from wsis_funding.documents.errors import NothingToRemind as NothingToRemind
    from wsis_funding.documents.errors import UnknownDocument as UnknownDocument
    from wsis_funding.i18n.errors import UnsupportedLanguage as UnsupportedLanguage
    from wsis_funding.imports.camt.errors import MalformedStatement as MalformedStatement
    from wsis_funding.imports.camt.errors import StatementRefused as StatementRefused
    from wsis_funding.imports.camt.errors import UnbalancedBatch as UnbalancedBatch
    from wsis_funding.imports.camt.errors import UnknownBankAccount as UnknownBankAccount
    from wsis_funding.imports.camt.errors import UnsafeStatement as UnsafeStatement
    from wsis_funding.imports.camt.errors import UnsupportedStatement as UnsupportedStatement
    from wsis_funding.imports.sheets.errors import SpreadsheetRejected as SpreadsheetRejected
    from wsis_funding.ledger.errors import AlreadyExists as AlreadyExists
    from wsis_funding.ledger.errors import ControlledAccount as ControlledAccount
    from wsis_funding.ledger.errors import DatesOutOfOrder as DatesOutOfOrder
    from wsis_funding.ledger.errors import DuplicatePayment as DuplicatePayment
    from wsis_funding.ledger.errors import IdempotencyConflict as IdempotencyConflict
    from wsis_funding.ledger.errors import InstalmentsDoNotSum as InstalmentsDoNotSum
    from wsis_funding.ledger.errors import InvalidField as InvalidField
    from wsis_funding.ledger.errors import InvalidTransition as InvalidTransition
    from wsis_funding.ledger.errors import NoCreditToApply as NoCreditToApply
    from wsis_funding.ledger.errors import TierNotReached as TierNotReached
    from wsis_funding.ledger.errors import UnbalancedEntry as UnbalancedEntry
    from wsis_funding.ledger.errors import UnknownAccount as UnknownAccount
    from wsis_funding.ledger.errors import UnknownEdition as UnknownEdition
    from wsis_funding.ledger.errors import UnknownPartner as UnknownPartner
    from wsis_funding.ledger.errors import UnknownPledge as UnknownPledge
    from wsis_funding.money.errors import ConflictingRate as ConflictingRate
    from wsis_funding.money.errors import CurrencyMismatch as CurrencyMismatch
    from wsis_funding.money.errors import InvalidAmount as InvalidAmount
    from wsis_funding.money.errors import MissingRate as MissingRate
    from wsis_funding.money.errors import StaleRate as StaleRate
    from wsis_funding.money.errors import UnknownCurrency as UnknownCurrency
    from wsis_funding.money.errors import UnknownLocale as UnknownLocale
    from wsis_funding.rendering.errors import MissingGlyphs as MissingGlyphs
    from wsis_funding.rendering.errors import MissingIban as MissingIban
    from wsis_funding.rendering.errors import TemplateVariableMissing as TemplateVariableMissing
    from wsis_funding.reports.errors import UnsupportedFormat as UnsupportedFormat
    from wsis_funding.reports.table import InvalidCellType as InvalidCellType
    from wsis_funding.reports.table import InvalidTable as InvalidTable
    from wsis_funding.services.errors import BankLineClosed as BankLineClosed
    from wsis_funding.services.errors import NoBankAccount as NoBankAccount
    from wsis_funding.services.errors import TransactionInProgress as TransactionInProgress
    from wsis_funding.services.errors import UnknownBankLine as UnknownBankLine
    from wsis_funding.storage.errors import BooksNotFound as BooksNotFound
    from wsis_funding.storage.errors import BooksUnavailable as BooksUnavailable
    from wsis_funding.storage.errors import ChainKeyMismatch as ChainKeyMismatch
    from wsis_funding.storage.errors import ChainKeyRequired as ChainKeyRequired
    from wsis_funding.storage.errors import InvalidChainKey as InvalidChainKey
    from wsis_funding.storage.errors import InvalidDatabaseUrl as InvalidDatabaseUrl
    from wsis_funding.tiers.errors import CapacityExceeded as CapacityExceeded
    from wsis_funding.tiers.errors import InvalidSchedule as InvalidSchedule
    from wsis_funding.tiers.errors import UnknownPackage as UnknownPackage


class WsisFundingError(Exception):
    """Root of every error that wsis-funding raises on purpose."""


_HOMES = {
    "wsis_funding.money.errors": (
        "ConflictingRate",
        "CurrencyMismatch",
        "InvalidAmount",
        "MissingRate",
        "StaleRate",
        "UnknownCurrency",
        "UnknownLocale",
    ),
    "wsis_funding.tiers.errors": ("CapacityExceeded", "InvalidSchedule", "UnknownPackage"),
    "wsis_funding.ledger.errors": (
        "AlreadyExists",
        "ControlledAccount",
        "DatesOutOfOrder",
        "DuplicatePayment",
        "IdempotencyConflict",
        "InstalmentsDoNotSum",
        "InvalidField",
        "InvalidTransition",
        "NoCreditToApply",
        "TierNotReached",
        "UnbalancedEntry",
        "UnknownAccount",
        "UnknownEdition",
        "UnknownPartner",
        "UnknownPledge",
    ),
    "wsis_funding.i18n.errors": ("UnsupportedLanguage",),
    "wsis_funding.documents.errors": (
        "InvalidBankAccount",
        "InvalidCreditorReference",
        "InvalidIssuerConfig",
        "InvalidSnapshot",
        "IssuerNotConfigured",
        "NothingToAcknowledge",
        "NothingToCredit",
        "NothingToInvoice",
        "NothingToRemind",
        "UnknownDocument",
    ),
    "wsis_funding.rendering.errors": ("MissingGlyphs", "MissingIban", "TemplateVariableMissing"),
    "wsis_funding.imports.camt.errors": (
        "MalformedStatement",
        "StatementRefused",
        "UnbalancedBatch",
        "UnknownBankAccount",
        "UnsafeStatement",
        "UnsupportedStatement",
    ),
    "wsis_funding.imports.sheets.errors": ("SpreadsheetRejected",),
    "wsis_funding.reports.table": ("InvalidCellType", "InvalidTable"),
    "wsis_funding.reports.errors": ("UnsupportedFormat",),
    "wsis_funding.storage.errors": (
        "BooksNotFound",
        "BooksUnavailable",
        "ChainKeyMismatch",
        "ChainKeyRequired",
        "InvalidChainKey",
        "InvalidDatabaseUrl",
    ),
    "wsis_funding.services.errors": (
        "BankLineClosed",
        "NoBankAccount",
        "TransactionInProgress",
        "UnknownBankLine",
    ),
    "wsis_funding.cli.settings": ("InvalidSettings",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Return a slice's error class, importing its module on first use."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'wsis_funding.errors' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the root class and every re-exported error."""
    return sorted(__all__)


__all__ = ["WsisFundingError", *sorted(_HOME_OF)]
