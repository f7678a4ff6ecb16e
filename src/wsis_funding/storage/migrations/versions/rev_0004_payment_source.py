"""Where the money of a settlement came from: the bank, or the partner's unapplied credit.

Revision ID: 0004
Revises: 0003
Create Date: 2025-01-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``payments.source``: 'bank' for money received, 'credit' for credit applied."""
    op.add_column(
        "payments",
        sa.Column("source", sa.String(length=10), nullable=False, server_default="bank"),
    )


def downgrade() -> None:
    """Drop ``payments.source`` (plain ALTER TABLE DROP COLUMN, as in 0003)."""
    op.execute("ALTER TABLE payments DROP COLUMN source")
