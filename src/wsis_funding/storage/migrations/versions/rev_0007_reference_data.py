"""Reference data: identity keys that refuse duplicate partners and editions; partner history.

``partners.short_name_key`` and ``editions.code_key`` hold the identity key of the short name
and of the code (``ACME``, ``acme`` and ``ＡＣＭＥ`` share one), each under a unique index.
``partner_history`` keeps each partner as it was before a correction; triggers refuse to
change or delete its rows.

Books written before may already hold duplicates (``ACME`` and ``acme``). They are kept, both
readable and usable: the oldest (lowest id) gets the key, each later one the key followed by
`` #<its id>``, which no short name can produce (keys hold no whitespace). Looking such a short
name up then refuses to choose between them until one is renamed with ``update_partner``.
Stored values are left exactly as they were: the keys are computed from them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_WHITE_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def identity_key(text: str) -> str:
    """Return the identity key of a short name or an edition code, as of this migration.

    A copy of :func:`wsis_funding.ledger.validation.identity_key` as it was written: a
    migration must give the same result whatever the code becomes. A test holds the two
    equal; changing the rule needs a migration that recomputes the stored keys.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(
        c
        for c in folded
        if c not in _WHITE_SPACE and not c.isspace() and unicodedata.category(c) != "Cf"
    )


def _fill_keys(table: str, name: str, key: str) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT id, {name} FROM {table} ORDER BY id")).all()
    taken: set[str] = set()
    update = sa.text(f"UPDATE {table} SET {key} = :key WHERE id = :id")
    for row_id, value in rows:
        k = identity_key(value)
        if k in taken:
            k = f"{k} #{row_id}"
        taken.add(k)
        conn.execute(update, {"key": k, "id": row_id})


_PG_FUNCTION = """
CREATE FUNCTION wsis_funding_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wsis-funding: % on % refused: history is never changed', TG_OP,
        TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END
$$
"""


def upgrade() -> None:
    """Add and fill the identity keys, index them uniquely, create ``partner_history``."""
    for table, name, key in (
        ("partners", "short_name", "short_name_key"),
        ("editions", "code", "code_key"),
    ):
        # SQLite adds a NOT NULL column only with a default; " " is no key (keys hold no
        # whitespace), and every row gets its key just below.
        op.add_column(table, sa.Column(key, sa.Text(), nullable=False, server_default=" "))
        _fill_keys(table, name, key)
        op.create_index(op.f(f"ix_{table}_{key}"), table, [key], unique=True)
    op.create_table(
        "partner_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("replaced_on", sa.Date(), nullable=False),
        sa.Column("changed", sa.Text(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_history_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_history")),
        sa.UniqueConstraint("partner_id", "version", name=op.f("uq_partner_history_partner_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER partner_history_frozen BEFORE UPDATE OR DELETE ON partner_history "
            "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_history_change()"
        )
        op.execute(
            "CREATE TRIGGER partner_history_no_truncate BEFORE TRUNCATE ON partner_history "
            "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_history_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER partner_history_no_{action.lower()} BEFORE {action} "
                f"ON partner_history BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on "
                "partner_history refused: history is never changed'); END"
            )


def downgrade() -> None:
    """Drop ``partner_history`` (and its triggers), the key indexes and the key columns."""
    op.drop_table("partner_history")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION wsis_funding_refuse_history_change()")
    for table, key in (("partners", "short_name_key"), ("editions", "code_key")):
        op.drop_index(op.f(f"ix_{table}_{key}"), table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN {key}")
