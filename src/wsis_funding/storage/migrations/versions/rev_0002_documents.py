"""Issued documents (invoices, credit notes, letters) and their gapless number counters.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE FUNCTION wsis_funding_refuse_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wsis-funding: % on % refused: issued documents are never changed; '
        'issue a credit note instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'raise_exception';
END
$$
"""


def upgrade() -> None:
    """Create the documents and counters tables and the triggers that freeze documents."""
    op.create_table(
        "document_counters",
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_document_counters")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("instalment_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("refers_to_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("payment_reference", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('invoice', 'credit_note', 'letter')", name=op.f("ck_documents_kind")
        ),
        sa.CheckConstraint("seq > 0", name=op.f("ck_documents_seq_positive")),
        sa.CheckConstraint("total_minor >= 0", name=op.f("ck_documents_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_documents_pledge_id_pledges")
        ),
        sa.ForeignKeyConstraint(
            ["instalment_id"],
            ["instalments.id"],
            name=op.f("fk_documents_instalment_id_instalments"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_documents_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["refers_to_id"], ["documents.id"], name=op.f("fk_documents_refers_to_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("number", name=op.f("uq_documents_number")),
        sa.UniqueConstraint("payment_reference", name=op.f("uq_documents_payment_reference")),
        sa.UniqueConstraint("series", "year", "seq", name=op.f("uq_documents_series")),
    )
    op.create_index(op.f("ix_documents_pledge_id"), "documents", ["pledge_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER documents_frozen BEFORE UPDATE OR DELETE ON documents "
            "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_document_change()"
        )
        op.execute(
            "CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON documents "
            "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_document_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER documents_no_{action.lower()} BEFORE {action} ON documents "
                f"BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on documents refused: "
                "issued documents are never changed; issue a credit note instead'); END"
            )


def downgrade() -> None:
    """Drop the documents tables (and their triggers with them)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS documents_frozen ON documents")
        op.execute("DROP TRIGGER IF EXISTS documents_no_truncate ON documents")
        op.execute("DROP FUNCTION IF EXISTS wsis_funding_refuse_document_change()")
    op.drop_index(op.f("ix_documents_pledge_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_table("document_counters")
