"""Appending entries to the journal: hash chaining, bulk inserts, running totals, account ids.

Every append happens after the unit of work locked the chain head (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so concurrent writers
never fork the chain. Entries are inserted with executemany; the per-account running totals,
which keep a balance O(1) whatever the size of the journal, and the chain head are written by
the unit of work once it has appended (see :mod:`.running_totals`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, insert, select

from wsis_funding.ledger.accounts import AccountKind, kind_of
from wsis_funding.ledger.chain import PostingKey, canonical_refs, chained_hash
from wsis_funding.ledger.entries import check_balanced
from wsis_funding.ledger.model import Entry
from wsis_funding.money.errors import InvalidAmount
from wsis_funding.storage import tables as t
from wsis_funding.storage.driver import Driver
from wsis_funding.storage.running_totals import RunningTotals
from wsis_funding.storage.statements import Statement

__all__ = ["CHAIN", "JournalWriter", "lock_chain", "read_head"]

CHAIN = "journal"

_LOCK = Statement(
    "lock chain head",
    lambda _: (
        select(t.journal_chain.c.seq, t.journal_chain.c.hash)
        .where(t.journal_chain.c.name == bindparam("name"))
        .with_for_update()
    ),
    order=("name",),
)
_ENTRY_COLUMNS = ("seq", "entry_date", "kind", "memo", "refs", "prev_hash", "hash")
_INSERT_ENTRY = Statement(
    "insert journal entry",
    lambda _: insert(t.journal_entries).values({c: bindparam(c) for c in _ENTRY_COLUMNS}),
    order=_ENTRY_COLUMNS,
)
_POSTING_COLUMNS = (
    "entry_seq",
    "line_no",
    "account_id",
    "currency",
    "amount_minor",
    "base_minor",
    "rate",
    "rate_date",
    "rate_source",
    "pledge_id",
    "entry_date",
)
_INSERT_POSTING = Statement(
    "insert journal posting",
    lambda _: insert(t.journal_postings).values({c: bindparam(c) for c in _POSTING_COLUMNS}),
    order=_POSTING_COLUMNS,
)


_LOW, _HIGH = -(2**63), 2**63 - 1


def lock_chain(driver: Driver) -> tuple[int, str]:
    """Lock the chain head for this transaction and return (last seq, last hash).

    ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the transaction's ``BEGIN IMMEDIATE``
    already holds the write lock (SQLite has no ``FOR UPDATE``; the compiler leaves it out).
    """
    row = driver.one(_LOCK, (CHAIN,))
    return int(row[0]), str(row[1])


def read_head(conn: Connection) -> tuple[int, str]:
    """Return the chain head as the books hold it (last seq, last hash), without locking."""
    c = t.journal_chain.c
    row = conn.execute(select(c.seq, c.hash).where(c.name == CHAIN)).one()
    return int(row[0]), str(row[1])


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

    def pending(self) -> dict[str, int]:
        """Return a copy of the account ids learnt in the open transaction (for a savepoint)."""
        return dict(self._pending)

    def restore(self, pending: dict[str, int]) -> None:
        """Forget the account ids learnt since :meth:`pending` returned ``pending``."""
        self._pending = dict(pending)

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

    def account_ids(self, conn: Connection, codes: Iterable[str]) -> None:
        """Learn the ids of many accounts at once, creating the missing ones in one statement.

        A bulk append (an import of thousands of pledges, each partner's receivable new) would
        otherwise look each account up, and create it, one round trip at a time. Raises
        :class:`UnknownAccount` for a malformed code.
        """
        wanted = sorted(set(codes) - self._ids.keys() - self._pending.keys())
        kinds = {code: kind_of(code) for code in wanted}
        c = t.accounts.c
        found: dict[str, int] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            found.update(
                (str(code), int(i))
                for code, i in conn.execute(select(c.code, c.id).where(c.code.in_(part)))
            )
        new = [code for code in wanted if code not in found]
        if new:
            editions = {
                str(code): int(i)
                for code, i in conn.execute(select(t.editions.c.code, t.editions.c.id))
            }
            rows = []
            for code in new:
                kind, rest = kinds[code], code.partition(":")[2]
                partner = (
                    int(rest) if kind in (AccountKind.RECEIVABLE, AccountKind.UNAPPLIED) else None
                )
                edition = (
                    editions.get(rest)
                    if kind in (AccountKind.REVENUE, AccountKind.PSC_CHARGE)
                    else None
                )
                rows.append(
                    {"code": code, "kind": kind.value, "partner_id": partner, "edition_id": edition}
                )
            conn.execute(t.accounts.insert(), rows)
            for chunk in range(0, len(new), 500):
                part = new[chunk : chunk + 500]
                found.update(
                    (str(code), int(i))
                    for code, i in conn.execute(select(c.code, c.id).where(c.code.in_(part)))
                )
        self._pending.update(found)

    def append(
        self,
        conn: Connection,
        driver: Driver,
        entries: Iterable[Entry],
        head: tuple[int, str],
        running: RunningTotals,
        base: str | None = None,
        key: bytes | None = None,
    ) -> list[Entry]:
        """Check, chain and insert ``entries`` in order; return them with seq and hashes set.

        ``head`` is the (seq, hash) that :func:`lock_chain` returned earlier in the same
        transaction (or the last entry appended since); the caller keeps the new head and
        writes it (:data:`~wsis_funding.storage.running_totals.MOVE_HEAD`). What the entries
        add to the accounts' running totals goes to ``running``, which writes it later.
        ``base`` is the books' base currency; ``key`` the chain key (None: an unkeyed chain,
        plain sha256). Raises :class:`UnbalancedEntry` (nothing is written) for an entry that
        does not balance, and :class:`InvalidAmount` for a running total past 64 bits.
        """
        batch = list(entries)
        for e in batch:
            check_balanced(e, base)
        if not batch:
            return []
        seq, prev = head
        entry_rows: list[tuple[object, ...]] = []
        posting_rows: list[tuple[object, ...]] = []
        # Rows go straight to the driver's executemany as tuples in the statements' bind
        # order: building a mapping per row would cost a fifth of a bulk load.
        native_dates = driver.native_dates
        totals: dict[tuple[int, str], list[int]] = {}
        done: list[Entry] = []
        known, pending = self._ids, self._pending
        unknown = {p.account for e in batch for p in e.postings} - known.keys() - pending.keys()
        if len(unknown) > 1:
            self.account_ids(conn, unknown)
        day_text: dict[dt.date, str] = {}
        rate_text: dict[object, tuple[str, str, str]] = {}
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
                amount, value = p.amount_minor, p.base_minor
                if not (_LOW <= amount <= _HIGH and _LOW <= value <= _HIGH):
                    raise InvalidAmount(
                        amount if not _LOW <= amount <= _HIGH else value,
                        f"a posting of entry {e.memo!r} does not fit the books (64 bits)",
                    )
                rate = p.rate
                if rate is None:
                    r_text = r_day = r_source = None
                    r_stored: object = None
                else:
                    cached = rate_text.get(rate)
                    if cached is None:
                        cached = rate_text[rate] = (
                            rate.text,
                            rate.effective.isoformat(),
                            rate.source,
                        )
                    r_text, r_day, r_source = cached
                    r_stored = rate.effective if native_dates else r_day
                keys.append((code, p.currency, amount, value, r_text, r_day, r_source, p.pledge_id))
                posting_rows.append(
                    (seq, line_no, account_id, p.currency, amount, value, r_text, r_stored,
                     r_source, p.pledge_id, day)
                )  # fmt: skip
                total = totals.get((account_id, p.currency))
                if total is None:
                    totals[(account_id, p.currency)] = [amount, value]
                else:
                    total[0] += amount
                    total[1] += value
            digest = chained_hash(seq, prev, iso, e.kind, e.memo, refs, keys, key)
            entry_rows.append((seq, day, e.kind, e.memo, refs, prev, digest))
            done.append(_chained(e, seq, prev, digest))
            prev = digest
        # Tuples in each statement's declared order (checked when it is compiled).
        driver.many(_INSERT_ENTRY, entry_rows)
        driver.many(_INSERT_POSTING, posting_rows)
        running.add(conn, {account: (v[0], v[1]) for account, v in totals.items()})
        return done


def _chained(e: Entry, seq: int, prev: str, digest: str) -> Entry:
    # attrs.evolve introspects the class on every call, a third of a bulk load's Python time;
    # the constructor with every field named is the same value. A field added to Entry must
    # be added here too (tests/unit/ledger/test_journal_fast_paths.py checks none is missed).
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
