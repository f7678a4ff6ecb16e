"""Bank statements: files imported, their statements, entries with raw XML, lines, payers.

- ``bank_imports``: one row per file imported (name, SHA-256, size, message and version).
- ``bank_statements``: each camt.053 statement or camt.054 notification of a file, with the
  balances and totals the bank stated and what was counted on reading.
- ``bank_entries``: each booked entry once per shape (a single payment, a batch summary, a
  batch with its transactions) with its raw XML; triggers refuse to change or delete it.
- ``bank_lines``: each credit line (and each debit reversing a credit) once per identity,
  with what became of it: the rule that matched it and the payment it became, or why it
  waits for a person, or why a person dismissed it.
- ``bank_line_sightings``: a line seen again in a later statement.
- ``partner_payers``: IBANs and aliases known to pay for a partner.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE FUNCTION wsis_funding_refuse_bank_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wsis-funding: % on % refused: bank entries are kept as the bank sent them',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END
$$
"""


def _bank_tables() -> None:
    op.create_table(
        "bank_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.String(length=8), nullable=False),
        sa.Column("version", sa.String(length=6), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_imports")),
    )
    op.create_index(op.f("ix_bank_imports_sha256"), "bank_imports", ["sha256"])
    counted = [
        sa.Column(name, kind, nullable=False)
        for name, kind in (
            ("credit_count", sa.Integer()),
            ("credit_minor", sa.BigInteger()),
            ("debit_count", sa.Integer()),
            ("debit_minor", sa.BigInteger()),
            ("unbooked_count", sa.Integer()),
            ("charges_minor", sa.BigInteger()),
            ("discrepancies", sa.Text()),
        )
    ]
    op.create_table(
        "bank_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Text(), nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("electronic_sequence", sa.Text(), nullable=True),
        sa.Column("opening_minor", sa.BigInteger(), nullable=True),
        sa.Column("opening_date", sa.Date(), nullable=True),
        sa.Column("closing_minor", sa.BigInteger(), nullable=True),
        sa.Column("closing_date", sa.Date(), nullable=True),
        *(
            sa.Column(f"bank_{name}", sa.Text(), nullable=True)
            for name in (
                "credit_count",
                "credit_sum",
                "debit_count",
                "debit_sum",
                "entry_count",
                "entry_sum",
                "net",
            )
        ),
        *counted,
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bank_imports.id"],
            name=op.f("fk_bank_statements_import_id_bank_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statements")),
        sa.UniqueConstraint("import_id", "position", name=op.f("uq_bank_statements_import_id")),
    )
    op.create_index(op.f("ix_bank_statements_import_id"), "bank_statements", ["import_id"])
    op.create_table(
        "bank_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=64), nullable=False),
        sa.Column("shape", sa.String(length=10), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("credit", sa.Boolean(), nullable=False),
        sa.Column("reversal", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("charges_minor", sa.BigInteger(), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("transaction_count", sa.Integer(), nullable=False),
        sa.Column("declared_batch_size", sa.BigInteger(), nullable=True),
        sa.Column("raw_xml", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "shape IN ('single', 'summary', 'batch')", name=op.f("ck_bank_entries_shape")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statements.id"],
            name=op.f("fk_bank_entries_statement_id_bank_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_entries")),
        sa.UniqueConstraint("entry_key", "shape", name=op.f("uq_bank_entries_entry_key")),
    )
    op.create_index(op.f("ix_bank_entries_statement_id"), "bank_entries", ["statement_id"])


def _line_tables() -> None:
    op.create_table(
        "bank_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_key", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("transaction_position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("charges_minor", sa.BigInteger(), nullable=False),
        sa.Column("instructed_currency", sa.String(length=3), nullable=True),
        sa.Column("instructed_minor", sa.BigInteger(), nullable=True),
        sa.Column("exchange_rate", sa.String(length=60), nullable=True),
        sa.Column("rf", sa.String(length=25), nullable=True),
        sa.Column("qr", sa.String(length=27), nullable=True),
        *(
            sa.Column(name, sa.Text(), nullable=True)
            for name in (
                "end_to_end_id",
                "servicer_reference",
                "remittance",
                "debtor_name",
                "debtor_account",
                "ultimate_debtor_name",
            )
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("original_line_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('credit', 'reversal')", name=op.f("ck_bank_lines_kind")),
        sa.CheckConstraint(
            "status IN ('matched', 'queued', 'refused', 'assigned', 'dismissed', 'superseded')",
            name=op.f("ck_bank_lines_status"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["bank_entries.id"], name=op.f("fk_bank_lines_entry_id_bank_entries")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statements.id"],
            name=op.f("fk_bank_lines_statement_id_bank_statements"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_bank_lines_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_bank_lines_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["original_line_id"],
            ["bank_lines.id"],
            name=op.f("fk_bank_lines_original_line_id_bank_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_lines")),
        sa.UniqueConstraint("line_key", name=op.f("uq_bank_lines_line_key")),
    )
    for column in ("entry_id", "statement_id", "status"):
        op.create_index(op.f(f"ix_bank_lines_{column}"), "bank_lines", [column])
    op.create_table(
        "bank_line_sightings",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("entry_position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"], ["bank_lines.id"], name=op.f("fk_bank_line_sightings_line_id_bank_lines")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statements.id"],
            name=op.f("fk_bank_line_sightings_statement_id_bank_statements"),
        ),
        sa.PrimaryKeyConstraint("statement_id", "line_id", name=op.f("pk_bank_line_sightings")),
    )
    op.create_index(op.f("ix_bank_line_sightings_line_id"), "bank_line_sightings", ["line_id"])
    op.create_table(
        "partner_payers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("value_key", sa.Text(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('iban', 'alias')", name=op.f("ck_partner_payers_kind")),
        sa.ForeignKeyConstraint(
            ["line_id"], ["bank_lines.id"], name=op.f("fk_partner_payers_line_id_bank_lines")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_payers_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_payers")),
        sa.UniqueConstraint("kind", "value_key", name=op.f("uq_partner_payers_kind")),
    )
    op.create_index(op.f("ix_partner_payers_partner_id"), "partner_payers", ["partner_id"])


def _freeze_entries() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER bank_entries_frozen BEFORE UPDATE OR DELETE ON bank_entries "
            "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_bank_entry_change()"
        )
        op.execute(
            "CREATE TRIGGER bank_entries_no_truncate BEFORE TRUNCATE ON bank_entries "
            "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_bank_entry_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER bank_entries_no_{action.lower()} BEFORE {action} "
                f"ON bank_entries BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on "
                "bank_entries refused: bank entries are kept as the bank sent them'); END"
            )


def upgrade() -> None:
    """Create the bank statement tables and the triggers that keep entries as received."""
    _bank_tables()
    _line_tables()
    _freeze_entries()


def downgrade() -> None:
    """Drop the bank statement tables (and their triggers with them)."""
    for table in (
        "partner_payers", "bank_line_sightings", "bank_lines", "bank_entries",
        "bank_statements", "bank_imports",
    ):  # fmt: skip
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION wsis_funding_refuse_bank_entry_change()")
