"""Dates of the changes a pledge goes through, so reports as of a past date are exact.

``posted_on`` (the date its revenue was posted: the signing date), ``cancelled_on`` and
``written_off_on`` on pledges; ``added_on`` (by an amendment), ``closed_on`` (replaced, or
closed at what was paid, by an amendment) and ``amount_before_close_minor`` on instalments.
Existing rows are filled from the journal, whose entries carry these dates.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_LAST_ENTRY = "(SELECT max(jp.entry_date) FROM journal_postings jp WHERE jp.pledge_id = pledges.id)"


def upgrade() -> None:
    """Add the date columns and fill them for existing rows."""
    for name in ("posted_on", "cancelled_on", "written_off_on"):
        op.add_column("pledges", sa.Column(name, sa.Date(), nullable=True))
    op.add_column("instalments", sa.Column("added_on", sa.Date(), nullable=True))
    op.add_column("instalments", sa.Column("closed_on", sa.Date(), nullable=True))
    op.add_column(
        "instalments", sa.Column("amount_before_close_minor", sa.BigInteger(), nullable=True)
    )
    op.execute(
        "UPDATE pledges SET posted_on = signed_on WHERE status <> 'draft' AND "
        "EXISTS (SELECT 1 FROM journal_postings jp WHERE jp.pledge_id = pledges.id)"
    )
    op.execute(f"UPDATE pledges SET cancelled_on = {_LAST_ENTRY} WHERE status = 'cancelled'")
    op.execute(f"UPDATE pledges SET written_off_on = {_LAST_ENTRY} WHERE status = 'written_off'")


def downgrade() -> None:
    """Drop the date columns (plain ALTER TABLE DROP COLUMN: SQLite 3.35+ and PostgreSQL).

    Alembic's batch mode would rebuild the tables on SQLite, which foreign keys forbid here.
    """
    for table, columns in (
        ("instalments", ("amount_before_close_minor", "closed_on", "added_on")),
        ("pledges", ("written_off_on", "cancelled_on", "posted_on")),
    ):
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
