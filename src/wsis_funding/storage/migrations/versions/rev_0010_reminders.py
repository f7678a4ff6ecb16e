"""Reminder letters: ``documents.kind`` may be 'reminder'.

The CHECK constraint ``ck_documents_kind`` gains 'reminder'. PostgreSQL replaces the
constraint. SQLite cannot alter a constraint, and rebuilding ``documents`` is not possible in a
transaction with foreign keys on (payments, settlements and credit notes refer to its rows):
the table's stored definition is edited instead, the procedure SQLite documents for changing
CHECK constraints ("Making Other Kinds Of Table Schema Changes": ``writable_schema``, then the
schema version bumped so that every connection reads the definition again). Only the CHECK
text changes; the rows, columns, indexes and triggers stay as they are, whatever other
migrations added. ``quick_check`` then confirms every row meets the constraint. The downgrade
refuses books that hold reminders, which the older schema cannot store.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_BEFORE = "kind IN ('invoice', 'credit_note', 'letter')"
_AFTER = "kind IN ('invoice', 'credit_note', 'letter', 'reminder')"


def _sqlite_edit(old: str, new: str) -> None:
    """Replace the CHECK text ``old`` of ``documents`` by ``new`` in SQLite's stored schema."""
    conn = op.get_bind()
    table_sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'"
    ).scalar_one()
    if table_sql.count(old) != 1:
        raise RuntimeError(f"documents: expected the constraint CHECK ({old}) once")
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'documents'",
            (table_sql.replace(old, new),),
        )
        conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check(documents)")]
    if found != ["ok"]:
        raise RuntimeError(f"documents after changing its CHECK constraint: {found[:5]}")


def _postgresql_replace(check: str) -> None:
    op.drop_constraint(op.f("ck_documents_kind"), "documents", type_="check")
    op.create_check_constraint(op.f("ck_documents_kind"), "documents", sa.text(check))


def upgrade() -> None:
    """Allow ``documents.kind`` = 'reminder'."""
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_replace(_AFTER)
    else:
        _sqlite_edit(_BEFORE, _AFTER)


def downgrade() -> None:
    """Allow only the three kinds of before; refuse books that hold reminders."""
    held = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM documents WHERE kind = 'reminder'"))
        .scalar_one()
    )
    if held:
        raise RuntimeError(
            f"the books hold {held} reminder(s), which the schema before 0010 cannot store"
        )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_replace(_BEFORE)
    else:
        _sqlite_edit(_AFTER, _BEFORE)
