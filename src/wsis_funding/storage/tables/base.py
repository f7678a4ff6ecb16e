"""The books' reference data and ledger tables, and the MetaData every table is declared on."""

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
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "CUR",
    "NAMING_CONVENTION",
    "SEQ",
    "account_totals",
    "accounts",
    "editions",
    "exchange_rates",
    "instalments",
    "journal_chain",
    "journal_entries",
    "journal_postings",
    "ledger_settings",
    "metadata",
    "partner_history",
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
SEQ = BigInteger().with_variant(Integer(), "sqlite")
CUR = String(3)

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
    Column("base_currency", CUR, nullable=False),
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
    Column("from_currency", CUR, nullable=False),
    Column("to_currency", CUR, nullable=False),
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
    Column("currency", CUR, primary_key=True),
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
    Column("currency", CUR, nullable=False),
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
    Column("seq", SEQ, primary_key=True, autoincrement=False),
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
    Column("currency", CUR, nullable=False),
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
    Column("currency", CUR, nullable=False),
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
    Column("target_currency", CUR),
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
