"""Appending entries to the journal: balance checks, hash chaining, bulk inserts.

Every append first locks the chain head (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), so concurrent writers never fork the chain.
Entries are inserted with executemany and the per-account running totals are upserted once
per batch, which keeps :func:`balance` O(1) whatever the size of the journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, select

from wsis_funding.errors import UnbalancedEntry
from wsis_funding.storage import tables as t
from wsis_funding.ledger.accounts import AccountKind, kind_of
from wsis_funding.ledger.chain import PostingKey, canonical_refs, chained_hash
from wsis_funding.storage.driver import Driver
from wsis_funding.ledger.model import Entry, Posting

__all__ = ["CHAIN", "JournalWriter", "check_balanced", "lock_chain"]

CHAIN = "journal"


def check_balanced(entry: Entry) -> None:
    """Raise :class:`UnbalancedEntry` unless the entry sums to zero per currency and in base."""
    per_currency: dict[str, int] = {}
    base = 0
    for p in entry.postings:
        amount, value = p.amount_minor, p.base_minor
        if type(amount) is not int:
            _require_int(amount, "amount_minor")
        if type(value) is not int:
            _require_int(value, "base_minor")
        per_currency[p.currency] = per_currency.get(p.currency, 0) + amount
        base += value
    if any(per_currency.values()):
        for code, residue in sorted(per_currency.items()):
            if residue:
                raise UnbalancedEntry(entry.memo, code, residue)
    if base:
        raise UnbalancedEntry(entry.memo, "base currency", base)


def _require_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


_LOCK_SQL = {
    "sqlite": f"SELECT seq, hash FROM journal_chain WHERE name = '{CHAIN}'",
    "postgresql": f"SELECT seq, hash FROM journal_chain WHERE name = '{CHAIN}' FOR UPDATE",
}
_INSERT_ENTRIES = (
    "INSERT INTO journal_entries (seq, entry_date, kind, memo, refs, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_POSTINGS = (
    "INSERT INTO journal_postings (entry_seq, line_no, account_id, currency, amount_minor,"
    " base_minor, rate, rate_date, rate_source, pledge_id, entry_date) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ADD_TOTALS = (
    "INSERT INTO account_totals (account_id, currency, amount_minor, base_minor) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, currency) DO UPDATE SET "
    "amount_minor = account_totals.amount_minor + excluded.amount_minor, "
    "base_minor = account_totals.base_minor + excluded.base_minor"
)
_MOVE_HEAD = f"UPDATE journal_chain SET seq = ?, hash = ? WHERE name = '{CHAIN}'"


def lock_chain(conn: Connection, driver: Driver | None = None) -> tuple[int, str]:
    """Lock the chain head for this transaction and return (last seq, last hash).

    ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the transaction's ``BEGIN IMMEDIATE``
    already holds the write lock (SQLite has no ``FOR UPDATE``).
    """
    d = driver if driver is not None else Driver(conn)
    sql = _LOCK_SQL.get(conn.dialect.name)
    if sql is None:  # another engine: let SQLAlchemy render its own locking clause
        row = conn.execute(
            select(t.journal_chain.c.seq, t.journal_chain.c.hash)
            .where(t.journal_chain.c.name == CHAIN)
            .with_for_update()
        ).one()
    else:
        row = d.one(sql)
    return int(row[0]), str(row[1])


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
        self,
        conn: Connection,
        entries: Iterable[Entry],
        head: tuple[int, str] | None = None,
        driver: Driver | None = None,
    ) -> list[Entry]:
        """Check, chain and insert ``entries`` in order; return them with seq and hashes set.

        ``head`` is the (seq, hash) returned by :func:`lock_chain` earlier in the same
        transaction; without it the chain head is locked here. ``driver`` is the transaction's
        :class:`Driver`, if it has one. Raises :class:`UnbalancedEntry` (nothing is written)
        for an entry that does not balance.
        """
        batch = list(entries)
        for e in batch:
            check_balanced(e)
        if not batch:
            return []
        d = driver if driver is not None else Driver(conn)
        seq, prev = head if head is not None else lock_chain(conn, d)
        entry_rows: list[tuple[object, ...]] = []
        posting_rows: list[tuple[object, ...]] = []
        # Rows go straight to the driver's executemany: SQLAlchemy's per-row parameter
        # processing would double the cost of a bulk load. SQLite stores dates as ISO text.
        native_dates = d.native_dates
        totals: dict[tuple[int, str], list[int]] = {}
        done: list[Entry] = []
        known, pending = self._ids, self._pending
        day_text: dict[dt.date, str] = {}
        for e in batch:
            seq += 1
            refs = canonical_refs(e.references)
            on = e.entry_date
            iso = day_text.get(on)
            if iso is None:
                iso = day_text[on] = on.isoformat()
            day = on if native_dates else iso
            keys: list[PostingKey] = []
            for line_no, p in enumerate(e.postings, start=1):
                code = p.account
                account_id = known.get(code) or pending.get(code)
                if account_id is None:
                    account_id = self.account_id(conn, code)
                rate_day = p.rate_date
                rate_iso = None if rate_day is None else rate_day.isoformat()
                amount, value = p.amount_minor, p.base_minor
                keys.append(
                    (code, p.currency, amount, value, p.rate, rate_iso, p.rate_source, p.pledge_id)
                )
                posting_rows.append(
                    (seq, line_no, account_id, p.currency, amount, value, p.rate,
                     rate_day if native_dates else rate_iso, p.rate_source, p.pledge_id, day)
                )  # fmt: skip
                total = totals.get((account_id, p.currency))
                if total is None:
                    totals[(account_id, p.currency)] = [amount, value]
                else:
                    total[0] += amount
                    total[1] += value
            digest = chained_hash(seq, prev, iso, e.kind, e.memo, refs, keys)
            entry_rows.append((seq, day, e.kind, e.memo, refs, prev, digest))
            done.append(_chained(e, seq, prev, digest))
            prev = digest
        d.many(_INSERT_ENTRIES, entry_rows)
        d.many(_INSERT_POSTINGS, posting_rows)
        d.many(_ADD_TOTALS, [(a, c, v[0], v[1]) for (a, c), v in sorted(totals.items())])
        d.run(_MOVE_HEAD, (seq, prev))
        return done


def _chained(e: Entry, seq: int, prev: str, digest: str) -> Entry:
    # attrs.evolve introspects the class on every call, a third of a bulk load's Python time;
    # the constructor with every field named is the same value. A field added to Entry must
    # be added here too (tests/unit/test_journal_fast_paths.py checks that none is missed).
    return Entry(
        entry_date=e.entry_date,
        kind=e.kind,
        memo=e.memo,
        postings=e.postings,
        references=e.references,
        seq=seq,
        prev_hash=prev,
        hash=digest,
    )
