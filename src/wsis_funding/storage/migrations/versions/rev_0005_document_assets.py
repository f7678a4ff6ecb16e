"""Images documents print (an issuer's logo), stored once by SHA-256 and never changed.

Snapshot format 2 refers to its logo by digest instead of by a path of the machine that issued
it, so a document renders to the same bytes anywhere.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``document_assets`` and the triggers that freeze its rows."""
    op.create_table(
        "document_assets",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_document_assets")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The function of migration 0002 refuses any change to issued documents.
        op.execute(
            "CREATE TRIGGER document_assets_frozen BEFORE UPDATE OR DELETE ON document_assets "
            "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_document_change()"
        )
        op.execute(
            "CREATE TRIGGER document_assets_no_truncate BEFORE TRUNCATE ON document_assets "
            "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_document_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER document_assets_no_{action.lower()} BEFORE {action} "
                f"ON document_assets BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on "
                "document_assets refused: issued documents are never changed'); END"
            )


def downgrade() -> None:
    """Drop ``document_assets`` (its triggers go with it)."""
    op.drop_table("document_assets")
