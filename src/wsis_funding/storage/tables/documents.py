"""Tables of issued documents: counters, documents, what invoices cover and credit, assets."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from wsis_funding.storage.tables.base import CUR, metadata

__all__ = [
    "document_assets",
    "document_counters",
    "documents",
    "instalment_reductions",
    "invoice_coverage",
]

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
    Column("currency", CUR, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("payment_reference", String(40), unique=True),
    Column("language", String(2), nullable=False),
    Column("snapshot", Text, nullable=False),
    # A credit note's kind: 'correction' or 'reduction' (migration 0006; NULL before).
    Column("credit_kind", String(20)),
    UniqueConstraint("series", "year", "seq"),
    # 'reminder' from migration 0010 on.
    CheckConstraint("kind IN ('invoice', 'credit_note', 'letter', 'reminder')", name="kind"),
    CheckConstraint("seq > 0", name="seq_positive"),
    CheckConstraint("total_minor >= 0", name="total_not_negative"),
)

invoice_coverage = Table(
    "invoice_coverage",
    metadata,
    # What an invoice asked for on each instalment it covers, and what a credit note credited
    # of each (migration 0006). Never changed once written, like the documents themselves.
    Column("document_id", ForeignKey("documents.id"), primary_key=True),
    Column("instalment_id", ForeignKey("instalments.id"), primary_key=True, index=True),
    Column("amount_minor", BigInteger, nullable=False),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
)

instalment_reductions = Table(
    "instalment_reductions",
    metadata,
    # An instalment reduced by a reduction credit note, and when, so that reports as of an
    # earlier date see the amount it had then (migration 0006).
    Column("id", Integer, primary_key=True),
    Column("instalment_id", ForeignKey("instalments.id"), nullable=False, index=True),
    Column("reduced_on", Date, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
)

document_assets = Table(
    "document_assets",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(100), nullable=False),
    Column("data", LargeBinary, nullable=False),
)
