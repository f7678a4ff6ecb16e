"""Use cases of the WSIS Fund in Trust books: open a :class:`Tracker` with :func:`open_tracker`.

Each use case is a function of a unit of work and plain values (the modules here); the
:class:`Tracker` facade exposes each as a method that runs in its own transaction, and
``tracker.transaction()`` runs several in one. Importing this package imports SQLAlchemy; the
tier logic alone lives in ``wsis_funding.tiers``.
"""

from wsis_funding.services.batch_runner import BatchItem, BatchSummary
from wsis_funding.services.documents import InvoiceBalance
from wsis_funding.services.errors import TransactionInProgress
from wsis_funding.services.journal_export import JOURNAL_COLUMNS, JournalLine
from wsis_funding.services.pledges import PledgeChange
from wsis_funding.services.queries import (
    BUCKETS,
    AccountBalance,
    AgeingLine,
    PartnerAgeing,
    PartnerStanding,
    Receivables,
)
from wsis_funding.services.revenue import RevenueLine, RevenueReport
from wsis_funding.services.spreadsheets import ImportReport
from wsis_funding.services.statement import Statement, StatementLine, StatementSummary
from wsis_funding.services.tracker import Books, Tracker, Transaction, open_tracker

__all__ = [
    "BUCKETS",
    "JOURNAL_COLUMNS",
    "AccountBalance",
    "AgeingLine",
    "BatchItem",
    "BatchSummary",
    "Books",
    "ImportReport",
    "InvoiceBalance",
    "JournalLine",
    "PartnerAgeing",
    "PartnerStanding",
    "PledgeChange",
    "Receivables",
    "RevenueLine",
    "RevenueReport",
    "Statement",
    "StatementLine",
    "StatementSummary",
    "Tracker",
    "Transaction",
    "TransactionInProgress",
    "open_tracker",
]
