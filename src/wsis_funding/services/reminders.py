"""Reminder letters: what a partner was invoiced for a pledge, has not paid, and since when.

What is overdue on a date: every instalment of the pledge's invoices whose due date is before
that date and on which the invoice still asks for something (asked, less credited, less paid).
Instalments never invoiced are not reminded (the partner was never asked for them: invoice
them first); a written-off, cancelled or fulfilled pledge has nothing to remind. Reminders are
numbered in their own series (``WSIS-REM-2024-0001``) in the transaction that stores them, and
checked renderable first; :func:`prepare_reminder` drafts the same reminder so the facade can
do that check before taking the lock (see :mod:`.preparing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from wsis_funding.documents.building import reminder_snapshot
from wsis_funding.documents.errors import NothingToRemind
from wsis_funding.documents.model import IssuedDocument, OverdueItem, ReminderSnapshot
from wsis_funding.documents.numbering import DocumentNumber, series_of
from wsis_funding.ledger.errors import DatesOutOfOrder
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Pledge, PledgeStatus
from wsis_funding.money import from_minor
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.services.documents import NumberFor, numbering
from wsis_funding.services.preparing import ensure_renderable, warm
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["draft_reminder", "issue_reminder", "overdue_items", "prepare_reminder"]

_OPEN = frozenset({PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID})


def overdue_items(uow: UnitOfWork, pledge: Pledge, on: dt.date) -> list[OverdueItem]:
    """Return what is overdue on ``on`` for ``pledge``: open instalments of invoices due before.

    Each item is an instalment of an invoice (numbered as the partner sees the schedule) and
    what the invoice still asks for on it, in the pledge's currency; oldest invoice first.
    Nothing for a pledge that is not open (confirmed or partly paid).
    """
    if pledge.status not in _OPEN:
        return []
    edition = edition_of(uow, pledge.edition_code)
    assert edition.id is not None
    live = [i for i in pledge.instalments if not i.replaced]
    numbers = {i.id: i.number or i.seq for i in pledge.instalments if i.id is not None}
    items = []
    for row in uow.batches.invoices_due_before(edition.id, on, pledge_id=pledge.id):
        open_on = uow.documents.open_on(uow.documents.coverage(row.id))
        for instalment_id, invoices in sorted(open_on.items()):
            for invoice_id, amount in invoices:
                if invoice_id != row.id or amount <= 0:
                    continue
                items.append(
                    OverdueItem(
                        invoice=row.number,
                        invoice_issued_on=row.issued_on,
                        due_on=row.due_on,
                        payment_reference=row.payment_reference,
                        instalment=numbers[instalment_id],
                        instalments=len(live),
                        open=from_minor(amount, pledge.currency),
                    )
                )
    return items


def _reminder(
    uow: UnitOfWork,
    pledge: Pledge | int,
    issued_on: dt.date,
    up_to: dt.date | None,
    number_for: NumberFor,
) -> tuple[ReminderSnapshot, DocumentNumber, int]:
    issuer = uow.issuer
    require_date(issued_on, "issued_on")
    as_of = issued_on if up_to is None else require_date(up_to, "up_to")
    if as_of > issued_on:
        raise DatesOutOfOrder(
            "the reminder", issued_on, "the day it counts overdue amounts up to (up_to)", as_of
        )
    p = uow.pledges.get(pledge_id_of(pledge))
    if p.status not in _OPEN:
        raise NothingToRemind(p.id, f"it is {p.status.value}")
    items = overdue_items(uow, p, as_of)
    if not items:
        raise NothingToRemind(p.id, f"nothing invoiced on it is overdue on {as_of}")
    edition = edition_of(uow, p.edition_code)
    partner = partner_of(uow, p.partner_id)
    number = number_for(series_of(edition.invoice_prefix, "reminder"), issued_on.year)
    snapshot = reminder_snapshot(
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        pledge=p,
        items=items,
        issued_on=issued_on,
        language=partner.language.value,
    )
    return snapshot, number, p.id


def issue_reminder(
    uow: UnitOfWork,
    pledge: Pledge | int,
    issued_on: dt.date,
    *,
    up_to: dt.date | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue a reminder letter for what is overdue on a pledge's invoices.

    The reminder, in the partner's language, lists each instalment of the pledge's invoices
    whose due date is before ``up_to`` (default: ``issued_on``) and on which the invoice still
    asks for something: the invoice, the instalment, the invoice's due date (since when it is
    overdue), the days overdue on the reminder's date and the amount still open in the
    invoice's currency; then their total and the payment instructions with each invoice's RF
    creditor reference to pay it with. Reminders have their own series
    (``WSIS-REM-2024-0001``). Posts nothing. Raises :class:`UnknownPledge`,
    :class:`NothingToRemind` (the pledge is not open, or nothing invoiced is overdue),
    :class:`DatesOutOfOrder` (``up_to`` after ``issued_on``), :class:`IssuerNotConfigured`
    and the rendering checks' errors (:class:`MissingIban`, :class:`MissingGlyphs`); nothing
    is written then.
    """
    snapshot, number, pledge_id = _reminder(uow, pledge, issued_on, up_to, numbering(uow))
    ensure_renderable(snapshot, template_dir)
    return uow.documents.add(kind="reminder", number=number, pledge_id=pledge_id, snapshot=snapshot)


def prepare_reminder(
    uow: UnitOfWork,
    pledge: Pledge | int,
    issued_on: dt.date,
    *,
    up_to: dt.date | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`issue_reminder`'s letter; return the check to run outside the lock."""
    snapshot = _reminder(uow, pledge, issued_on, up_to, numbering(uow))[0]
    return lambda: warm(snapshot, template_dir)


def draft_reminder(
    uow: UnitOfWork,
    pledge: Pledge | int,
    issued_on: dt.date,
    *,
    up_to: dt.date | None = None,
    number_for: NumberFor,
) -> ReminderSnapshot:
    """Build the reminder :func:`issue_reminder` would issue now, numbered by ``number_for``.

    Stores nothing and checks no rendering. Raises as :func:`issue_reminder`.
    """
    return _reminder(uow, pledge, issued_on, up_to, number_for)[0]
