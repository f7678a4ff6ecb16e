"""The Tracker: a thin facade whose methods are the use cases, one transaction each.

``open_tracker(url)`` opens (and creates or upgrades) the books at any SQLAlchemy URL:
``sqlite:///books.db`` embedded, ``postgresql+psycopg://...`` in production. Each method
either completes or leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from moneyed import Money
from sqlalchemy import Engine, select

from wsis_funding.errors import CurrencyMismatch
from wsis_funding.documents.errors import IssuerNotConfigured
from wsis_funding.documents.model import Issuer
from wsis_funding.storage.documents import IssuedDocument, SqlDocuments
from wsis_funding.storage import tables as t
from wsis_funding.storage.journal import JournalWriter
from wsis_funding.ledger.model import Edition, Entry, Instalment, Partner, Payment, Pledge
from wsis_funding.storage.repository import SqlPartners, SqlPledges
from wsis_funding.storage.engine import READ_ONLY, make_engine, upgrade_schema
from wsis_funding.storage.verify import verify_books
from wsis_funding.money import ExchangeRate, minor_unit_exponent
from wsis_funding.services import credit, documents, payments, pledges, queries, reference
from wsis_funding.services.checks import pledge_id_of
from wsis_funding.services.revenue import RevenueReport, revenue_report
from wsis_funding.storage.unit_of_work import Tx
from wsis_funding.tiers import Tier

__all__ = ["Tracker", "open_tracker"]

T = TypeVar("T")
_BASE_KEY = "base_currency"


def open_tracker(url: str, *, base_currency: str = "CHF", issuer: Issuer | None = None) -> Tracker:
    """Open the books at ``url``, creating or upgrading the schema through the migrations.

    ``base_currency`` is the books' functional currency, fixed when the books are created.
    ``issuer`` (see :func:`wsis_funding.invoices.load_issuer`) is needed to issue documents.
    Raises :class:`UnknownCurrency` for a bad code, :class:`CurrencyMismatch` if existing books
    keep another base currency, and ``sqlalchemy.exc`` errors if the database is unreachable.
    """
    minor_unit_exponent(base_currency)
    engine = make_engine(url)
    try:
        upgrade_schema(engine)
        with engine.begin() as conn:
            stored = conn.execute(
                select(t.ledger_settings.c.value).where(t.ledger_settings.c.key == _BASE_KEY)
            ).scalar()
            if stored is None:
                conn.execute(t.ledger_settings.insert().values(key=_BASE_KEY, value=base_currency))
                stored = base_currency
            if stored != base_currency:
                raise CurrencyMismatch(stored, base_currency, "base currency of these books")
    except BaseException:
        engine.dispose()
        raise
    return Tracker(engine, stored, issuer)


class Tracker:
    """The books of the WSIS Fund in Trust; every method is one use case, one transaction."""

    def __init__(self, engine: Engine, base_currency: str, issuer: Issuer | None = None) -> None:
        """Wrap an engine whose schema is up to date; use :func:`open_tracker` instead."""
        self.engine = engine
        self.base_currency = base_currency
        self.issuer = issuer
        self._writer = JournalWriter()

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
        self.engine.dispose()

    def _run(self, use_case: Callable[[Tx], T], *, write: bool = True) -> T:
        try:
            with self.engine.connect() as conn:
                if not write:
                    conn.execution_options(**{READ_ONLY: True})
                with conn.begin():
                    result = use_case(Tx(conn, self._writer, self.base_currency, lock=write))
        except BaseException:
            self._writer.rolled_back()
            raise
        self._writer.committed()
        return result

    # Reference data

    def add_partner(self, partner: Partner) -> Partner:
        """Store a new partner; see :func:`reference.add_partner` for what it raises."""
        return self._run(lambda tx: reference.add_partner(tx, partner))

    def partner(self, partner_id: int) -> Partner:
        """Return a stored partner; raises :class:`UnknownPartner`."""
        return self._run(lambda tx: SqlPartners(tx.conn).get(partner_id), write=False)

    def add_edition(self, edition: Edition) -> Edition:
        """Store a new edition with its tier schedule; see :func:`reference.add_edition`."""
        return self._run(lambda tx: reference.add_edition(tx, edition))

    def add_rates(self, rates: Iterable[ExchangeRate]) -> int:
        """Store exchange rates in bulk; see :func:`reference.add_rates`."""
        batch = list(rates)
        return self._run(lambda tx: reference.add_rates(tx, batch))

    # Pledges

    def create_pledge(
        self,
        partner: Partner | int,
        edition: Edition | str,
        amount: Money,
        signed_on: dt.date,
        instalments: Sequence[tuple[dt.date, Money]] | None = None,
        *,
        tier: Tier | str | None = None,
        package: str | None = None,
    ) -> Pledge:
        """Store a draft pledge; see :func:`pledges.create_pledge` for what it raises."""
        return self._run(
            lambda tx: pledges.create_pledge(
                tx, partner, edition, amount, signed_on, instalments, tier=tier, package=package
            )
        )

    def pledge(self, pledge: Pledge | int) -> Pledge:
        """Return a pledge as stored now; raises :class:`UnknownPledge`."""
        pid = pledge_id_of(pledge)
        return self._run(lambda tx: SqlPledges(tx.conn, tx.base).get(pid), write=False)

    def confirm(self, pledge: Pledge | int) -> Pledge:
        """Confirm a draft pledge and post it; see :func:`pledges.confirm_pledge`."""
        return self._run(lambda tx: pledges.confirm_pledge(tx, pledge))

    def amend(
        self,
        pledge: Pledge | int,
        new_amount: Money,
        instalments: Sequence[tuple[dt.date, Money]],
        *,
        on: dt.date,
    ) -> Pledge:
        """Change a pledge's amount and schedule; see :func:`pledges.amend_pledge`."""
        return self._run(
            lambda tx: pledges.amend_pledge(tx, pledge, new_amount, instalments, on=on)
        )

    def cancel(self, pledge: Pledge | int, *, on: dt.date) -> Pledge:
        """Cancel a pledge on which nothing is paid; see :func:`pledges.cancel_pledge`."""
        return self._run(lambda tx: pledges.cancel_pledge(tx, pledge, on=on))

    def write_off(self, pledge: Pledge | int, reason: str, *, on: dt.date) -> Pledge:
        """Write off a pledge's unpaid rest; see :func:`pledges.write_off_pledge`."""
        return self._run(lambda tx: pledges.write_off_pledge(tx, pledge, reason, on=on))

    # Payments

    def record_payment(
        self,
        partner: Partner | int,
        amount: Money,
        received_on: dt.date,
        reference: str,
        idempotency_key: str | None = None,
        bank_charges: Money | None = None,
        apply_to: Sequence[int | Instalment] | None = None,
    ) -> Payment:
        """Record a payment received; see :func:`payments.record_payment` for the rules."""
        return self._run(
            lambda tx: payments.record_payment(
                tx, partner, amount, received_on, reference, idempotency_key, bank_charges, apply_to
            )
        )

    def apply_credit(
        self,
        partner: Partner | int,
        currency: str,
        on: dt.date,
        amount: Money | None = None,
        apply_to: Sequence[int | Instalment] | None = None,
    ) -> Payment:
        """Apply the partner's unapplied credit to open instalments; see :func:`apply_credit`."""
        return self._run(
            lambda tx: credit.apply_credit(tx, partner, currency, on, amount, apply_to)
        )

    def post_entries(self, entries: Iterable[Entry]) -> list[Entry]:
        """Append balanced entries in bulk, in one transaction, hash chained.

        Raises :class:`UnbalancedEntry` (nothing is written) if any entry does not balance and
        :class:`UnknownAccount` for a malformed account code.
        """
        batch = list(entries)
        for e in batch:
            if not isinstance(e, Entry):
                raise TypeError(f"expected Entry values, not {type(e).__name__}")
        return self._run(lambda tx: tx.post(batch))

    # Queries

    def standing(self, partner: Partner | int, edition: Edition | str) -> queries.PartnerStanding:
        """Return the partner's standing in the edition; see :func:`queries.partner_standing`."""
        return self._run(lambda tx: queries.partner_standing(tx, partner, edition), write=False)

    def balance(self, account: str, as_of: dt.date | None = None) -> queries.AccountBalance:
        """Return an account's balance per currency; see :func:`queries.account_balance`."""
        return self._run(lambda tx: queries.account_balance(tx, account, as_of), write=False)

    def statement(
        self, partner: Partner | int, edition: Edition | str
    ) -> dict[str, list[queries.StatementLine]]:
        """Return the partner's receivable movements for the edition, per currency."""
        return self._run(lambda tx: queries.statement_lines(tx, partner, edition), write=False)

    def receivables(self, as_of: dt.date) -> queries.Receivables:
        """Return the ageing of open instalments on ``as_of``, per currency."""
        return self._run(lambda tx: queries.receivables_report(tx, as_of), write=False)

    def revenue(self, edition: Edition | str, as_of: dt.date | None = None) -> RevenueReport:
        """Return the edition's revenue gross and net of PSC; see :func:`revenue_report`."""
        return self._run(lambda tx: revenue_report(tx, edition, as_of), write=False)

    def verify(self) -> list[str]:
        """Return every problem found in the books; an empty list when they are sound."""
        return self._run(lambda tx: verify_books(tx.conn), write=False)

    # Documents

    def _issuer(self) -> Issuer:
        if self.issuer is None:
            raise IssuerNotConfigured()
        return self.issuer

    def issue_invoice(
        self,
        target: Pledge | Instalment | int,
        issued_on: dt.date,
        due_on: dt.date,
        *,
        language: str | None = None,
        template_dir: Path | None = None,
    ) -> IssuedDocument:
        """Issue and number an invoice for a pledge or instalment (:func:`issue_invoice`).

        Raises :class:`IssuerNotConfigured` if the tracker was opened without an issuer.
        """
        issuer = self._issuer()
        return self._run(
            lambda tx: documents.issue_invoice(
                tx, issuer, target, issued_on, due_on, language=language, template_dir=template_dir
            )
        )

    def credit_invoice(
        self,
        number: str,
        issued_on: dt.date,
        amount: Money | None = None,
        *,
        reason: str | None = None,
    ) -> IssuedDocument:
        """Issue a (partial) credit note against an invoice (:func:`credit_invoice`)."""
        issuer = self._issuer()
        return self._run(
            lambda tx: documents.credit_invoice(
                tx, issuer, number, issued_on, amount, reason=reason
            )
        )

    def cancel_invoice(
        self, number: str, issued_on: dt.date, *, reason: str | None = None
    ) -> IssuedDocument:
        """Cancel an invoice by a credit note for all not yet credited (:func:`cancel_invoice`)."""
        issuer = self._issuer()
        return self._run(
            lambda tx: documents.cancel_invoice(tx, issuer, number, issued_on, reason=reason)
        )

    def acknowledge(
        self,
        payment: Payment | int,
        issued_on: dt.date,
        *,
        pledge: Pledge | int | None = None,
    ) -> IssuedDocument:
        """Issue an acknowledgement letter for a payment; see :func:`documents.acknowledge`."""
        issuer = self._issuer()
        payment_id = payment.id if isinstance(payment, Payment) else payment
        return self._run(
            lambda tx: documents.acknowledge(tx, issuer, payment_id, issued_on, pledge=pledge)
        )

    def document(self, number: str) -> IssuedDocument:
        """Return an issued document by number; raises :class:`UnknownDocument`."""
        return self._run(lambda tx: SqlDocuments(tx.conn).get(number), write=False)

    def documents(self, pledge: Pledge | int) -> list[IssuedDocument]:
        """Return every document issued for a pledge, in issue order."""
        pid = pledge_id_of(pledge)
        return self._run(lambda tx: SqlDocuments(tx.conn).for_pledge(pid), write=False)

    def match_reference(self, reference: str) -> IssuedDocument:
        """Return the invoice a bank statement's creditor reference (RF...) points to.

        Raises :class:`UnknownDocument` if no invoice carries that reference.
        """
        return self._run(lambda tx: SqlDocuments(tx.conn).by_reference(reference), write=False)

    def render_pdf(self, number: str, *, template_dir: Path | None = None) -> bytes:
        """Render an issued document to PDF bytes from its stored snapshot (same bytes each time).

        Raises :class:`UnknownDocument` and the rendering errors.
        """
        from wsis_funding.rendering.render import render_pdf

        return render_pdf(self.document(number).snapshot, template_dir=template_dir)
