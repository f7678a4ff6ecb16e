"""Tamper evidence: rows that never change refuse it, and what the chain does not hold is sealed.

- Triggers: payments, settlements and accounts are never updated or deleted; instalments,
  pledges, document counters, the chain head and the books' fixed settings change only as
  the use cases change them (what they may do is spelled out below, per table); no row of
  these tables is deleted, none is truncated.
- Indexes that let ``verify(expected_head=...)`` read only what was appended since the head:
  ``payments.entry_seq``, and the document seal entries of the journal.
- Books written before: each document and each payment (with its settlements) is sealed now,
  in an entry without postings appended to the hash chain (see
  :mod:`wsis_funding.ledger.seals`), so that from now on any change to them is reported.
  The seal and chain formats used here are frozen forever (``verify()`` recomputes them for
  every book), which is why this migration may use the library's own functions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from wsis_funding.ledger.chain import canonical_refs, chained_hash
from wsis_funding.ledger.seals import (
    DOCUMENT_COLUMNS,
    DOCUMENT_ID,
    DOCUMENT_KIND,
    DOCUMENT_NUMBER,
    DOCUMENT_SEAL,
    PAYMENT_COLUMNS,
    PAYMENT_ENTRY,
    PAYMENT_SEAL,
    PAYMENT_SEAL_KIND,
    PAYMENT_SETTLEMENTS,
    SETTLEMENT_COLUMNS,
    document_seal,
    payment_seal,
    settlements_seal,
)

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FROZEN = ("payments", "settlements", "accounts")
"""Never updated, never deleted."""

_GUARDS: dict[str, tuple[str, str]] = {
    # table: (condition under which an UPDATE is refused, why); {ne} is the dialect's
    # null-safe "differs from". Deleting a row is refused too (ledger_settings: a fixed one).
    "instalments": (
        "NEW.id <> OLD.id OR NEW.pledge_id <> OLD.pledge_id OR NEW.seq <> OLD.seq "
        "OR NEW.due_on <> OLD.due_on OR NEW.added_on {ne} OLD.added_on "
        "OR NEW.settled_minor < OLD.settled_minor OR NEW.amount_minor > OLD.amount_minor "
        "OR (OLD.replaced AND NOT NEW.replaced) OR (OLD.written_off AND NOT NEW.written_off) "
        "OR (OLD.closed_on IS NOT NULL AND NEW.closed_on {ne} OLD.closed_on) "
        "OR (OLD.amount_before_close_minor IS NOT NULL "
        "AND NEW.amount_before_close_minor {ne} OLD.amount_before_close_minor)",
        "an instalment is only settled, replaced, cut, reduced or written off by the use cases",
    ),
    "pledges": (
        "NEW.id <> OLD.id OR NEW.partner_id <> OLD.partner_id "
        "OR NEW.edition_id <> OLD.edition_id OR NEW.currency <> OLD.currency "
        "OR NEW.signed_on <> OLD.signed_on "
        "OR (OLD.status = 'cancelled' AND NEW.status <> 'cancelled') "
        "OR (OLD.status <> 'draft' AND NEW.status = 'draft')",
        "a pledge keeps its partner, edition, currency and signing date, and a cancelled one "
        "stays cancelled",
    ),
    "document_counters": (
        "NEW.series <> OLD.series OR NEW.year <> OLD.year OR NEW.last_seq <> OLD.last_seq + 1",
        "a counter only gives the next number",
    ),
    "journal_chain": (
        "NEW.name <> OLD.name OR NEW.seq <= OLD.seq",
        "the chain head only moves forward",
    ),
    "ledger_settings": (
        "OLD.key IN ('base_currency', 'chain_key')",
        "the base currency and the chain key are fixed when declared",
    ),
}
_PG_REFUSE = """
CREATE FUNCTION wsis_funding_refuse_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wsis-funding: % on % refused: these rows are never changed or deleted',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END
$$
"""


def _pg_guard(table: str, condition: str, why: str) -> str:
    deleting = "OLD.key IN ('base_currency', 'chain_key')" if table == "ledger_settings" else "true"
    return f"""
CREATE FUNCTION wsis_funding_guard_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF {deleting} THEN
            RAISE EXCEPTION 'wsis-funding: DELETE on {table} refused: {why}'
                USING ERRCODE = 'raise_exception';
        END IF;
        RETURN OLD;
    END IF;
    IF {condition} THEN
        RAISE EXCEPTION 'wsis-funding: UPDATE on {table} refused: {why}'
            USING ERRCODE = 'raise_exception';
    END IF;
    RETURN NEW;
END
$$
"""


def _triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_REFUSE)
        for table in _FROZEN:
            op.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_row_change()"
            )
        for table, (condition, why) in _GUARDS.items():
            op.execute(_pg_guard(table, condition.format(ne="IS DISTINCT FROM"), why))
            op.execute(
                f"CREATE TRIGGER {table}_guarded BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION wsis_funding_guard_{table}()"
            )
        op.execute(
            "CREATE TRIGGER account_totals_kept BEFORE DELETE ON account_totals "
            "FOR EACH ROW EXECUTE FUNCTION wsis_funding_refuse_row_change()"
        )
        for table in (*_FROZEN, *_GUARDS, "account_totals"):
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION wsis_funding_refuse_row_change()"
            )
        return
    for table in _FROZEN:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'wsis-funding: {action} on {table} refused: these "
                "rows are never changed or deleted'); END"
            )
    for table, (condition, why) in _GUARDS.items():
        op.execute(
            f"CREATE TRIGGER {table}_guarded_update BEFORE UPDATE ON {table} "
            f"WHEN {condition.format(ne='IS NOT')} BEGIN SELECT RAISE(ABORT, "
            f"'wsis-funding: UPDATE on {table} refused: {why}'); END"
        )
        when = (
            " WHEN OLD.key IN ('base_currency', 'chain_key')" if table == "ledger_settings" else ""
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}{when} BEGIN SELECT "
            f"RAISE(ABORT, 'wsis-funding: DELETE on {table} refused: {why}'); END"
        )
    op.execute(
        "CREATE TRIGGER account_totals_no_delete BEFORE DELETE ON account_totals BEGIN SELECT "
        "RAISE(ABORT, 'wsis-funding: DELETE on account_totals refused: these rows are never "
        "changed or deleted'); END"
    )


_LABELS = {"invoice": "Invoice", "credit_note": "Credit note", "letter": "Letter"}


def _seal_existing() -> None:
    """Append a seal entry for each document and each payment the books hold already."""
    conn = op.get_bind()
    entries: list[tuple[Any, str, str, list[tuple[str, str]]]] = []  # date, kind, memo, refs
    cov: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, inst_id, amount in conn.execute(
        sa.text("SELECT document_id, instalment_id, amount_minor FROM invoice_coverage")
    ):
        cov[doc_id].append((inst_id, amount))
    columns = ", ".join(DOCUMENT_COLUMNS)
    for row in conn.execute(sa.text(f"SELECT {columns}, snapshot FROM documents ORDER BY id")):
        values, number = row[: len(DOCUMENT_COLUMNS)], row[5]
        seal = document_seal(values, row[-1], cov.get(row[0], []))
        refs = [(DOCUMENT_NUMBER, number), (DOCUMENT_ID, str(row[0])), (DOCUMENT_SEAL, seal)]
        memo = f"{_LABELS.get(row[1], row[1])} {number} sealed on upgrade"
        entries.append((row[10], DOCUMENT_KIND, memo, refs))
    settled: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(
        sa.text(f"SELECT payment_id, {', '.join(SETTLEMENT_COLUMNS)} FROM settlements")
    ):
        settled[row[0]].append(row[1:])
    columns = ", ".join(PAYMENT_COLUMNS)
    for row in conn.execute(sa.text(f"SELECT id, entry_seq, {columns} FROM payments ORDER BY id")):
        refs = [
            (PAYMENT_ENTRY, str(row[1])),
            (PAYMENT_SEAL, payment_seal(row[2:])),
            (PAYMENT_SETTLEMENTS, settlements_seal(settled.get(row[0], []))),
        ]
        memo = f"Payment {row[0]} (entry {row[1]}) sealed on upgrade"
        entries.append((row[6], PAYMENT_SEAL_KIND, memo, refs))
    if not entries:
        return
    seq, prev = conn.execute(
        sa.text("SELECT seq, hash FROM journal_chain WHERE name = 'journal'")
    ).one()
    rows = []
    for on, kind, memo, refs in entries:
        seq += 1
        day = on if isinstance(on, str) else on.isoformat()
        text = canonical_refs(refs)
        digest = chained_hash(seq, prev, day, kind, memo, text, [])
        rows.append({"s": seq, "d": on, "k": kind, "m": memo, "r": text, "p": prev, "h": digest})
        prev = digest
    conn.execute(
        sa.text(
            "INSERT INTO journal_entries (seq, entry_date, kind, memo, refs, prev_hash, hash) "
            "VALUES (:s, :d, :k, :m, :r, :p, :h)"
        ),
        rows,
    )
    conn.execute(
        sa.text("UPDATE journal_chain SET seq = :s, hash = :h WHERE name = 'journal'"),
        {"s": seq, "h": prev},
    )


def upgrade() -> None:
    """Seal what the books hold, add the indexes, then install the triggers."""
    _seal_existing()
    op.create_index(op.f("ix_payments_entry_seq"), "payments", ["entry_seq"])
    op.create_index(
        "ix_journal_entries_document_seals",
        "journal_entries",
        ["seq"],
        sqlite_where=sa.text("kind = 'document'"),
        postgresql_where=sa.text("kind = 'document'"),
    )
    _triggers()


def downgrade() -> None:
    """Drop the triggers and indexes (the seal entries stay: the journal is append-only)."""
    tables = (*_FROZEN, *_GUARDS, "account_totals")
    if op.get_bind().dialect.name == "postgresql":
        for table in tables:
            for name in ("frozen", "guarded", "kept", "no_truncate"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}")
        for table in _GUARDS:
            op.execute(f"DROP FUNCTION IF EXISTS wsis_funding_guard_{table}()")
        op.execute("DROP FUNCTION IF EXISTS wsis_funding_refuse_row_change()")
    else:
        for table in tables:
            for name in ("no_update", "no_delete", "guarded_update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
    op.drop_index("ix_journal_entries_document_seals", table_name="journal_entries")
    op.drop_index(op.f("ix_payments_entry_seq"), table_name="payments")
