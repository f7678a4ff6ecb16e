"""What batch runs look for across an edition: payments to acknowledge, invoices overdue, reminders.

Read-only queries, each one statement over the whole edition, so that planning a batch of
hundreds of documents costs a few round trips rather than one per document. The documents
themselves are read (and issued) through the other repositories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import func, select

from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.storage import tables as t

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Batches", "OverdueInvoiceRow", "SettledPaymentRow"]

_REMINDED = [PledgeStatus.CONFIRMED.value, PledgeStatus.PARTIALLY_PAID.value]


class SettledPaymentRow(NamedTuple):
    """Money received (a bank payment) that settled part of a pledge, and its letter if any."""

    payment_id: int
    pledge_id: int
    partner: str
    received_on: dt.date
    letter: str | None


class OverdueInvoiceRow(NamedTuple):
    """An invoice whose due date has passed.

    Whether anything is still open on it is not known here: see
    :meth:`wsis_funding.storage.documents.Documents.open_on`.
    """

    id: int
    pledge_id: int
    partner: str
    number: str
    issued_on: dt.date
    due_on: dt.date
    payment_reference: str


class Batches:
    """The queries batch runs plan with (read-only)."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def settled_payments(self, edition_id: int, up_to: dt.date) -> list[SettledPaymentRow]:
        """Return each (bank payment, pledge of the edition) it settled, received by ``up_to``.

        Applications of unapplied credit are left out: the payment that brought the money is
        the one acknowledged. Each pair carries the number of the letter already issued for
        it, if any. Oldest payment first.
        """
        s, p, pl, d = t.settlements.c, t.payments.c, t.pledges.c, t.documents.c
        letters: dict[tuple[int, int], str] = {}
        for payment_id, pledge_id, number in self._uow.conn.execute(
            select(d.payment_id, d.pledge_id, d.number)
            .join(t.pledges, pl.id == d.pledge_id)
            .where(d.kind == "letter", pl.edition_id == edition_id)
            .order_by(d.id)
        ):
            letters.setdefault((int(payment_id), int(pledge_id)), str(number))
        rows = self._uow.conn.execute(
            select(s.payment_id, s.pledge_id, t.partners.c.short_name, p.received_on)
            .join(t.payments, p.id == s.payment_id)
            .join(t.pledges, pl.id == s.pledge_id)
            .join(t.partners, t.partners.c.id == pl.partner_id)
            .where(pl.edition_id == edition_id, p.source == "bank", p.received_on <= up_to)
            .group_by(s.payment_id, s.pledge_id, t.partners.c.short_name, p.received_on)
            .order_by(p.received_on, s.payment_id, s.pledge_id)
        )
        return [
            SettledPaymentRow(
                payment_id=int(payment_id),
                pledge_id=int(pledge_id),
                partner=str(partner),
                received_on=received_on,
                letter=letters.get((int(payment_id), int(pledge_id))),
            )
            for payment_id, pledge_id, partner, received_on in rows
        ]

    def invoices_due_before(
        self, edition_id: int, before: dt.date, *, pledge_id: int | None = None
    ) -> list[OverdueInvoiceRow]:
        """Return the invoices of the edition's open pledges whose due date is before ``before``.

        Open pledges are confirmed or partly paid: a written-off pledge's invoices are written
        off with it, and a cancelled or fulfilled one has nothing open. Only ``pledge_id``'s
        if given. By pledge, oldest invoice first.
        """
        d, pl = t.documents.c, t.pledges.c
        only = [] if pledge_id is None else [d.pledge_id == pledge_id]
        rows = self._uow.conn.execute(
            select(
                d.id,
                d.pledge_id,
                t.partners.c.short_name,
                d.number,
                d.issued_on,
                d.due_on,
                d.payment_reference,
            )
            .join(t.pledges, pl.id == d.pledge_id)
            .join(t.partners, t.partners.c.id == pl.partner_id)
            .where(
                d.kind == "invoice",
                pl.edition_id == edition_id,
                pl.status.in_(_REMINDED),
                d.due_on < before,
                *only,
            )
            .order_by(d.pledge_id, d.issued_on, d.id)
        )
        return [
            OverdueInvoiceRow(
                id=int(r.id),
                pledge_id=int(r.pledge_id),
                partner=str(r.short_name),
                number=str(r.number),
                issued_on=r.issued_on,
                due_on=r.due_on,
                payment_reference=str(r.payment_reference),
            )
            for r in rows
        ]

    def latest_reminders(self, edition_id: int) -> dict[int, int]:
        """Return, for each pledge of the edition reminded before, its latest reminder's id."""
        d, pl = t.documents.c, t.pledges.c
        rows = self._uow.conn.execute(
            select(d.pledge_id, func.max(d.id))
            .join(t.pledges, pl.id == d.pledge_id)
            .where(d.kind == "reminder", pl.edition_id == edition_id)
            .group_by(d.pledge_id)
        )
        return {int(pledge_id): int(doc_id) for pledge_id, doc_id in rows}

    def numbers(self, document_ids: Sequence[int]) -> dict[int, str]:
        """Return the numbers of documents by id (ids that are no document are left out)."""
        ids = sorted(set(document_ids))
        if not ids:
            return {}
        d = t.documents.c
        rows = self._uow.conn.execute(select(d.id, d.number).where(d.id.in_(ids)))
        return {int(i): str(n) for i, n in rows}
