"""Tables of imported bank statements (migration 0009) and of partners' payers."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
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
    "bank_entries",
    "bank_imports",
    "bank_line_sightings",
    "bank_lines",
    "bank_statements",
    "partner_payers",
]

# Bank statements (migration 0009). A file imported is a row of bank_imports; each statement
# (camt.053 Stmt) or notification (camt.054 Ntfctn) in it a row of bank_statements, with the
# balances and totals the bank stated and what was counted. Each booked entry is stored once
# per shape with its raw XML (exclusive c14n), for the audit trail; its lines (the credits,
# and debits reversing credits) are stored once per identity and carry what became of them.
# A line seen again in a later statement is a sighting, so that every statement's
# reconciliation lists all of its lines.
bank_imports = Table(
    "bank_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("message", String(8), nullable=False),
    Column("version", String(6), nullable=False),
    Column("message_id", Text, nullable=False),
)

bank_statements = Table(
    "bank_statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", ForeignKey("bank_imports.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("statement_id", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("currency", CUR, nullable=False),
    Column("electronic_sequence", Text),
    Column("opening_minor", BigInteger),
    Column("opening_date", Date),
    Column("closing_minor", BigInteger),
    Column("closing_date", Date),
    # The bank's own figures (TxsSummry), as the bank wrote them; NULL when it gave none.
    Column("bank_credit_count", Text),
    Column("bank_credit_sum", Text),
    Column("bank_debit_count", Text),
    Column("bank_debit_sum", Text),
    Column("bank_entry_count", Text),
    Column("bank_entry_sum", Text),
    Column("bank_net", Text),
    # What the file held, counted on reading (filled when the statement's last entry is read).
    Column("credit_count", Integer, nullable=False),
    Column("credit_minor", BigInteger, nullable=False),
    Column("debit_count", Integer, nullable=False),
    Column("debit_minor", BigInteger, nullable=False),
    Column("unbooked_count", Integer, nullable=False),
    Column("charges_minor", BigInteger, nullable=False),
    Column("discrepancies", Text, nullable=False),
    UniqueConstraint("import_id", "position"),
)

bank_entries = Table(
    "bank_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    # SHA-256 of the entry's identity (direction, account, booking date, reference, amount,
    # occurrence). 'single': one payment; 'summary': a batch booked as one entry without its
    # transactions; 'batch': a batch with its transactions. A camt.054 detailing a camt.053
    # summary has the same key in the other shape.
    Column("entry_key", String(64), nullable=False),
    Column("shape", String(10), nullable=False),
    Column("statement_id", ForeignKey("bank_statements.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("credit", Boolean, nullable=False),
    Column("reversal", Boolean, nullable=False),
    Column("currency", CUR, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("charges_minor", BigInteger, nullable=False),
    Column("booking_date", Date),
    Column("value_date", Date),
    Column("reference", Text, nullable=False),
    Column("transaction_count", Integer, nullable=False),
    Column("declared_batch_size", BigInteger),
    Column("raw_xml", LargeBinary, nullable=False),
    UniqueConstraint("entry_key", "shape"),
    CheckConstraint("shape IN ('single', 'summary', 'batch')", name="shape"),
)

bank_lines = Table(
    "bank_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    # SHA-256 of the line's identity (direction, account, booking date, entry reference,
    # position in the entry, amount, occurrence): the same line in an overlapping file has
    # the same key. It is also the idempotency key of the payment the line became.
    Column("line_key", String(64), nullable=False, unique=True),
    Column("entry_id", ForeignKey("bank_entries.id"), nullable=False, index=True),
    Column("statement_id", ForeignKey("bank_statements.id"), nullable=False, index=True),
    Column("transaction_position", Integer, nullable=False),
    # 'credit': money in; 'reversal': a debit taking back an earlier credit.
    Column("kind", String(10), nullable=False),
    Column("currency", CUR, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("charges_minor", BigInteger, nullable=False),
    Column("instructed_currency", CUR),
    Column("instructed_minor", BigInteger),
    Column("exchange_rate", String(60)),
    Column("rf", String(25)),
    Column("qr", String(27)),
    Column("end_to_end_id", Text),
    Column("servicer_reference", Text),
    Column("remittance", Text),
    Column("debtor_name", Text),
    Column("debtor_account", Text),
    Column("ultimate_debtor_name", Text),
    # 'matched' (by a rule), 'queued' (waiting for a person), 'refused' (a rule matched but
    # the payment could not be recorded), 'assigned' (by a person), 'dismissed' (not ours),
    # 'superseded' (a batch summary whose transactions are lines of their own).
    Column("status", String(12), nullable=False, index=True),
    Column("rule", String(20)),
    Column("reason", Text),
    Column("partner_id", ForeignKey("partners.id")),
    # The payment the line became (and through it the invoice it named).
    Column("payment_id", ForeignKey("payments.id")),
    Column("original_line_id", ForeignKey("bank_lines.id")),
    CheckConstraint("kind IN ('credit', 'reversal')", name="kind"),
    CheckConstraint(
        "status IN ('matched', 'queued', 'refused', 'assigned', 'dismissed', 'superseded')",
        name="status",
    ),
)

bank_line_sightings = Table(
    "bank_line_sightings",
    metadata,
    Column("statement_id", ForeignKey("bank_statements.id"), primary_key=True),
    Column("line_id", ForeignKey("bank_lines.id"), primary_key=True, index=True),
    Column("entry_position", Integer, nullable=False),
)

partner_payers = Table(
    "partner_payers",
    metadata,
    # Who pays for a partner: an account (IBAN, compact upper case) or an alias (a name, such
    # as a subsidiary or an agency, compared by its identity key). One payer, one partner.
    Column("id", Integer, primary_key=True),
    Column("partner_id", ForeignKey("partners.id"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("value", Text, nullable=False),
    Column("value_key", Text, nullable=False),
    Column("line_id", ForeignKey("bank_lines.id")),
    UniqueConstraint("kind", "value_key"),
    CheckConstraint("kind IN ('iban', 'alias')", name="kind"),
)
