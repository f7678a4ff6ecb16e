"""Credit note use cases: crediting or cancelling an invoice, and what pledge changes credit.

A credit note is of one of two kinds (:class:`~wsis_funding.documents.model.CreditKind`): a
*correction* credits the document only, and what it covered can be invoiced again; a
*reduction* also reduces the pledge, latest instalment first, and posts the reversal at the
signing-date rate. A credit note credits only what its invoice still asks for, spread over
the instalments latest due first. Amending, cancelling or writing off a pledge credits what
its open invoices still ask for (:func:`credit_for_pledge_change`). Like invoices, each
writing use case has a ``prepare_*`` twin that checks the document renderable before the
lock is taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from moneyed import Money

from wsis_funding.documents.building import (
    credit_description,
    invoice_snapshot,
)
from wsis_funding.documents.dues import spread_credit
from wsis_funding.documents.errors import NothingToCredit
from wsis_funding.documents.model import (
    CreditKind,
    InvoiceSnapshot,
    IssuedDocument,
)
from wsis_funding.documents.numbering import DocumentNumber, series_of
from wsis_funding.ledger.errors import DatesOutOfOrder, InvalidTransition
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Pledge, PledgeStatus, status_for
from wsis_funding.ledger.posting import base_value, reduction_entry
from wsis_funding.money import from_minor, to_minor
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.services.checks import edition_of, partner_of
from wsis_funding.services.documents import NumberFor, numbering, open_on_invoice
from wsis_funding.services.preparing import ensure_renderable, warm
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = [
    "cancel_invoice",
    "credit_for_pledge_change",
    "credit_invoice",
    "prepare_cancel_invoice",
    "prepare_credit_invoice",
]


def _credit_kind(kind: object) -> CreditKind:
    if isinstance(kind, CreditKind):
        return kind
    if isinstance(kind, str):
        try:
            return CreditKind(kind)
        except ValueError:
            pass
    raise ValueError(
        f"a credit note is a correction or a reduction (CreditKind.CORRECTION or "
        f"CreditKind.REDUCTION), not {kind!r}"
    )


def _credit(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    kind: CreditKind,
    amount: Money | None,
    reason: str | None,
    number_for: NumberFor,
    spread: Mapping[int, int] | None = None,
) -> tuple[InvoiceSnapshot, DocumentNumber, IssuedDocument, dict[int, int]]:
    issuer = uow.issuer
    require_date(issued_on, "issued_on")
    store = uow.documents
    invoice = store.get(number)
    if invoice.kind != "invoice" or not isinstance(invoice.snapshot, InvoiceSnapshot):
        raise NothingToCredit(number, f"it is a {invoice.kind.replace('_', ' ')}")
    if issued_on < invoice.issued_on:
        raise DatesOutOfOrder(
            "the credit note", issued_on, f"invoice {number}'s issue", invoice.issued_on
        )
    code = invoice.total.currency.code
    open_by = open_on_invoice(uow, invoice)
    left = sum(open_by.values())
    if left <= 0:
        raise NothingToCredit(number, "nothing on it is left to pay: it is paid or credited")
    if spread is None:
        if amount is None:
            credit = left
        else:
            if amount.currency.code != code:
                raise CurrencyMismatch(code, amount.currency.code, "credit")
            credit = to_minor(amount)
            if credit <= 0:
                raise InvalidAmount(amount.amount, "a credit note must be above zero")
            if credit > left:
                raise NothingToCredit(
                    number,
                    f"{amount.amount} {code} is more than the {from_minor(left, code).amount} "
                    f"{code} it still asks for",
                )
        pledge = uow.pledges.get(invoice.pledge_id)
        dues = {i.id: i.due_on for i in pledge.instalments if i.id is not None}
        spread = spread_credit(credit, open_by, dues)
    else:
        pledge = uow.pledges.get(invoice.pledge_id)
        credit = sum(spread.values())
    edition = edition_of(uow, pledge.edition_code)
    cn_number = number_for(series_of(edition.invoice_prefix, "credit_note"), issued_on.year)
    original = invoice.snapshot
    snapshot = invoice_snapshot(
        kind="credit_note",
        number=cn_number.text,
        issuer=issuer,
        partner=partner_of(uow, pledge.partner_id),
        edition=edition,
        pledge=pledge,
        lines=[
            (
                credit_description(
                    number,
                    original.lines[0].description,
                    original.language,
                    kind=kind,
                    cancels=credit == left,
                    reason=reason,
                ),
                from_minor(credit, code),
            )
        ],
        issued_on=issued_on,
        due_on=None,
        language=original.language,
        base_currency=uow.base,
        refers_to=number,
        credit_kind=kind,
    )
    return snapshot, cn_number, invoice, dict(spread)


def _store_credit(
    uow: UnitOfWork,
    snapshot: InvoiceSnapshot,
    cn_number: DocumentNumber,
    invoice: IssuedDocument,
    spread: Mapping[int, int],
    *,
    post: bool,
) -> IssuedDocument:
    note = uow.documents.add(
        kind="credit_note",
        number=cn_number,
        pledge_id=invoice.pledge_id,
        instalment_id=invoice.instalment_id,
        refers_to_id=invoice.id,
        snapshot=snapshot,
        coverage=spread,
    )
    if snapshot.credit_kind is CreditKind.REDUCTION and post:
        _reduce_pledge(uow, invoice.pledge_id, spread, snapshot.issued_on, note)
    return note


def _reduce_pledge(
    uow: UnitOfWork, pledge_id: int, spread: Mapping[int, int], on: dt.date, note: IssuedDocument
) -> None:
    """Reduce a pledge and the instalments a reduction credit note credited; post the reversal."""
    pledge = uow.pledges.get(pledge_id)
    if pledge.status not in (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID):
        raise InvalidTransition(
            pledge.id, pledge.status.value, "reduce", "only an open pledge can be reduced"
        )
    total = sum(spread.values())
    new_minor = to_minor(pledge.amount) - total
    if new_minor <= 0:
        raise InvalidTransition(
            pledge.id, pledge.status.value, "reduce to nothing", "cancel the pledge instead"
        )
    for instalment_id, amount in spread.items():
        uow.pledges.reduce_instalment(instalment_id, amount, on, note.id)
    new_base = base_value(new_minor, pledge.currency, pledge.rate, uow.base)
    delta_base = to_minor(pledge.base_amount) - new_base
    status = status_for(new_minor, to_minor(pledge.settled), 0)
    uow.pledges.set_amount(pledge.id, new_minor, base_minor=new_base, status=status)
    uow.post([reduction_entry(pledge, total, delta_base, on, note.number)])


def credit_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    kind: CreditKind | str,
    amount: Money | None = None,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue a credit note against invoice ``number``: for ``amount``, or all it still asks for.

    ``kind`` is required: a *correction* (wrong address, language, issued twice) credits the
    document only; the pledge and the receivable are unchanged and what it covered can be
    invoiced again. A *reduction* (an agreed discount, a partial cancellation) also reduces
    the pledge and the instalments it covered, latest due first, by the credited amount, and
    posts the reversal dated ``issued_on`` at the pledge's signing-date rate (debit
    ``revenue:<edition>``, credit the receivable); that amount is never invoiced again. Only
    what the invoice still asks for (asked, less credited, less paid) can be credited. Credit
    notes have their own series (``WSIS-CN-2024-0001``) and the invoice's language;
    ``reason`` is printed on the line. Raises :class:`UnknownDocument`,
    :class:`NothingToCredit` (not an invoice, nothing left to pay on it, or more than it asks
    for), ``ValueError`` for a missing or unknown kind, :class:`DatesOutOfOrder` (before the
    invoice), :class:`CurrencyMismatch`, :class:`InvalidAmount`, :class:`InvalidTransition`
    (a reduction of a closed pledge, or to nothing: cancel it instead) and the rendering
    checks' errors; nothing is written then.
    """
    credit_kind = _credit_kind(kind)
    snapshot, cn_number, invoice, spread = _credit(
        uow, number, issued_on, credit_kind, amount, reason, numbering(uow)
    )
    ensure_renderable(snapshot, template_dir)
    return _store_credit(uow, snapshot, cn_number, invoice, spread, post=True)


def prepare_credit_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    kind: CreditKind | str,
    amount: Money | None = None,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`credit_invoice`'s document; return the check to run outside the lock."""
    snapshot = _credit(uow, number, issued_on, _credit_kind(kind), amount, reason, numbering(uow))[
        0
    ]
    return lambda: warm(snapshot, template_dir)


def cancel_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    kind: CreditKind | str,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Cancel invoice ``number`` by a credit note for all it still asks for; return the note.

    ``kind`` is required: a *correction* credits the document only (the pledge is unchanged and
    what the invoice covered can be invoiced again); a *reduction* also reduces the pledge by
    what the invoice still asked and posts the reversal dated ``issued_on`` at the signing-date
    rate (debit ``revenue:<edition>``, credit the receivable). ``reason`` is printed on the
    note; the note is in the invoice's language and numbered in the credit-note series. An
    issued invoice is never changed or deleted. Raises :class:`UnknownDocument`,
    :class:`NothingToCredit` (not an invoice, or nothing left to pay on it: cancelling twice),
    ``ValueError`` for a missing or unknown kind, :class:`DatesOutOfOrder` (before the
    invoice), :class:`InvalidTransition` (a reduction of a closed pledge, or one that would
    leave nothing: cancel the pledge instead) and the rendering checks' errors; nothing is
    written then.
    """
    return credit_invoice(
        uow, number, issued_on, kind=kind, reason=reason, template_dir=template_dir
    )


def prepare_cancel_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    kind: CreditKind | str,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`cancel_invoice`'s document; return the check to run outside the lock."""
    return prepare_credit_invoice(
        uow, number, issued_on, kind=kind, reason=reason, template_dir=template_dir
    )


def credit_for_pledge_change(
    uow: UnitOfWork, pledge: Pledge, on: dt.date, *, reduced_by: int, reason: str
) -> list[IssuedDocument]:
    """Credit what a pledge's open invoices ask for on instalments no longer due as they were.

    Called when a pledge is cancelled or amended (whose own entry already changed the books):
    each open invoice's part on an instalment that was replaced, cut, or cancelled is credited
    in the same transaction, as a reduction up to ``reduced_by`` (minor units the pledge went
    down) and as a correction beyond it (the new schedule is invoiced afresh). Posts nothing.
    Returns the credit notes, oldest invoice first.
    """
    if not uow.documents.invoices_of_pledge(pledge.id):
        return []
    current = uow.pledges.get(pledge.id)
    still_due = {
        i.id: to_minor(i.amount) - to_minor(i.settled)
        for i in current.instalments
        if i.id is not None and not i.replaced and current.status is not PledgeStatus.CANCELLED
    }
    notes: list[IssuedDocument] = []
    reduction_left = max(reduced_by, 0)
    asked_elsewhere: dict[int, int] = {}
    for invoice in uow.documents.invoices_of_pledge(pledge.id):
        open_by = open_on_invoice(uow, invoice)
        orphaned: dict[int, int] = {}
        for inst, amount in open_by.items():
            room = max(still_due.get(inst, 0) - asked_elsewhere.get(inst, 0), 0)
            keep = min(amount, room)
            asked_elsewhere[inst] = asked_elsewhere.get(inst, 0) + keep
            if amount > keep:
                orphaned[inst] = amount - keep
        if not orphaned:
            continue
        total = sum(orphaned.values())
        as_reduction = min(total, reduction_left)
        reduction_left -= as_reduction
        portions = [
            (CreditKind.REDUCTION, as_reduction),
            (CreditKind.CORRECTION, total - as_reduction),
        ]
        remaining = dict(orphaned)
        for kind, portion in portions:
            if portion <= 0:
                continue
            dues = {i.id: i.due_on for i in current.instalments if i.id is not None}
            spread = spread_credit(portion, remaining, dues)
            for inst, amount in spread.items():
                remaining[inst] -= amount
            snapshot, cn_number, inv, spread = _credit(
                uow, invoice.number, on, kind, None, reason, numbering(uow), spread=spread
            )
            ensure_renderable(snapshot, None)
            notes.append(_store_credit(uow, snapshot, cn_number, inv, spread, post=False))
    return notes
