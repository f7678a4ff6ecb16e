"""The Tracker: the books' facade, whose methods are the use cases, one transaction each.

``open_tracker(url)`` opens (and creates or upgrades) the books at any SQLAlchemy URL:
``sqlite:///books.db`` embedded, ``postgresql+psycopg://...`` in production. Each method
either completes or leaves the database exactly as it was. ``tracker.transaction()`` runs
several use cases all-or-nothing::

    with tracker.transaction() as books:
        for row in rows:
            books.create_pledge(...)

Inside it, call the use cases on ``books``: each runs in a savepoint (a failed one leaves the
transaction as it was before the call, and its error propagates), and everything commits when
the block ends, or nothing if it raises. Calling the tracker itself, or opening a second
transaction, in the same thread meanwhile raises :class:`TransactionInProgress`: it would need
a second connection that waits for the first one's lock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from wsis_funding.documents.model import Issuer
from wsis_funding.money import minor_unit_exponent
from wsis_funding.services import bank_import as bank_in
from wsis_funding.services import bank_queue as bank_waiting
from wsis_funding.services import bank_report as bank_rec
from wsis_funding.services import (
    batch,
    credit,
    credit_notes,
    exports,
    funding,
    journal,
    journal_export,
    letters,
    payments,
    pledges,
    queries,
    reference,
    reminders,
    report_files,
    roster,
    spreadsheets,
)
from wsis_funding.services import documents as docs
from wsis_funding.services import rates as rate_rules
from wsis_funding.services import statement as statements
from wsis_funding.services.errors import TransactionInProgress
from wsis_funding.services.revenue import revenue_report
from wsis_funding.services.usecase import UseCase, UseCases
from wsis_funding.storage.chainkey import ChainKeyInput
from wsis_funding.storage.unit_of_work import Store, UnitOfWork, open_store

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["Books", "Tracker", "Transaction", "open_tracker"]

R = TypeVar("R")


def open_tracker(
    url: str,
    *,
    base_currency: str | None = None,
    issuer: Issuer | None = None,
    create: bool = True,
    chain_key: ChainKeyInput | None = None,
) -> Tracker:
    """Open the books at ``url``, creating (unless ``create`` is False) or upgrading the schema.

    ``url`` is ``sqlite:///PATH`` or ``postgresql+psycopg://USER:PASSWORD@HOST/DATABASE``.
    ``base_currency`` is the books' functional currency, fixed when the books are created
    (None: CHF); for existing books the stored one is the answer, and passing another is an
    error. ``issuer`` (see :func:`wsis_funding.load_issuer`) is needed to issue documents.
    With ``create=False`` books that do not exist are refused and nothing is created (no
    SQLite file is made): what a reader wants. Raises :class:`UnknownCurrency` for a bad code,
    :class:`CurrencyMismatch` naming both currencies if existing books keep another base
    currency, :class:`InvalidDatabaseUrl` for a URL that is malformed or not SQLite or
    PostgreSQL, :class:`BooksNotFound` (``create=False``), :class:`BooksUnavailable` if the
    database cannot be reached or opened (unreachable server, wrong password, database missing
    on the server), and ``TypeError`` for a URL that is not a str. No message shows the
    password.

    ``chain_key`` (the key's bytes, its text, or the path of a file holding it; at least 16
    bytes, kept outside the database) makes the hash chain an HMAC chain, so that rewriting
    history needs the key. Given when the books are created, it keys them from their first
    entry and the books keep its fingerprint, never the key. Books created without a key
    refuse one (:class:`ChainKeyMismatch`; key them on purpose with
    :meth:`declare_chain_key`); keyed books refuse another key (:class:`ChainKeyMismatch`)
    and, opened without it, can be read and verified but not changed
    (:class:`ChainKeyRequired`). Raises :class:`InvalidChainKey` for a key too short or a
    key file that cannot be read.
    """
    if not isinstance(create, bool):
        raise TypeError(f"create must be True or False, not {create!r}")
    if base_currency is not None:
        minor_unit_exponent(base_currency)
    return Tracker(
        open_store(
            url, base_currency=base_currency, issuer=issuer, create=create, chain_key=chain_key
        )
    )


class Books(UseCases):
    """Every use case of the books as a method; :class:`Tracker`, :class:`Transaction` run them."""

    # Reference data
    add_partner = UseCase(reference.add_partner, writes=True)
    partner = UseCase(reference.get_partner, writes=False)
    update_partner = UseCase(reference.update_partner, writes=True)
    partner_history = UseCase(reference.partner_history, writes=False)
    partner_by_short_name = UseCase(reference.partner_by_short_name, writes=False)
    partners = UseCase(reference.partners, writes=False)
    partner_payments = UseCase(reference.partner_payments, writes=False)
    partner_documents = UseCase(reference.partner_documents, writes=False)
    add_edition = UseCase(reference.add_edition, writes=True)
    add_rates = UseCase(reference.add_rates, writes=True)
    set_funding_target = UseCase(funding.set_funding_target, writes=True)
    set_max_rate_age = UseCase(rate_rules.set_max_rate_age, writes=True)
    # Spreadsheets in and out
    import_partners = UseCase(spreadsheets.import_partners, writes=True)
    import_pledges = UseCase(spreadsheets.import_pledges, writes=True)
    import_rates = UseCase(spreadsheets.import_rates, writes=True)
    export_partners = UseCase(exports.export_partners, writes=False)
    export_pledges = UseCase(exports.export_pledges, writes=False)
    export_rates = UseCase(exports.export_rates, writes=False)
    # Pledges
    create_pledge = UseCase(pledges.create_pledge, writes=True)
    pledge = UseCase(pledges.get_pledge, writes=False)
    partner_pledges = UseCase(pledges.partner_pledges, writes=False)
    confirm = UseCase(pledges.confirm_pledge, writes=True)
    amend = UseCase(pledges.amend_pledge, writes=True)
    cancel = UseCase(pledges.cancel_pledge, writes=True)
    write_off = UseCase(pledges.write_off_pledge, writes=True)
    # Payments
    record_payment = UseCase(payments.record_payment, writes=True)
    apply_credit = UseCase(credit.apply_credit, writes=True)
    post_entries = UseCase(journal.post_entries, writes=True)
    # Reports
    standing = UseCase(queries.partner_standing, writes=False)
    balance = UseCase(queries.account_balance, writes=False)
    statement = UseCase(statements.partner_statement, writes=False)
    receivables = UseCase(queries.receivables_report, writes=False)
    revenue = UseCase(revenue_report, writes=False)
    verify = UseCase(journal.verify, writes=False)
    head = UseCase(journal.chain_head, writes=False)
    declare_chain_key = UseCase(journal.declare_chain_key, writes=True)
    roster = UseCase(roster.tier_roster, writes=False)
    funding = UseCase(funding.funding_report, writes=False)
    journal_lines = UseCase(journal_export.journal_lines, writes=False)
    # Report files
    statement_file = UseCase(report_files.statement_file, writes=False)
    ageing_file = UseCase(report_files.ageing_file, writes=False)
    revenue_file = UseCase(report_files.revenue_file, writes=False)
    roster_file = UseCase(report_files.roster_file, writes=False)
    funding_file = UseCase(report_files.funding_file, writes=False)
    write_journal = UseCase(journal_export.write_journal, writes=False)
    # Documents
    issue_invoice = UseCase(docs.issue_invoice, writes=True, prepare=docs.prepare_invoice)
    credit_invoice = UseCase(
        credit_notes.credit_invoice, writes=True, prepare=credit_notes.prepare_credit_invoice
    )
    cancel_invoice = UseCase(
        credit_notes.cancel_invoice, writes=True, prepare=credit_notes.prepare_cancel_invoice
    )
    acknowledge = UseCase(letters.acknowledge, writes=True, prepare=letters.prepare_acknowledge)
    issue_reminder = UseCase(
        reminders.issue_reminder, writes=True, prepare=reminders.prepare_reminder
    )
    document = UseCase(docs.get_document, writes=False)
    documents = UseCase(docs.pledge_documents, writes=False)
    match_reference = UseCase(docs.match_reference, writes=False)
    invoice_balance = UseCase(docs.invoice_balance, writes=False)
    render_pdf = UseCase(docs.render_pdf, writes=False)
    # Bank statements
    import_statement = UseCase(bank_in.import_statement, writes=True)
    import_statements = UseCase(bank_in.import_statements, writes=True)
    bank_queue = UseCase(bank_waiting.bank_queue, writes=False)
    bank_line = UseCase(bank_waiting.bank_line, writes=False)
    assign_bank_line = UseCase(bank_waiting.assign_bank_line, writes=True)
    dismiss_bank_line = UseCase(bank_waiting.dismiss_bank_line, writes=True)
    add_payer = UseCase(bank_waiting.add_payer, writes=True)
    partner_payers = UseCase(bank_waiting.partner_payers, writes=False)
    bank_statements = UseCase(bank_rec.bank_statements, writes=False)
    bank_reconciliation = UseCase(bank_rec.bank_reconciliation, writes=False)


class Transaction(Books):
    """The use cases run inside one open transaction (see :meth:`Tracker.transaction`)."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Run use cases in ``uow``."""
        self._uow = uow
        self._open = True

    def _run(
        self, use_case: UseCase[Any, R], args: tuple[Any, ...], kwargs: Mapping[str, Any]
    ) -> R:
        if not self._open:
            raise TransactionInProgress(f"{use_case.name}() on a transaction that has ended")
        if not use_case.writes:
            return use_case.fn(self._uow, *args, **kwargs)
        with self._uow.savepoint():
            return use_case.fn(self._uow, *args, **kwargs)


class Tracker(Books):
    """The books of the WSIS Fund in Trust; every method is one use case, one transaction."""

    def __init__(self, store: Store) -> None:
        """Wrap a store; use :func:`open_tracker` instead."""
        self._store = store
        self._local = threading.local()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of the books."""
        return self._store.engine

    @property
    def base_currency(self) -> str:
        """The books' base (functional) currency."""
        return self._store.base_currency

    @property
    def issuer(self) -> Issuer | None:
        """The issuer settings documents are issued with, if any."""
        return self._store.issuer

    def __enter__(self) -> Tracker:
        """Return the tracker itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the tracker."""
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self._store.close()

    def _in_transaction(self) -> bool:
        return getattr(self._local, "open", False)

    def _run(
        self, use_case: UseCase[Any, R], args: tuple[Any, ...], kwargs: Mapping[str, Any]
    ) -> R:
        if getattr(self._local, "open", False):
            raise TransactionInProgress(f"tracker.{use_case.name}()")
        prepare = use_case.prepare
        if prepare is not None:
            # The slow, lock-free part first, from what the books hold now; the use case then
            # checks again under the lock and redoes it only if the books changed meanwhile.
            work = self._store.run(lambda uow: prepare(uow, *args, **kwargs), writes=False)
            if work is not None:
                work()
        fn = use_case.fn
        return self._store.run(lambda uow: fn(uow, *args, **kwargs), writes=use_case.writes)

    # Batch runs: many documents, each in a transaction of its own (so not use cases).

    def _batch_store(self, what: str) -> Store:
        if self._in_transaction():
            raise TransactionInProgress(f"tracker.{what}()")
        return self._store

    def issue_due_invoices(
        self,
        edition: str,
        up_to: dt.date,
        *,
        on: dt.date | None = None,
        terms_days: int = 30,
        workers: int = 1,
        out: Path | None = None,
        template_dir: Path | None = None,
        progress: batch.Progress | None = None,
    ) -> batch.BatchSummary:
        """Issue an invoice for every instalment of ``edition`` due by ``up_to`` not yet asked for.

        Each in its own transaction; already-invoiced instalments are skipped and a failure
        does not stop the others (see :mod:`wsis_funding.services.batch`). Dated ``on``
        (default ``up_to``), due ``terms_days`` later but never before the instalment.
        ``workers`` processes render; with ``out`` each PDF is written there. Raises
        :class:`IssuerNotConfigured`, :class:`UnknownEdition`, :class:`TransactionInProgress`,
        ``TypeError`` and ``ValueError`` before issuing anything.
        """
        return batch.issue_due_invoices(
            self._batch_store("issue_due_invoices"), edition, up_to, on=on,
            terms_days=terms_days, workers=workers, out=out, template_dir=template_dir,
            progress=progress,
        )  # fmt: skip

    def acknowledge_payments(
        self,
        edition: str,
        up_to: dt.date,
        *,
        on: dt.date | None = None,
        workers: int = 1,
        out: Path | None = None,
        template_dir: Path | None = None,
        progress: batch.Progress | None = None,
    ) -> batch.BatchSummary:
        """Issue a letter for each (payment, pledge of ``edition``) not yet acknowledged.

        Payments received by ``up_to``; letters dated ``on`` (default ``up_to``, not
        before it), each in its own transaction (see :mod:`wsis_funding.services.batch`).
        Raises as :meth:`issue_due_invoices`, and :class:`DatesOutOfOrder`.
        """
        return batch.acknowledge_payments(
            self._batch_store("acknowledge_payments"), edition, up_to, on=on, workers=workers,
            out=out, template_dir=template_dir, progress=progress,
        )  # fmt: skip

    def issue_reminders(
        self,
        edition: str,
        up_to: dt.date,
        *,
        on: dt.date | None = None,
        repeat_after_days: int = 30,
        workers: int = 1,
        out: Path | None = None,
        template_dir: Path | None = None,
        progress: batch.Progress | None = None,
    ) -> batch.BatchSummary:
        """Issue a reminder for each open pledge of ``edition`` with invoices overdue on ``up_to``.

        Dated ``on`` (default ``up_to``, not before it); a pledge reminded less than
        ``repeat_after_days`` before about nothing newly overdue is skipped (see
        :mod:`wsis_funding.services.batch`). Raises as :meth:`acknowledge_payments`.
        """
        return batch.issue_reminders(
            self._batch_store("issue_reminders"), edition, up_to, on=on,
            repeat_after_days=repeat_after_days, workers=workers, out=out,
            template_dir=template_dir, progress=progress,
        )  # fmt: skip

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Open one transaction for several use cases; yield its :class:`Transaction`.

        Everything done through it commits when the block ends, or nothing if the block
        raises. Raises :class:`TransactionInProgress` if this thread already has one open.
        """
        if self._in_transaction():
            raise TransactionInProgress("tracker.transaction()")
        self._local.open = True
        try:
            with self._store.unit_of_work(writes=True) as uow:
                books = Transaction(uow)
                try:
                    yield books
                finally:
                    books._open = False
        finally:
            self._local.open = False
