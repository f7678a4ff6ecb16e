"""Appending entries to the journal: balance checks, hash chaining, bulk inserts.

Every append first locks the chain head (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), so concurrent writers never fork the chain.
Entries are inserted with executemany and the per-account running totals are upserted once
per batch, which keeps :func:`balance` O(1) whatever the size of the journal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import attrs
from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from wsis_funding.errors import UnbalancedEntry
from wsis_funding.ledger import tables as t
from wsis_funding.ledger.accounts import AccountKind, kind_of
from wsis_funding.ledger.chain import PostingKey, canonical_refs, entry_hash
from wsis_funding.ledger.model import Entry, Posting

__all__ = ["CHAIN", "JournalWriter", "check_balanced", "lock_chain"]

CHAIN = "journal"


def check_balanced(entry: Entry) -> None:
    """Raise :class:`UnbalancedEntry` unless the entry sums to zero per currency and in base."""
    per_currency: dict[str, int] = defaultdict(int)
    base = 0
    for p in entry.postings:
        if isinstance(p.amount_minor, bool) or not isinstance(p.amount_minor, int):
            raise TypeError(f"amount_minor must be an int, not {type(p.amount_minor).__name__}")
        if isinstance(p.base_minor, bool) or not isinstance(p.base_minor, int):
            raise TypeError(f"base_minor must be an int, not {type(p.base_minor).__name__}")
        per_currency[p.currency] += p.amount_minor
        base += p.base_minor
    for code, residue in sorted(per_currency.items()):
        if residue:
            raise UnbalancedEntry(entry.memo, code, residue)
    if base:
        raise UnbalancedEntry(entry.memo, "base currency", base)


def lock_chain(conn: Connection) -> tuple[int, str]:
    """Lock the chain head for this transaction and return (last seq, last hash)."""
    row = conn.execute(
        select(t.journal_chain.c.seq, t.journal_chain.c.hash)
        .where(t.journal_chain.c.name == CHAIN)
        .with_for_update()
    ).one()
    return int(row.seq), str(row.hash)


def posting_key(p: Posting) -> PostingKey:
    """Return the tuple of a posting that the entry hash covers."""
    return (
        p.account,
        p.currency,
        p.amount_minor,
        p.base_minor,
        p.rate,
        p.rate_date.isoformat() if p.rate_date else None,
        p.rate_source,
        p.pledge_id,
    )


class JournalWriter:
    """Appends balanced, hash-chained entries; caches account ids once they are committed.

    Call :meth:`committed` after the transaction commits and :meth:`rolled_back` after it
    rolls back, so that an account created in a rolled-back transaction is never reused.
    """

    def __init__(self) -> None:
        """Start with an empty account cache."""
        self._ids: dict[str, int] = {}
        self._pending: dict[str, int] = {}

    def committed(self) -> None:
        """Keep the account ids learnt in the transaction that just committed."""
        self._ids.update(self._pending)
        self._pending.clear()

    def rolled_back(self) -> None:
        """Forget the account ids learnt in the transaction that just rolled back."""
        self._pending.clear()

    def account_id(self, conn: Connection, code: str) -> int:
        """Return the id of account ``code``, creating it on first use.

        Raises :class:`UnknownAccount` for a malformed code.
        """
        known = self._ids.get(code) or self._pending.get(code)
        if known is not None:
            return known
        kind = kind_of(code)
        found = conn.execute(select(t.accounts.c.id).where(t.accounts.c.code == code)).scalar()
        if found is None:
            partner_id: int | None = None
            edition_id: int | None = None
            rest = code.partition(":")[2]
            if kind in (AccountKind.RECEIVABLE, AccountKind.UNAPPLIED):
                partner_id = int(rest)
            elif kind in (AccountKind.REVENUE, AccountKind.PSC_CHARGE):
                edition_id = conn.execute(
                    select(t.editions.c.id).where(t.editions.c.code == rest)
                ).scalar()
            found = conn.execute(
                t.accounts.insert()
                .values(code=code, kind=kind.value, partner_id=partner_id, edition_id=edition_id)
                .returning(t.accounts.c.id)
            ).scalar_one()
        self._pending[code] = int(found)
        return int(found)

    def append(
        self, conn: Connection, entries: Iterable[Entry], head: tuple[int, str] | None = None
    ) -> list[Entry]:
        """Check, chain and insert ``entries`` in order; return them with seq and hashes set.

        ``head`` is the (seq, hash) returned by :func:`lock_chain` earlier in the same
        transaction; without it the chain head is locked here. Raises
        :class:`UnbalancedEntry` (nothing is written) for an entry that does not balance.
        """
        batch = list(entries)
        for e in batch:
            check_balanced(e)
        if not batch:
            return []
        seq, prev = head if head is not None else lock_chain(conn)
        entry_rows: list[tuple[object, ...]] = []
        posting_rows: list[tuple[object, ...]] = []
        # Rows go straight to the driver's executemany: SQLAlchemy's per-row parameter
        # processing would double the cost of a bulk load. SQLite stores dates as ISO text.
        native_dates = conn.dialect.name != "sqlite"
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        done: list[Entry] = []
        for e in batch:
            seq += 1
            refs = canonical_refs(e.references)
            digest = entry_hash(
                seq, prev, e.entry_date, e.kind, e.memo, refs, map(posting_key, e.postings)
            )
            day = e.entry_date if native_dates else e.entry_date.isoformat()
            entry_rows.append((seq, day, e.kind, e.memo, refs, prev, digest))
            for line_no, p in enumerate(e.postings, start=1):
                account_id = self.account_id(conn, p.account)
                rate_day = p.rate_date
                if rate_day is not None and not native_dates:
                    rate_day = rate_day.isoformat()  # type: ignore[assignment]
                posting_rows.append(
                    (seq, line_no, account_id, p.currency, p.amount_minor, p.base_minor,
                     p.rate, rate_day, p.rate_source, p.pledge_id, day)
                )  # fmt: skip
                total = totals[(account_id, p.currency)]
                total[0] += p.amount_minor
                total[1] += p.base_minor
            done.append(attrs.evolve(e, seq=seq, prev_hash=prev, hash=digest))
            prev = digest
        conn.exec_driver_sql(
            "INSERT INTO journal_entries (seq, entry_date, kind, memo, refs, prev_hash, hash) "
            f"VALUES ({', '.join([mark] * 7)})",
            entry_rows,
        )
        conn.exec_driver_sql(
            "INSERT INTO journal_postings (entry_seq, line_no, account_id, currency, amount_minor,"
            " base_minor, rate, rate_date, rate_source, pledge_id, entry_date) "
            f"VALUES ({', '.join([mark] * 11)})",
            posting_rows,
        )
        self._add_totals(conn, totals)
        conn.execute(
            update(t.journal_chain)
            .where(t.journal_chain.c.name == CHAIN)
            .values(seq=seq, hash=prev)
        )
        return done

    def _add_totals(self, conn: Connection, totals: dict[tuple[int, str], list[int]]) -> None:
        rows = [
            {"account_id": a, "currency": c, "amount_minor": v[0], "base_minor": v[1]}
            for (a, c), v in sorted(totals.items())
        ]
        if not rows:
            return
        dialect = conn.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(t.account_totals)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.account_totals.c.account_id, t.account_totals.c.currency],
            set_={
                "amount_minor": t.account_totals.c.amount_minor + stmt.excluded.amount_minor,
                "base_minor": t.account_totals.c.base_minor + stmt.excluded.base_minor,
            },
        )
        conn.execute(stmt, rows)
