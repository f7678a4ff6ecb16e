"""An edition's funding target: what it aims to raise, in its base currency.

``editions.funding_target_minor`` holds the target in minor units of the edition's base
currency, NULL while none is set (existing editions get none). The :class:`Edition` value
refuses a target that is not above zero before any SQL runs, on both engines alike (SQLite
cannot add a CHECK constraint to an existing table). The funding report measures committed
and received money against the target.

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``editions.funding_target_minor`` (nullable)."""
    op.add_column("editions", sa.Column("funding_target_minor", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop ``editions.funding_target_minor`` (plain ALTER TABLE DROP COLUMN, as in 0003)."""
    op.execute("ALTER TABLE editions DROP COLUMN funding_target_minor")
