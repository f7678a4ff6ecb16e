"""The running totals and the chain head that a transaction moves, written once, when needed.

Every entry moves the chain head and adds to the running totals of its accounts. Written at
each append, the same few rows (the head, the bank account's totals) are updated once per use
case, and PostgreSQL keeps every version of a row that an open transaction updated, each in
its own savepoint: each update then walks all the earlier ones. Of ten thousand payments in
one transaction, the first thousand took 4.5 s and the last thousand 30 s.

So a unit of work keeps what its entries add (:class:`RunningTotals`) and writes each total
and the head once: before the transaction commits, and before anything reads them
(:meth:`UnitOfWork.flush <wsis_funding.storage.unit_of_work.UnitOfWork.flush>`). A savepoint
marks where it began (:meth:`RunningTotals.mark`); rolling it back goes back to that mark,
written figures included, as the database does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from sqlalchemy import Connection, bindparam, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from wsis_funding.money.errors import InvalidAmount
from wsis_funding.storage import tables as t
from wsis_funding.storage.driver import Driver
from wsis_funding.storage.statements import Statement

__all__ = ["MOVE_HEAD", "RunningTotals", "Totals"]

_LOW: Final = -(2**63)
_HIGH: Final = 2**63 - 1

Key = tuple[int, str]
"""An account id and a currency."""
Totals = tuple[int, int]
"""A running total: amount and base amount, in minor units."""


def _add_totals(dialect: str) -> object:
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = maker(t.account_totals).values(
        {c: bindparam(c) for c in ("account_id", "currency", "amount_minor", "base_minor")}
    )
    return stmt.on_conflict_do_update(
        index_elements=[t.account_totals.c.account_id, t.account_totals.c.currency],
        set_={
            "amount_minor": t.account_totals.c.amount_minor + stmt.excluded.amount_minor,
            "base_minor": t.account_totals.c.base_minor + stmt.excluded.base_minor,
        },
    )


_ADD_TOTALS: Final = Statement(
    "add to account totals",
    _add_totals,  # type: ignore[arg-type]
    order=("account_id", "currency", "amount_minor", "base_minor"),
)
MOVE_HEAD: Final = Statement(
    "move chain head",
    lambda _: (
        update(t.journal_chain)
        .where(t.journal_chain.c.name == bindparam("name"))
        .values(seq=bindparam("b_seq"), hash=bindparam("b_hash"))
    ),
    order=("b_seq", "b_hash", "name"),
)


def _out_of_range(exc: BaseException) -> bool:
    """Whether a driver error is a running total leaving the 64-bit range.

    PostgreSQL raises numeric_value_out_of_range (SQLSTATE 22003); on SQLite, which would turn
    the total into a float, a trigger of migration 0006 aborts with a message of ours.
    """
    return getattr(exc, "sqlstate", None) == "22003" or "running total out of range" in str(exc)


def _too_large() -> InvalidAmount:
    return InvalidAmount(
        "running total", "an account's running total would not fit the books (64-bit)"
    )


class RunningTotals:
    """What one transaction's entries added to the accounts' running totals, not yet written.

    ``pending[key]`` is what was added since the last flush. Inside a savepoint (a use case
    of a larger transaction) each total is also checked to stay within 64 bits, so that the
    use case that would overflow it fails alone: ``known[key]`` is then the total as the
    database holds it in this transaction, read the first time it is needed. Outside one,
    the database refuses the overflow when the totals are written (PostgreSQL's bigint, a
    trigger on SQLite), which fails the transaction, and nothing is read beforehand. What a
    savepoint changes is logged while it is open, so that rolling it back restores it.
    """

    __slots__ = ("_open", "_undo", "known", "pending")

    def __init__(self) -> None:
        """Start with nothing added."""
        self.pending: dict[Key, Totals] = {}
        self.known: dict[Key, Totals] = {}
        # (key, pending before, known before), None for absent; kept only while a savepoint
        # is open (_open of them): nothing else can be rolled back in part.
        self._undo: list[tuple[Key, Totals | None, Totals | None]] = []
        self._open = 0

    def add(self, conn: Connection, amounts: Mapping[Key, Totals]) -> None:
        """Add a batch's totals by account and currency.

        Inside a savepoint, raise :class:`InvalidAmount` (changing nothing) when a total
        would leave 64 bits.
        """
        pending, undo = self.pending, self._undo
        if self._open:
            missing = [key for key in amounts if key not in self.known]
            if missing:
                self._load(conn, missing)
            for key, (amount, base) in amounts.items():
                stored, added = self.known[key], pending.get(key, (0, 0))
                total, total_base = stored[0] + added[0] + amount, stored[1] + added[1] + base
                if not (_LOW <= total <= _HIGH and _LOW <= total_base <= _HIGH):
                    raise _too_large()
        for key, (amount, base) in amounts.items():
            was = pending.get(key)
            if self._open:
                undo.append((key, was, self.known.get(key)))
            pending[key] = (amount, base) if was is None else (was[0] + amount, was[1] + base)

    def _load(self, conn: Connection, keys: list[Key]) -> None:
        c = t.account_totals.c
        stored: dict[Key, Totals] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            query = select(c.account_id, c.currency, c.amount_minor, c.base_minor).where(
                tuple_(c.account_id, c.currency).in_(part)
            )
            for account_id, currency, amount, base in conn.execute(query):
                stored[(int(account_id), str(currency))] = (int(amount), int(base))
        for key in keys:
            self._undo.append((key, self.pending.get(key), None))
            self.known[key] = stored.get(key, (0, 0))

    def flush(self, driver: Driver) -> None:
        """Write what was added since the last flush (one upsert per account and currency)."""
        if not self.pending:
            return
        rows = [(k[0], k[1], a, b) for k, (a, b) in sorted(self.pending.items()) if a or b]
        try:
            driver.many(_ADD_TOTALS, rows)
        except driver.errors as exc:
            if not _out_of_range(exc):
                raise
            raise _too_large() from None
        known = self.known
        for key, (amount, base) in self.pending.items():
            stored = known.get(key)
            if self._open:
                self._undo.append((key, (amount, base), stored))
            if stored is not None:
                known[key] = (stored[0] + amount, stored[1] + base)
        self.pending.clear()

    def mark(self) -> int:
        """Begin a savepoint: return the mark to go back to if it is rolled back.

        Every mark is ended by :meth:`release` or :meth:`rollback_to`, innermost first.
        """
        self._open += 1
        return len(self._undo)

    def release(self) -> None:
        """End the innermost savepoint, kept (the outer ones may still be rolled back)."""
        self._open -= 1
        if not self._open:
            self._undo.clear()

    def rollback_to(self, mark: int) -> None:
        """End the innermost savepoint, rolled back: what was added and written since is undone."""
        self._open -= 1
        undo, pending, known = self._undo, self.pending, self.known
        while len(undo) > mark:
            key, was_pending, was_known = undo.pop()
            if was_pending is None:
                pending.pop(key, None)
            else:
                pending[key] = was_pending
            if was_known is None:
                known.pop(key, None)
            else:
                known[key] = was_known
