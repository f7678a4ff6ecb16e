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
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
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

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# A BIGINT that is also SQLite's rowid alias when used as the primary key.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")
_CUR = String(3)

ledger_settings = Table(
    "ledger_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

partners = Table(
    "partners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("legal_name", Text, nullable=False),
    Column("short_name", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("stakeholder_type", String(40), nullable=False),
    Column("language", String(2), nullable=False),
    Column("street", Text, nullable=False),
    Column("building_number", String(40), nullable=False),
    Column("postcode", String(20), nullable=False),
    Column("town", Text, nullable=False),
    Column("address_country", String(2), nullable=False),
    Column("tax_id", String(60)),
    Column("contact_email", String(320)),
    # identity_key(short_name): ACME, acme and ＡＣＭＥ are one partner (migration 0007). A
    # duplicate kept from books written before has its key followed by " #<its id>". SQLite
    # adds a NOT NULL column only with a default: " " is no key (keys hold no whitespace).
    Column("short_name_key", Text, nullable=False, server_default=" "),
    Index("ix_partners_short_name_key", "short_name_key", unique=True),
)

# Each partner as it was before a correction (update_partner), with the correction's date
# and the fields it changed (comma-separated). Never updated or deleted: triggers refuse it.
partner_history = Table(
    "partner_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_id", ForeignKey("partners.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("replaced_on", Date, nullable=False),
    Column("changed", Text, nullable=False),
    Column("legal_name", Text, nullable=False),
    Column("short_name", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("stakeholder_type", String(40), nullable=False),
    Column("language", String(2), nullable=False),
    Column("street", Text, nullable=False),
    Column("building_number", String(40), nullable=False),
    Column("postcode", String(20), nullable=False),
    Column("town", Text, nullable=False),
    Column("address_country", String(2), nullable=False),
    Column("tax_id", String(60)),
    Column("contact_email", String(320)),
    UniqueConstraint("partner_id", "version"),
)

editions = Table(
    "editions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("base_currency", _CUR, nullable=False),
    Column("schedule_toml", Text, nullable=False),
    Column("psc_rate", String(40), nullable=False),
    Column("invoice_prefix", String(20), nullable=False),
    # identity_key(code), as for partners' short names (migration 0007).
    Column("code_key", Text, nullable=False, server_default=" "),
    # What the edition aims to raise, in minor units of its base currency (migration 0011;
    # NULL: none set). Above zero: the Edition value refuses anything else before SQL.
    Column("funding_target_minor", BigInteger),
    Index("ix_editions_code_key", "code_key", unique=True),
)

exchange_rates = Table(
    "exchange_rates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_currency", _CUR, nullable=False),
    Column("to_currency", _CUR, nullable=False),
    Column("effective", Date, nullable=False),
    Column("rate", String(60), nullable=False),
    Column("source", Text, nullable=False),
    UniqueConstraint("from_currency", "to_currency", "effective"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(200), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("partner_id", ForeignKey("partners.id")),
    Column("edition_id", ForeignKey("editions.id")),
)

account_totals = Table(
    "account_totals",
    metadata,
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
    Column("currency", _CUR, primary_key=True),
    Column("amount_minor", BigInteger, nullable=False),
    Column("base_minor", BigInteger, nullable=False),
)

pledges = Table(
    "pledges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_id", ForeignKey("partners.id"), nullable=False, index=True),
    Column("edition_id", ForeignKey("editions.id"), nullable=False, index=True),
    Column("tier", String(40)),
    Column("package", String(80)),
    Column("currency", _CUR, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("base_minor", BigInteger, nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("settled_minor", BigInteger, nullable=False),
    Column("settled_base_minor", BigInteger, nullable=False),
    Column("written_off_minor", BigInteger, nullable=False),
    Column("written_off_base_minor", BigInteger, nullable=False),
    Column("write_off_reason", Text),
    # When the pledge's state changed, for reports as of a past date (migration 0003).
    Column("posted_on", Date),
    Column("cancelled_on", Date),
    Column("written_off_on", Date),
    Column("rate", String(60)),
    Column("rate_date", Date),
    Column("rate_source", Text),
    # Why an activity package was sold below its price (migration 0006).
    Column("discount_reason", Text),
    # What was received after a write-off, reversing it (migration 0006).
    Column("recovered_minor", BigInteger, nullable=False, server_default="0"),
    Column("recovered_base_minor", BigInteger, nullable=False, server_default="0"),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("settled_minor >= 0 AND settled_minor <= amount_minor", name="settled_range"),
)

instalments = Table(
    "instalments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pledge_id", ForeignKey("pledges.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("settled_minor", BigInteger, nullable=False),
    Column("replaced", Boolean, nullable=False),
    Column("written_off", Boolean, nullable=False),
    # Added or closed (replaced, or cut to what was paid) by an amendment (migration 0003).
    Column("added_on", Date),
    Column("closed_on", Date),
    Column("amount_before_close_minor", BigInteger),
    UniqueConstraint("pledge_id", "seq"),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
)

journal_chain = Table(
    "journal_chain",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=False),
    Column("entry_date", Date, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("memo", Text, nullable=False),
    Column("refs", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

# The entries that seal documents (migration 0008): verify(expected_head=...) finds the
# newest document sealed before the head without reading the journal.
Index(
    "ix_journal_entries_document_seals",
    journal_entries.c.seq,
    sqlite_where=journal_entries.c.kind == "document",
    postgresql_where=journal_entries.c.kind == "document",
)

journal_postings = Table(
    "journal_postings",
    metadata,
    Column("entry_seq", ForeignKey("journal_entries.seq"), primary_key=True),
    Column("line_no", Integer, primary_key=True, autoincrement=False),
    Column("account_id", ForeignKey("accounts.id"), nullable=False),
    Column("currency", _CUR, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("base_minor", BigInteger, nullable=False),
    Column("rate", String(60)),
    Column("rate_date", Date),
    Column("rate_source", Text),
    Column("pledge_id", ForeignKey("pledges.id")),
    Column("entry_date", Date, nullable=False),
)

# Covering index: a balance (as of a date or not) is answered from the index alone.
Index(
    "ix_journal_postings_account_balance",
    journal_postings.c.account_id,
    journal_postings.c.currency,
    journal_postings.c.entry_date,
    journal_postings.c.amount_minor,
    journal_postings.c.base_minor,
)
Index("ix_journal_postings_pledge_id", journal_postings.c.pledge_id)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_id", ForeignKey("partners.id"), nullable=False, index=True),
    Column("currency", _CUR, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("charges_minor", BigInteger, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("reference", Text, nullable=False),
    Column("idempotency_key", String(200), unique=True),
    Column("apply_to", Text),
    Column("settled_minor", BigInteger, nullable=False),
    Column("unapplied_minor", BigInteger, nullable=False),
    # Indexed (migration 0008): verify(expected_head=...) reads the payments of new entries.
    Column("entry_seq", ForeignKey("journal_entries.seq"), nullable=False, index=True),
    # 'bank' for money received, 'credit' for unapplied credit applied later (migration 0004).
    Column("source", String(10), nullable=False, server_default="bank"),
    # The invoice the payment named, and what it settled in another currency (migration 0006):
    # the amount of the instalments' currency and how it was known ('instructed' by the bank,
    # the 'invoice' amount due, or 'converted' at the stored rates of the value date).
    # use_alter: documents refer to payments and payments to documents (a cycle to sort).
    Column("invoice_id", ForeignKey("documents.id", use_alter=True)),
    Column("target_currency", _CUR),
    Column("target_minor", BigInteger),
    Column("target_basis", String(20)),
)

settlements = Table(
    "settlements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("payment_id", ForeignKey("payments.id"), nullable=False, index=True),
    Column("instalment_id", ForeignKey("instalments.id"), nullable=False),
    Column("pledge_id", ForeignKey("pledges.id"), nullable=False, index=True),
    Column("amount_minor", BigInteger, nullable=False),
    Column("carrying_base_minor", BigInteger, nullable=False),
    Column("paid_base_minor", BigInteger, nullable=False),
    Column("received_on", Date, nullable=False),
    # The invoice this settlement paid, if the instalment was on one (migration 0006).
    Column("invoice_id", ForeignKey("documents.id"), index=True),
)

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
    Column("currency", _CUR, nullable=False),
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
    Column("currency", _CUR, nullable=False),
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
    Column("currency", _CUR, nullable=False),
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
    Column("currency", _CUR, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("charges_minor", BigInteger, nullable=False),
    Column("instructed_currency", _CUR),
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
