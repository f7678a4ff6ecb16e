"""The unit of work: one open transaction on the books and the repositories that work in it.

Use cases are functions of a :class:`UnitOfWork` and plain values; they see repositories,
never columns (cosmicpython's ``unit_of_work.py``). A writing unit of work locks the journal's
chain head when it begins, before any read, which serialises writers on PostgreSQL
(``FOR UPDATE``) as ``BEGIN IMMEDIATE`` does on SQLite: reads made after it see every committed
payment, and the chain never forks. :class:`Store` opens units of work on an engine.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Connection, Engine

from wsis_funding.documents.errors import IssuerNotConfigured
from wsis_funding.documents.model import Issuer
from wsis_funding.ledger.chain import key_fingerprint
from wsis_funding.ledger.model import Entry
from wsis_funding.storage.balances import Balances
from wsis_funding.storage.banking import Bank
from wsis_funding.storage.batches import Batches
from wsis_funding.storage.bulk import Bulk
from wsis_funding.storage.chainkey import (
    CHAIN_KEY_SETTING,
    ChainKeyInput,
    Keying,
    declaration_entry,
    read_chain_key,
)
from wsis_funding.storage.documents import Documents
from wsis_funding.storage.driver import Driver
from wsis_funding.storage.engine import READ_ONLY
from wsis_funding.storage.errors import ChainKeyMismatch, ChainKeyRequired
from wsis_funding.storage.journal import CHAIN, JournalWriter, lock_chain, read_head
from wsis_funding.storage.payers import Payers
from wsis_funding.storage.payments import Payments
from wsis_funding.storage.pledges import Pledges
from wsis_funding.storage.reference import Editions, Partners, Rates, Settings
from wsis_funding.storage.reports import ReportReads
from wsis_funding.storage.running_totals import MOVE_HEAD, RunningTotals

__all__ = ["BASE_CURRENCY_KEY", "Store", "UnitOfWork", "open_store"]

T = TypeVar("T")


class UnitOfWork:
    """An open transaction of the books, with its repositories.

    ``writes`` is False for a read-only unit of work (no lock, nothing may be written).
    ``issuer`` is the books' issuer settings, which documents copy in (None: documents cannot
    be issued).
    """

    def __init__(
        self,
        conn: Connection,
        writer: JournalWriter,
        base: str,
        *,
        writes: bool,
        issuer: Issuer | None = None,
        keying: Keying | None = None,
    ) -> None:
        """Work in the begun transaction of ``conn``; a writing one locks the chain head now.

        ``keying`` says whether the chain is keyed and holds the key given. Raises
        :class:`ChainKeyRequired` for a writing unit of work on keyed books opened without
        their key.
        """
        self.conn = conn
        self.base = base
        self.writes = writes
        self.keying = keying or Keying()
        if writes and self.keying.locked:
            assert self.keying.fingerprint is not None
            raise ChainKeyRequired(self.keying.fingerprint)
        self._issuer = issuer
        self.driver = Driver(conn)
        self._writer = writer
        self._head = lock_chain(self.driver) if writes else None
        # The head as written in the database; it and the running totals are written by
        # flush() (see storage/running_totals.py).
        self._head_written = self._head
        self._totals = RunningTotals()

    # Repositories are made on first use: a payment needs only four of them.

    @functools.cached_property
    def partners(self) -> Partners:
        """The partners repository."""
        return Partners(self)

    @functools.cached_property
    def editions(self) -> Editions:
        """The editions repository."""
        return Editions(self)

    @functools.cached_property
    def rates(self) -> Rates:
        """The exchange rates repository."""
        return Rates(self)

    @functools.cached_property
    def settings(self) -> Settings:
        """The books' settings."""
        return Settings(self)

    @functools.cached_property
    def pledges(self) -> Pledges:
        """The pledges repository."""
        return Pledges(self)

    @functools.cached_property
    def payments(self) -> Payments:
        """The payments repository."""
        return Payments(self)

    @functools.cached_property
    def balances(self) -> Balances:
        """Balances and movements read from the journal."""
        return Balances(self)

    @functools.cached_property
    def documents(self) -> Documents:
        """The documents repository."""
        return Documents(self)

    @functools.cached_property
    def bank(self) -> Bank:
        """The bank statements repository: files, statements, entries and lines."""
        return Bank(self)

    @functools.cached_property
    def payers(self) -> Payers:
        """The repository of partners' payer IBANs and aliases."""
        return Payers(self)

    @functools.cached_property
    def bulk(self) -> Bulk:
        """Bulk writes and whole-edition look-ups for imports."""
        return Bulk(self)

    @functools.cached_property
    def batches(self) -> Batches:
        """The queries batch runs plan with."""
        return Batches(self)

    @functools.cached_property
    def reports(self) -> ReportReads:
        """What reports read: an edition's receipts and movements, the journal streamed."""
        return ReportReads(self)

    @property
    def configured_issuer(self) -> Issuer | None:
        """The issuer settings if the books have some, else None (a report prints without)."""
        return self._issuer

    @property
    def issuer(self) -> Issuer:
        """The issuer settings documents are issued with; raise :class:`IssuerNotConfigured`."""
        if self._issuer is None:
            raise IssuerNotConfigured()
        return self._issuer

    def post(self, entries: Sequence[Entry]) -> list[Entry]:
        """Append balanced entries to the journal in this transaction; raise UnbalancedEntry.

        Returns the entries with their sequence numbers and hashes.
        """
        return self._append(entries, self.keying.key)

    def _append(self, entries: Sequence[Entry], key: bytes | None) -> list[Entry]:
        if self._head is None:
            self._head = self._head_written = lock_chain(self.driver)
        done = self._writer.append(
            self.conn, self.driver, entries, self._head, self._totals, self.base, key
        )
        if done:
            last = done[-1]
            assert last.seq is not None
            assert last.hash is not None
            self._head = (last.seq, last.hash)
        return done

    def flush(self) -> None:
        """Write the chain head and the running totals that this transaction has moved.

        Done before the transaction commits, and by whatever reads them with SQL in it (a
        balance, verify). Raises :class:`~wsis_funding.money.errors.InvalidAmount` for a
        total past 64 bits (inside a savepoint, :meth:`post` has refused it already).
        """
        self._totals.flush(self.driver)
        if self._head is not None and self._head != self._head_written:
            self.driver.run(MOVE_HEAD, (*self._head, CHAIN))
            self._head_written = self._head

    def head(self) -> tuple[int, str]:
        """Return the chain head (last seq, last hash).

        As locked and moved by this unit of work when it writes, else as the books hold it.
        """
        if self._head is not None:
            return self._head
        return read_head(self.conn)

    def declare_chain_key(self, key: bytes, on: dt.date) -> Keying:
        """Key the hash chain from a new declaration entry dated ``on``; return the keying.

        The declaration (no postings, naming the key's fingerprint) is the first entry hashed
        with ``key``; the books keep the fingerprint and its sequence number, never the key.
        Raises :class:`ChainKeyMismatch` if the chain is keyed already.
        """
        if self.keying.fingerprint is not None:
            raise ChainKeyMismatch(
                self.keying.fingerprint,
                key_fingerprint(key),
                f"these books are keyed already (key fingerprint {self.keying.fingerprint[:16]}"
                f", from entry {self.keying.keyed_from}); a chain has one key",
            )
        fingerprint = key_fingerprint(key)
        entry = self._append([declaration_entry(fingerprint, on)], key)[0]
        assert entry.seq is not None
        keying = Keying(key=key, fingerprint=fingerprint, keyed_from=entry.seq)
        self.settings.put(CHAIN_KEY_SETTING, keying.setting())
        self.keying = keying
        return keying

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run the block all-or-nothing inside this transaction (a SAVEPOINT).

        If the block raises, what it wrote is rolled back (the chain head and the cache of
        account ids with it) and the error propagates; the transaction stays usable.
        """
        head, written, pending = self._head, self._head_written, self._writer.pending()
        nested = self.conn.begin_nested()
        mark = self._totals.mark()
        try:
            yield
        except BaseException:
            nested.rollback()
            self._head, self._head_written = head, written
            self._totals.rollback_to(mark)
            self._writer.restore(pending)
            raise
        nested.commit()
        self._totals.release()


class Store:
    """The books' engine and base currency: opens units of work, one transaction each."""

    def __init__(self, engine: Engine, base_currency: str, issuer: Issuer | None = None) -> None:
        """Wrap an engine whose schema is up to date (see :func:`open_store`)."""
        self.engine = engine
        self.base_currency = base_currency
        self.issuer = issuer
        self.keying = Keying()
        """Whether the chain is keyed, and the key given (see :mod:`.chainkey`)."""
        self._writer = JournalWriter()
        self._local = threading.local()
        self._held: list[Connection] = []
        self._held_lock = threading.Lock()

    def _connection(self, *, writes: bool) -> Connection:
        """Return this thread's connection, set to begin a writing or a reading transaction.

        Each thread keeps one connection between use cases: checking one out of the pool and
        back costs more than a short transaction. A process forked from this one makes its
        own (a connection must never be shared between processes).
        """
        held = getattr(self._local, "held", None)
        if held is None or held[0] != os.getpid() or held[1].closed or held[1].invalidated:
            conn = self.engine.connect()
            with self._held_lock:
                self._held.append(conn)
            held = self._local.held = (os.getpid(), conn)
        conn = held[1]
        if conn.get_execution_options().get(READ_ONLY, False) == writes:
            conn.execution_options(**{READ_ONLY: not writes})
        return conn

    def run(self, work: Callable[[UnitOfWork], T], *, writes: bool) -> T:
        """Run ``work`` in a unit of work of its own; commit if it returns, roll back if not.

        What :meth:`unit_of_work` does, without a generator: this is every use case's path.
        """
        try:
            conn = self._connection(writes=writes)
            with conn.begin():
                uow = self._begun(conn, writes)
                result = work(uow)
                uow.flush()
        except BaseException:
            self._writer.rolled_back()
            raise
        self._writer.committed()
        self.keying = uow.keying
        return result

    def _begun(self, conn: Connection, writes: bool) -> UnitOfWork:
        return UnitOfWork(
            conn,
            self._writer,
            self.base_currency,
            writes=writes,
            issuer=self.issuer,
            keying=self.keying,
        )

    @contextmanager
    def unit_of_work(self, *, writes: bool) -> Iterator[UnitOfWork]:
        """Begin a transaction and yield its unit of work; commit if the block completes.

        A read-only unit of work (``writes=False``) begins a plain transaction (DEFERRED on
        SQLite), takes no lock and never blocks a writer.
        """
        try:
            conn = self._connection(writes=writes)
            with conn.begin():
                uow = self._begun(conn, writes)
                yield uow
                uow.flush()
        except BaseException:
            self._writer.rolled_back()
            raise
        self._writer.committed()
        self.keying = uow.keying

    def close(self) -> None:
        """Release the database connections (every thread's)."""
        with self._held_lock:
            held, self._held = self._held, []
        for conn in held:
            if not conn.closed:
                conn.close()
        self.engine.dispose()


BASE_CURRENCY_KEY = "base_currency"


def open_store(
    url: str,
    *,
    base_currency: str | None = None,
    issuer: Issuer | None = None,
    create: bool = True,
    chain_key: ChainKeyInput | None = None,
) -> Store:
    """Open the books at ``url``, creating (unless ``create`` is False) or upgrading the schema.

    The books' base currency is the one stored when they were created: ``base_currency`` is
    stored then (None: CHF), and for existing books it may be omitted, or must be the stored
    one. With ``create`` False, books that do not exist are refused and nothing is created.
    ``chain_key`` (bytes, text, or a key file's path; see :mod:`.chainkey`) keys the hash
    chain of books created now, and must be the declared key of keyed books. Raises
    ``TypeError`` for a URL that is not a str, :class:`InvalidDatabaseUrl`,
    :class:`BooksNotFound` (``create`` False), :class:`BooksUnavailable` if the database
    cannot be reached or opened, ``CurrencyMismatch`` naming both currencies if existing
    books keep another base currency, :class:`InvalidChainKey` and :class:`ChainKeyMismatch`.
    """
    from wsis_funding.money.errors import CurrencyMismatch
    from wsis_funding.storage.engine import database_errors, open_engine, redact
    from wsis_funding.storage.errors import BooksNotFound

    key = None if chain_key is None else read_chain_key(chain_key)
    engine = open_engine(url, create=create)
    # The base currency is known once read; the store is only used to read it until then.
    store = Store(engine, base_currency or "CHF", issuer)
    try:
        with database_errors(url):
            with store.unit_of_work(writes=False) as uow:
                stored = uow.settings.get(BASE_CURRENCY_KEY)
                keyed = uow.settings.get(CHAIN_KEY_SETTING)
            if stored is None and not create:
                raise BooksNotFound(redact(url), "the books were never completely created")
            if stored is None:
                with store.unit_of_work(writes=True) as uow:
                    stored = uow.settings.get(BASE_CURRENCY_KEY)
                    keyed = uow.settings.get(CHAIN_KEY_SETTING)
                    if stored is None:
                        stored = base_currency or "CHF"
                        uow.settings.put(BASE_CURRENCY_KEY, stored)
                        if key is not None:
                            uow.declare_chain_key(key, dt.date.today())
                            keyed = uow.keying.setting()
            store.keying = Keying.of_books(keyed, key)
        if base_currency is not None and stored != base_currency:
            raise CurrencyMismatch(stored, base_currency, "base currency of these books")
    except BaseException:
        store.close()
        raise
    store.base_currency = stored
    return store
