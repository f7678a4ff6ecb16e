"""Where documents meet the ledger: what invoices cover, what settlements paid, reductions.

- ``invoice_coverage``: what each invoice asked for on each instalment, and what each credit
  note credited of each; frozen like the documents. Existing invoices are filled in: one on an
  instalment covers that instalment; one on a whole pledge covers its instalments in due order
  up to what each still owed then. Existing credit notes credit their invoice's instalments,
  latest due first.
- ``settlements.invoice_id`` and ``payments.invoice_id``: the invoice a settlement paid, and
  the invoice a payment named (unknown, NULL, for existing rows).
- ``payments.target_currency``, ``target_minor``, ``target_basis``: what a payment in another
  currency settled, in the instalments' currency, and how that amount was known.
- ``pledges.discount_reason``, ``recovered_minor``, ``recovered_base_minor``.
- ``documents.credit_kind``: 'correction' or 'reduction' (NULL for existing credit notes, which
  changed no books: they were corrections in effect).
- ``instalment_reductions``: an instalment reduced by a reduction credit note, dated.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_FROZEN = ("invoice_coverage", "instalment_reductions")


def _freeze(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The function of migration 0002 refuses any change to issued documents.
        op.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_document_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_document_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on {table} refused: "
                "issued documents are never changed'); END"
            )


def _fill_coverage() -> None:
    """Work out what the existing invoices and credit notes covered (see the module text)."""
    conn = op.get_bind()
    docs = conn.execute(
        sa.text(
            "SELECT id, kind, pledge_id, instalment_id, refers_to_id, total_minor "
            "FROM documents WHERE kind IN ('invoice', 'credit_note') ORDER BY id"
        )
    ).all()
    covered: dict[int, dict[int, int]] = {}  # invoice id -> instalment id -> minor units
    invoiced: dict[int, int] = {}  # instalment id -> invoiced so far
    rows = []
    for doc_id, kind, pledge_id, instalment_id, refers_to, total in docs:
        if kind == "invoice":
            instalments: list[tuple[int, int]] = [
                (int(i[0]), int(i[1]))
                for i in conn.execute(
                    sa.text(
                        "SELECT id, amount_minor FROM instalments WHERE pledge_id = :p "
                        "AND replaced = false ORDER BY due_on, seq"
                    ),
                    {"p": pledge_id},
                )
            ]
            if instalment_id is not None:
                named = [i for i in instalments if i[0] == instalment_id]
                instalments = named or [(instalment_id, total)]
            left, mine = total, {}
            for inst_id, amount in instalments:
                take = min(left, max(amount - invoiced.get(inst_id, 0), 0))
                if instalment_id is not None:
                    take = left
                if take > 0:
                    mine[inst_id] = take
                    invoiced[inst_id] = invoiced.get(inst_id, 0) + take
                    left -= take
                if left == 0:
                    break
            if left > 0 and instalments:  # more than the schedule shows now: the last one
                last = instalments[-1][0]
                mine[last] = mine.get(last, 0) + left
            covered[doc_id] = mine
            rows += [{"d": doc_id, "i": k, "a": v} for k, v in mine.items()]
        elif refers_to in covered:
            left, mine = total, {}
            for inst_id, amount in sorted(covered[refers_to].items(), reverse=True):
                take = min(left, amount)
                if take > 0:
                    mine[inst_id] = take
                    covered[refers_to][inst_id] -= take
                    invoiced[inst_id] = invoiced.get(inst_id, 0) - take
                    left -= take
            rows += [{"d": doc_id, "i": k, "a": v} for k, v in mine.items()]
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO invoice_coverage (document_id, instalment_id, amount_minor) "
                "VALUES (:d, :i, :a)"
            ),
            rows,
        )


def upgrade() -> None:
    """Add the columns and tables, fill what existing invoices covered, freeze the new rows."""
    op.create_table(
        "invoice_coverage",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("instalment_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_invoice_coverage_amount_positive")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_invoice_coverage_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["instalment_id"],
            ["instalments.id"],
            name=op.f("fk_invoice_coverage_instalment_id_instalments"),
        ),
        sa.PrimaryKeyConstraint("document_id", "instalment_id", name=op.f("pk_invoice_coverage")),
    )
    op.create_index(
        op.f("ix_invoice_coverage_instalment_id"), "invoice_coverage", ["instalment_id"]
    )
    op.create_table(
        "instalment_reductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instalment_id", sa.Integer(), nullable=False),
        sa.Column("reduced_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "amount_minor > 0", name=op.f("ck_instalment_reductions_amount_positive")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_instalment_reductions_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["instalment_id"],
            ["instalments.id"],
            name=op.f("fk_instalment_reductions_instalment_id_instalments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalment_reductions")),
    )
    op.create_index(
        op.f("ix_instalment_reductions_instalment_id"), "instalment_reductions", ["instalment_id"]
    )
    op.add_column("documents", sa.Column("credit_kind", sa.String(length=20), nullable=True))
    op.add_column("pledges", sa.Column("discount_reason", sa.Text(), nullable=True))
    for name in ("recovered_minor", "recovered_base_minor"):
        op.add_column(
            "pledges", sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
        )
    # SQLite adds a foreign key only by rebuilding the table (neither table has triggers).
    with op.batch_alter_table("settlements") as batch:
        batch.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_settlements_invoice_id_documents"), "documents", ["invoice_id"], ["id"]
        )
        batch.create_index(op.f("ix_settlements_invoice_id"), ["invoice_id"])
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("target_currency", sa.String(length=3), nullable=True))
        batch.add_column(sa.Column("target_minor", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("target_basis", sa.String(length=20), nullable=True))
        batch.create_foreign_key(
            op.f("fk_payments_invoice_id_documents"), "documents", ["invoice_id"], ["id"]
        )
    _fill_coverage()
    for table in _FROZEN:
        _freeze(table)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite turns an integer sum past 64 bits into a float, silently: refuse it instead,
        # as PostgreSQL does (the journal writer turns both into InvalidAmount).
        for action in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER account_totals_integer_{action.lower()} BEFORE {action} ON "
                "account_totals WHEN typeof(NEW.amount_minor) <> 'integer' OR "
                "typeof(NEW.base_minor) <> 'integer' BEGIN SELECT RAISE(ABORT, "
                "'wsis-funding: running total out of range'); END"
            )


def downgrade() -> None:
    """Drop what 0006 added."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS account_totals_integer_{action}")
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint(op.f("fk_payments_invoice_id_documents"), type_="foreignkey")
        for name in ("target_basis", "target_minor", "target_currency", "invoice_id"):
            batch.drop_column(name)
    with op.batch_alter_table("settlements") as batch:
        batch.drop_index(op.f("ix_settlements_invoice_id"))
        batch.drop_constraint(op.f("fk_settlements_invoice_id_documents"), type_="foreignkey")
        batch.drop_column("invoice_id")
    for name in ("recovered_base_minor", "recovered_minor", "discount_reason"):
        op.execute(f"ALTER TABLE pledges DROP COLUMN {name}")
    op.execute("ALTER TABLE documents DROP COLUMN credit_kind")
    op.drop_table("instalment_reductions")
    op.drop_table("invoice_coverage")
