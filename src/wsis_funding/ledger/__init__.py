"""The books: frozen domain types, SQLAlchemy Core tables, repositories and posting rules.

Only :mod:`wsis_funding.ledger.model` and :mod:`wsis_funding.ledger.accounts` are imported
here; the adapters (tables, repository, schema, journal) import SQLAlchemy on first use.
"""

from wsis_funding.ledger import accounts
from wsis_funding.ledger.model import (
    Address,
    Edition,
    Entry,
    Instalment,
    Language,
    Partner,
    Payment,
    Pledge,
    PledgeStatus,
    Posting,
    StakeholderType,
)

__all__ = [
    "Address",
    "Edition",
    "Entry",
    "Instalment",
    "Language",
    "Partner",
    "Payment",
    "Pledge",
    "PledgeStatus",
    "Posting",
    "StakeholderType",
    "accounts",
]
