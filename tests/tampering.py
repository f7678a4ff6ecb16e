"""What someone with write access to the database can do behind the library, for tamper tests.

The owner of the tables can switch their triggers off (PostgreSQL: ``ALTER TABLE ... DISABLE
TRIGGER USER``; SQLite: drop them), edit rows, and recompute an unkeyed hash chain forward
with the library's own public hash function: anyone can.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from wsis_funding.ledger.chain import canonical_refs, chained_hash
from wsis_funding.services import Tracker
from wsis_funding.storage.tables import metadata

__all__ = ["bypass_triggers", "rehash_from", "sql"]


def bypass_triggers(tracker: Tracker) -> None:
    """Switch off every trigger of the books, as the owner of the tables can."""
    with tracker.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in metadata.tables:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            for name in list(names.scalars()):
                conn.execute(text(f'DROP TRIGGER "{name}"'))


def sql(tracker: Tracker, *statements: str, **params: Any) -> None:
    """Run raw statements in one transaction (triggers apply unless bypassed)."""
    with tracker.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def _day(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat()


def rehash_from(tracker: Tracker, first: int) -> None:
    """Recompute the (unkeyed) hash of every entry from ``first`` on, and the chain head.

    What a forger does after editing an entry, so that the chain links again.
    """
    with tracker.engine.begin() as conn:
        prev = _hash_before(conn, first)
        codes: dict[int, str] = dict(conn.execute(text("SELECT id, code FROM accounts")).all())
        entries = conn.execute(
            text(
                "SELECT seq, entry_date, kind, memo, refs FROM journal_entries WHERE seq >= :f "
                "ORDER BY seq"
            ),
            {"f": first},
        ).all()
        seq = first - 1
        for seq, day, kind, memo, refs in entries:
            postings = [
                (codes[a], c, m, b, r, None if rd is None else _day(rd), s, p)
                for a, c, m, b, r, rd, s, p in conn.execute(
                    text(
                        "SELECT account_id, currency, amount_minor, base_minor, rate, rate_date,"
                        " rate_source, pledge_id FROM journal_postings WHERE entry_seq = :s"
                    ),
                    {"s": seq},
                )
            ]
            refs_text = canonical_refs(json.loads(refs))
            digest = chained_hash(seq, prev, _day(day), kind, memo, refs_text, postings)
            conn.execute(
                text("UPDATE journal_entries SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": seq},
            )
            prev = digest
        conn.execute(
            text("UPDATE journal_chain SET seq = :s, hash = :h WHERE name = 'journal'"),
            {"s": seq, "h": prev},
        )


def _hash_before(conn: Connection, first: int) -> str:
    if first == 1:
        return "0" * 64
    found = conn.execute(
        text("SELECT hash FROM journal_entries WHERE seq = :s"), {"s": first - 1}
    ).scalar_one()
    return str(found)
