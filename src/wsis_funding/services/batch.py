"""Batch runs over an edition: invoices falling due, letters for payments, reminders when overdue.

Each run plans in one read-only unit of work what to issue and what was already issued
(skipped, naming the document that covers it), then issues each document in a transaction of
its own (:mod:`.batch_runner`): one failure is reported with its reason and the others go on,
and running the same batch again issues nothing twice. Rendering runs in ``workers`` processes;
with ``out`` the PDF of every document issued is written there as ``<number>.pdf``. The
library never prints: ``progress`` is called after each document.

What each run issues (decisions of this module, where the domain rules are silent):

- **Invoices due up to a date**: one invoice per instalment of the edition's open pledges
  (confirmed or partly paid) that falls due on or before ``up_to`` and has something due,
  i.e. neither paid nor asked for by an open invoice (A − S − O > 0). An instalment wholly
  asked for by open invoices is skipped (naming them); a paid one is not listed. The invoice
  is due ``terms_days`` after its issue date, but never before the instalment itself.
- **Acknowledgement letters**: one per (bank payment, pledge it settled) for payments received
  by ``up_to`` into the edition; a pair that has a letter is skipped. Applications of
  unapplied credit are not letters (the payment that brought the money was acknowledged).
- **Reminders**: one per open pledge with invoiced instalments overdue on ``up_to`` (invoice
  due date before it, something still open; see :mod:`.reminders`). A pledge is skipped when
  its latest reminder already listed every instalment now overdue and was issued less than
  ``repeat_after_days`` before: a rerun the same day issues nothing, a new overdue invoice is
  reminded at once, and an unchanged one again after the interval.

Documents are dated ``on`` (default ``up_to``). Letters and reminders cannot be dated before
``up_to``; invoices may be (invoicing ahead of the due dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from wsis_funding.documents.errors import IssuerNotConfigured
from wsis_funding.documents.model import IssuedDocument, ReminderSnapshot, Snapshot
from wsis_funding.ledger.errors import DatesOutOfOrder
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Instalment, Pledge, PledgeStatus
from wsis_funding.money import to_minor
from wsis_funding.services import documents as docs
from wsis_funding.services import letters, reminders
from wsis_funding.services.batch_runner import (
    BatchItem,
    BatchSummary,
    Entry,
    Progress,
    Task,
    run_tasks,
)
from wsis_funding.services.checks import edition_of
from wsis_funding.services.documents import NumberFor
from wsis_funding.storage.batches import SettledPaymentRow
from wsis_funding.storage.unit_of_work import Store, UnitOfWork

__all__ = [
    "BatchItem",
    "BatchSummary",
    "Progress",
    "acknowledge_payments",
    "issue_due_invoices",
    "issue_reminders",
]

_INVOICED = (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID)


def _count(value: object, what: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < least:
        raise ValueError(f"{what} must be at least {least}, not {value}")
    return value


def _check(
    store: Store, up_to: dt.date, on: dt.date | None, workers: int, out: Path | None
) -> dt.date:
    """Check the arguments every run takes; return the documents' date."""
    if store.issuer is None:
        raise IssuerNotConfigured()
    require_date(up_to, "up_to")
    day = up_to if on is None else require_date(on, "on")
    _count(workers, "workers", 1)
    if out is not None and not isinstance(out, Path):
        raise TypeError(f"out must be a pathlib.Path, not {type(out).__name__}")
    return day


def _not_before(on: dt.date, up_to: dt.date, what: str) -> None:
    if on < up_to:
        raise DatesOutOfOrder(what, on, "the last day the batch counts (up_to)", up_to)


def _run(
    store: Store,
    kind: str,
    plan: Sequence[Entry],
    workers: int,
    out: Path | None,
    template_dir: Path | None,
    progress: Progress | None,
) -> BatchSummary:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    return run_tasks(
        store,
        kind,
        plan,
        workers=workers,
        out=out,
        template_dir=template_dir,
        progress=progress,
    )


def _invoice_task(
    subject: str, partner: str, instalment: Instalment, on: dt.date, due: dt.date, tdir: Path | None
) -> Task:
    def draft(uow: UnitOfWork, number_for: NumberFor) -> Snapshot:
        return docs.draft_invoice(uow, instalment, on, due_on=due, number_for=number_for)

    def issue(uow: UnitOfWork) -> IssuedDocument:
        return docs.issue_invoice(uow, instalment, on, due_on=due, template_dir=tdir)

    return Task(subject=subject, partner=partner, draft=draft, issue=issue)


def _letter_task(
    subject: str, partner: str, row: SettledPaymentRow, on: dt.date, tdir: Path | None
) -> Task:
    def draft(uow: UnitOfWork, number_for: NumberFor) -> Snapshot:
        return letters.draft_acknowledgement(
            uow, row.payment_id, on, pledge=row.pledge_id, number_for=number_for
        )

    def issue(uow: UnitOfWork) -> IssuedDocument:
        return letters.acknowledge(uow, row.payment_id, on, pledge=row.pledge_id, template_dir=tdir)

    return Task(subject=subject, partner=partner, draft=draft, issue=issue)


def _reminder_task(
    subject: str, partner: str, pledge: int, on: dt.date, up_to: dt.date, tdir: Path | None
) -> Task:
    def draft(uow: UnitOfWork, number_for: NumberFor) -> Snapshot:
        return reminders.draft_reminder(uow, pledge, on, up_to=up_to, number_for=number_for)

    def issue(uow: UnitOfWork) -> IssuedDocument:
        return reminders.issue_reminder(uow, pledge, on, up_to=up_to, template_dir=tdir)

    return Task(subject=subject, partner=partner, draft=draft, issue=issue)


def _instalment_label(pledge: Pledge, instalment: Instalment) -> str:
    live = [i for i in pledge.instalments if not i.replaced]
    return f"instalment {instalment.number or instalment.seq} of {len(live)}"


def _plan_invoices(
    uow: UnitOfWork, edition: str, up_to: dt.date, on: dt.date, terms: int, tdir: Path | None
) -> list[Entry]:
    found = edition_of(uow, edition)
    assert found.id is not None
    pledges = uow.pledges.of_edition(found.id, _INVOICED)
    due = [
        (i.due_on, p.id, i.seq, p, i)
        for p in pledges
        for i in p.instalments
        if i.id is not None
        and not i.replaced
        and not i.written_off
        and i.due_on <= up_to
        and i.open_amount.amount > 0
    ]
    due.sort(key=lambda d: d[:3])
    open_on = uow.documents.open_on([d[4].id for d in due if d[4].id is not None])
    names = uow.partners.names(sorted({p.partner_id for p in pledges}))
    asked_by = uow.batches.numbers([invoice for rows in open_on.values() for invoice, _ in rows])
    plan: list[Entry] = []
    for due_on, _, _, pledge, instalment in due:
        assert instalment.id is not None
        partner = names[pledge.partner_id][0]
        subject = (
            f"{partner}: pledge {pledge.id}, {_instalment_label(pledge, instalment)} "
            f"due {due_on.isoformat()}"
        )
        rows = open_on.get(instalment.id, [])
        still = to_minor(instalment.open_amount) - sum(max(a, 0) for _, a in rows)
        if still <= 0:
            numbers = ", ".join(asked_by[invoice] for invoice, _ in rows)
            plan.append(
                BatchItem(
                    subject=subject,
                    partner=partner,
                    outcome="skipped",
                    number=asked_by[rows[0][0]],
                    reason=f"already invoiced by {numbers}",
                )
            )
            continue
        due_by = max(due_on, on + dt.timedelta(days=terms))
        plan.append(_invoice_task(subject, partner, instalment, on, due_by, tdir))
    return plan


def issue_due_invoices(
    store: Store,
    edition: str,
    up_to: dt.date,
    *,
    on: dt.date | None = None,
    terms_days: int = 30,
    workers: int = 1,
    out: Path | None = None,
    template_dir: Path | None = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Issue an invoice for every instalment of ``edition`` due by ``up_to`` not yet asked for.

    See the module's notes for what counts as due; each invoice is dated ``on`` (default
    ``up_to``) and due ``terms_days`` later, never before its instalment. Posts nothing.
    Raises (before issuing anything) :class:`IssuerNotConfigured`, :class:`UnknownEdition`,
    ``TypeError`` and ``ValueError`` for bad arguments; each document's own failure is in
    the summary.
    """
    day = _check(store, up_to, on, workers, out)
    terms = _count(terms_days, "terms_days", 0)
    plan = store.run(
        lambda uow: _plan_invoices(uow, edition, up_to, day, terms, template_dir), writes=False
    )
    return _run(store, "invoices", plan, workers, out, template_dir, progress)


def _plan_letters(
    uow: UnitOfWork, edition: str, up_to: dt.date, on: dt.date, tdir: Path | None
) -> list[Entry]:
    found = edition_of(uow, edition)
    assert found.id is not None
    plan: list[Entry] = []
    for row in uow.batches.settled_payments(found.id, up_to):
        subject = (
            f"{row.partner}: payment {row.payment_id} received {row.received_on.isoformat()}, "
            f"pledge {row.pledge_id}"
        )
        if row.letter is not None:
            plan.append(
                BatchItem(
                    subject=subject,
                    partner=row.partner,
                    outcome="skipped",
                    number=row.letter,
                    reason=f"already acknowledged by {row.letter}",
                )
            )
            continue
        plan.append(_letter_task(subject, row.partner, row, on, tdir))
    return plan


def acknowledge_payments(
    store: Store,
    edition: str,
    up_to: dt.date,
    *,
    on: dt.date | None = None,
    workers: int = 1,
    out: Path | None = None,
    template_dir: Path | None = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Issue an acknowledgement letter for each payment into ``edition`` not yet acknowledged.

    One letter per bank payment received by ``up_to`` and per pledge of the edition it
    settled, dated ``on`` (default ``up_to``; not before it). Posts nothing. Raises (before
    issuing anything) :class:`IssuerNotConfigured`, :class:`UnknownEdition`,
    :class:`DatesOutOfOrder`, ``TypeError`` and ``ValueError``; each letter's own failure is
    in the summary.
    """
    day = _check(store, up_to, on, workers, out)
    _not_before(day, up_to, "a letter of this batch")
    plan = store.run(
        lambda uow: _plan_letters(uow, edition, up_to, day, template_dir), writes=False
    )
    return _run(store, "letters", plan, workers, out, template_dir, progress)


def _plan_reminders(
    uow: UnitOfWork, edition: str, up_to: dt.date, on: dt.date, repeat: int, tdir: Path | None
) -> list[Entry]:
    found = edition_of(uow, edition)
    assert found.id is not None
    rows = uow.batches.invoices_due_before(found.id, up_to)
    latest = uow.batches.latest_reminders(found.id)
    plan: list[Entry] = []
    for pledge_id in dict.fromkeys(r.pledge_id for r in rows):
        pledge = uow.pledges.get(pledge_id)
        items = reminders.overdue_items(uow, pledge, up_to)
        if not items:
            continue
        partner = next(r.partner for r in rows if r.pledge_id == pledge_id)
        invoices = ", ".join(dict.fromkeys(i.invoice for i in items))
        subject = f"{partner}: pledge {pledge_id}, overdue {invoices}"
        previous = None
        if pledge_id in latest:
            previous = uow.documents.by_id(latest[pledge_id])
        if previous is not None and isinstance(previous.snapshot, ReminderSnapshot):
            stated = {(i.invoice, i.instalment) for i in previous.snapshot.items}
            new = [i for i in items if (i.invoice, i.instalment) not in stated]
            if not new and (on - previous.issued_on).days < repeat:
                plan.append(
                    BatchItem(
                        subject=subject,
                        partner=partner,
                        outcome="skipped",
                        number=previous.number,
                        reason=f"already reminded by {previous.number} on "
                        f"{previous.issued_on.isoformat()} (again {repeat} days after it)",
                    )
                )
                continue
        plan.append(_reminder_task(subject, partner, pledge_id, on, up_to, tdir))
    return plan


def issue_reminders(
    store: Store,
    edition: str,
    up_to: dt.date,
    *,
    on: dt.date | None = None,
    repeat_after_days: int = 30,
    workers: int = 1,
    out: Path | None = None,
    template_dir: Path | None = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Issue a reminder for each open pledge of ``edition`` with invoices overdue on ``up_to``.

    Dated ``on`` (default ``up_to``; not before it). A pledge reminded less than
    ``repeat_after_days`` before, about nothing newly overdue, is skipped (see the module's
    notes). Posts nothing. Raises (before issuing anything) :class:`IssuerNotConfigured`,
    :class:`UnknownEdition`, :class:`DatesOutOfOrder`, ``TypeError`` and ``ValueError``;
    each reminder's own failure is in the summary.
    """
    day = _check(store, up_to, on, workers, out)
    _not_before(day, up_to, "a reminder of this batch")
    repeat = _count(repeat_after_days, "repeat_after_days", 1)
    plan = store.run(
        lambda uow: _plan_reminders(uow, edition, up_to, day, repeat, template_dir), writes=False
    )
    return _run(store, "reminders", plan, workers, out, template_dir, progress)
