"""Initial ledger schema: reference data, pledges, payments and the append-only journal.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_JOURNAL = ("journal_entries", "journal_postings")

_PG_FUNCTION = """
CREATE FUNCTION wsis_funding_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wsis-funding: % on % refused: the journal is append-only; '
        'post a reversing entry instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'raise_exception';
END
$$
"""


def _install_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in _JOURNAL:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_change()"
            )
    else:
        for table in _JOURNAL:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on {table} refused: "
                    "the journal is append-only; post a reversing entry instead'); END"
                )


def upgrade() -> None:
    """Create every table, the balance index and the append-only triggers."""
    op.create_table(
        "editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        sa.Column("schedule_toml", sa.Text(), nullable=False),
        sa.Column("psc_rate", sa.String(length=40), nullable=False),
        sa.Column("invoice_prefix", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editions")),
        sa.UniqueConstraint("code", name=op.f("uq_editions_code")),
    )
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_currency", sa.String(length=3), nullable=False),
        sa.Column("to_currency", sa.String(length=3), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(length=60), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint(
            "from_currency",
            "to_currency",
            "effective",
            name=op.f("uq_exchange_rates_from_currency"),
        ),
    )
    op.create_table(
        "journal_chain",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_journal_chain")),
    )
    op.create_table(
        "journal_entries",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("refs", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_journal_entries_hash")),
    )
    op.create_table(
        "ledger_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ledger_settings")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("stakeholder_type", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("street", sa.Text(), nullable=False),
        sa.Column("building_number", sa.String(length=40), nullable=False),
        sa.Column("postcode", sa.String(length=20), nullable=False),
        sa.Column("town", sa.Text(), nullable=False),
        sa.Column("address_country", sa.String(length=2), nullable=False),
        sa.Column("tax_id", sa.String(length=60), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("short_name", name=op.f("uq_partners_short_name")),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["edition_id"], ["editions.id"], name=op.f("fk_accounts_edition_id_editions")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_accounts_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("code", name=op.f("uq_accounts_code")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("charges_minor", sa.BigInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("apply_to", sa.Text(), nullable=True),
        sa.Column("settled_minor", sa.BigInteger(), nullable=False),
        sa.Column("unapplied_minor", sa.BigInteger(), nullable=False),
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["journal_entries.seq"],
            name=op.f("fk_payments_entry_seq_journal_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_payments_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payments_idempotency_key")),
    )
    op.create_index(op.f("ix_payments_partner_id"), "payments", ["partner_id"], unique=False)
    op.create_table(
        "pledges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=40), nullable=True),
        sa.Column("package", sa.String(length=80), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("base_minor", sa.BigInteger(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("settled_minor", sa.BigInteger(), nullable=False),
        sa.Column("settled_base_minor", sa.BigInteger(), nullable=False),
        sa.Column("written_off_minor", sa.BigInteger(), nullable=False),
        sa.Column("written_off_base_minor", sa.BigInteger(), nullable=False),
        sa.Column("write_off_reason", sa.Text(), nullable=True),
        sa.Column("rate", sa.String(length=60), nullable=True),
        sa.Column("rate_date", sa.Date(), nullable=True),
        sa.Column("rate_source", sa.Text(), nullable=True),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_pledges_amount_positive")),
        sa.CheckConstraint(
            "settled_minor >= 0 AND settled_minor <= amount_minor",
            name=op.f("ck_pledges_settled_range"),
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"], ["editions.id"], name=op.f("fk_pledges_edition_id_editions")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_pledges_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
    )
    op.create_index(op.f("ix_pledges_edition_id"), "pledges", ["edition_id"], unique=False)
    op.create_index(op.f("ix_pledges_partner_id"), "pledges", ["partner_id"], unique=False)
    op.create_table(
        "account_totals",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("base_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_account_totals_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", "currency", name=op.f("pk_account_totals")),
    )
    op.create_table(
        "instalments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("settled_minor", sa.BigInteger(), nullable=False),
        sa.Column("replaced", sa.Boolean(), nullable=False),
        sa.Column("written_off", sa.Boolean(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_instalments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_instalments_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalments")),
        sa.UniqueConstraint("pledge_id", "seq", name=op.f("uq_instalments_pledge_id")),
    )
    op.create_index(op.f("ix_instalments_pledge_id"), "instalments", ["pledge_id"], unique=False)
    op.create_table(
        "journal_postings",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("base_minor", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.String(length=60), nullable=True),
        sa.Column("rate_date", sa.Date(), nullable=True),
        sa.Column("rate_source", sa.Text(), nullable=True),
        sa.Column("pledge_id", sa.Integer(), nullable=True),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_journal_postings_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["journal_entries.seq"],
            name=op.f("fk_journal_postings_entry_seq_journal_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_journal_postings_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("entry_seq", "line_no", name=op.f("pk_journal_postings")),
    )
    op.create_index(
        "ix_journal_postings_account_balance",
        "journal_postings",
        ["account_id", "currency", "entry_date", "amount_minor", "base_minor"],
        unique=False,
    )
    op.create_index(
        "ix_journal_postings_pledge_id", "journal_postings", ["pledge_id"], unique=False
    )
    op.create_table(
        "settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("instalment_id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("carrying_base_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_base_minor", sa.BigInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instalment_id"],
            ["instalments.id"],
            name=op.f("fk_settlements_instalment_id_instalments"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_settlements_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_settlements_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
    )
    op.create_index(op.f("ix_settlements_payment_id"), "settlements", ["payment_id"], unique=False)
    op.create_index(op.f("ix_settlements_pledge_id"), "settlements", ["pledge_id"], unique=False)

    op.bulk_insert(
        sa.table("journal_chain", sa.column("name"), sa.column("seq"), sa.column("hash")),
        [{"name": "journal", "seq": 0, "hash": "0" * 64}],
    )
    _install_triggers()


def downgrade() -> None:
    """Drop the whole ledger schema (the journal with it)."""
    if op.get_bind().dialect.name == "postgresql":
        for table in _JOURNAL:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS wsis_funding_refuse_change()")
    for table in (
        "settlements",
        "journal_postings",
        "instalments",
        "account_totals",
        "pledges",
        "payments",
        "accounts",
        "partners",
        "ledger_settings",
        "journal_entries",
        "journal_chain",
        "exchange_rates",
        "editions",
    ):
        op.drop_table(table)
