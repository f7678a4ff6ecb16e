"""SQLAlchemy Core tables of the books and the documents, on one MetaData with a naming convention.

Money is stored as ``*_minor BIGINT`` plus ``currency CHAR(3)``; rates as exact decimal
strings. Journal rows (``journal_entries``, ``journal_postings``) are append-only: the
migration installs triggers that refuse UPDATE and DELETE. This module only declares tables;
the schema is created by the Alembic migrations in ``storage/migrations``, and a test
compares the migrated schema with these tables on both engines.

Issued documents (invoices, credit notes, acknowledgement letters, reminders) are never
updated or deleted either: triggers refuse it. Payments, settlements and accounts are frozen
too, and instalments, pledges, counters, the chain head and the fixed settings change only as
the use cases change them (migration 0008). A document's snapshot is stored as canonical JSON
(see :mod:`wsis_funding.documents.codec`) next to the columns that queries need; images a
snapshot refers to (an issuer's logo) are stored once in ``document_assets``, keyed by their
SHA-256.

The tables are declared by concern, all on one :data:`metadata`: :mod:`.base` (reference data
and the ledger), :mod:`.documents` (issued documents) and :mod:`.bank` (bank statements).
Importing this package declares them all.
"""

from __future__ import annotations

from wsis_funding.storage.tables.bank import (
    bank_entries,
    bank_imports,
    bank_line_sightings,
    bank_lines,
    bank_statements,
    partner_payers,
)
from wsis_funding.storage.tables.base import (
    account_totals,
    accounts,
    editions,
    exchange_rates,
    instalments,
    journal_chain,
    journal_entries,
    journal_postings,
    ledger_settings,
    metadata,
    partner_history,
    partners,
    payments,
    pledges,
    settlements,
)
from wsis_funding.storage.tables.documents import (
    document_assets,
    document_counters,
    documents,
    instalment_reductions,
    invoice_coverage,
)

__all__ = [
    "account_totals",
    "accounts",
    "bank_entries",
    "bank_imports",
    "bank_line_sightings",
    "bank_lines",
    "bank_statements",
    "document_assets",
    "document_counters",
    "documents",
    "editions",
    "exchange_rates",
    "instalment_reductions",
    "instalments",
    "invoice_coverage",
    "journal_chain",
    "journal_entries",
    "journal_postings",
    "ledger_settings",
    "metadata",
    "partner_history",
    "partner_payers",
    "partners",
    "payments",
    "pledges",
    "settlements",
]
