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

if TYPE_CHECKING:
    pass


class WsisFundingError(Exception):
    """Root of every error that wsis-funding raises on purpose."""


_HOMES = {
    "wsis_funding.money.errors": (
        "ConflictingRate",
        "CurrencyMismatch",
        "InvalidAmount",
        "MissingRate",
        "UnknownCurrency",
        "UnknownLocale",
    ),
    "wsis_funding.tiers.errors": ("CapacityExceeded", "InvalidSchedule", "UnknownPackage"),
    "wsis_funding.ledger.errors": (
        "AlreadyExists",
        "IdempotencyConflict",
        "InstalmentsDoNotSum",
        "InvalidField",
        "InvalidTransition",
        "NoCreditToApply",
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
        "UnknownDocument",
    ),
    "wsis_funding.rendering.errors": ("MissingGlyphs", "MissingIban", "TemplateVariableMissing"),
    "wsis_funding.services.errors": ("TransactionInProgress",),
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
