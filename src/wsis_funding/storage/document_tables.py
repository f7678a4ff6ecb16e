"""SQLAlchemy Core tables of issued documents and their number counters.

Issued documents (invoices, credit notes, acknowledgement letters) are never updated or
deleted: the migration installs triggers that refuse it, as for the journal. The snapshot is
stored as canonical JSON (see :mod:`wsis_funding.documents.codec`) next to the columns that
queries need. The tables live on the ledger's MetaData so one migration history covers both.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from wsis_funding.storage.tables import metadata

__all__ = ["document_counters", "documents"]

document_counters = Table(
    "document_counters",
    metadata,
    Column("series", String(40), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", Integer, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("series", String(40), nullable=False),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("number", String(60), nullable=False, unique=True),
    Column("pledge_id", ForeignKey("pledges.id"), nullable=False, index=True),
    Column("instalment_id", ForeignKey("instalments.id")),
    Column("payment_id", ForeignKey("payments.id")),
    Column("refers_to_id", ForeignKey("documents.id")),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("payment_reference", String(40), unique=True),
    Column("language", String(2), nullable=False),
    Column("snapshot", Text, nullable=False),
    UniqueConstraint("series", "year", "seq"),
    CheckConstraint("kind IN ('invoice', 'credit_note', 'letter')", name="kind"),
    CheckConstraint("seq > 0", name="seq_positive"),
    CheckConstraint("total_minor >= 0", name="total_not_negative"),
)
