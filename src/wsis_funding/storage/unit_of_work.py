"""One use case, one transaction: the unit of work shared by the service modules.

Every writing use case starts by locking the journal's chain head, which serialises writers
on PostgreSQL (``FOR UPDATE``) as ``BEGIN IMMEDIATE`` does on SQLite; so reads made after it
see every committed payment, and the chain never forks.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from wsis_funding.storage.driver import Driver
from wsis_funding.storage.journal import JournalWriter, lock_chain
from wsis_funding.ledger.model import Entry

__all__ = ["Tx"]


class Tx:
    """The open transaction of one use case: its connection, journal writer and base currency."""

    def __init__(self, conn: Connection, writer: JournalWriter, base: str, *, lock: bool) -> None:
        """Wrap ``conn``; with ``lock`` the chain head is locked now, before any read."""
        self.conn = conn
        self.writer = writer
        self.base = base
        self._driver: Driver | None = None
        self._head = lock_chain(conn, self.driver) if lock else None

    @property
    def driver(self) -> Driver:
        """The driver cursor of this transaction's connection, for the hot statements."""
        if self._driver is None:
            self._driver = Driver(self.conn)
        return self._driver

    def post(self, entries: Sequence[Entry]) -> list[Entry]:
        """Append balanced entries to the journal in this transaction; raise UnbalancedEntry."""
        if self._head is None:
            self._head = lock_chain(self.conn, self.driver)
        done = self.writer.append(self.conn, entries, head=self._head, driver=self.driver)
        if done:
            last = done[-1]
            assert last.seq is not None
            assert last.hash is not None
            self._head = (last.seq, last.hash)
        return done
