"""Acknowledgement letters: thank a partner for a payment, with what it paid and what is left.

Letters are numbered in their own series (``WSIS-ACK-2024-0001``) in the transaction that
stores them, and checked renderable first; :func:`prepare_acknowledge` drafts the same letter
so the facade can do that check before taking the lock (see :mod:`.preparing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from wsis_funding.documents.building import letter_snapshot
from wsis_funding.documents.errors import NothingToAcknowledge
from wsis_funding.documents.model import IssuedDocument, LetterSnapshot
from wsis_funding.documents.numbering import DocumentNumber, series_of
from wsis_funding.ledger.errors import DatesOutOfOrder
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Payment, Pledge
from wsis_funding.money import from_minor
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.services.documents import NumberFor, numbering, what_it_is_for
from wsis_funding.services.preparing import ensure_renderable, warm
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["acknowledge", "draft_acknowledgement", "prepare_acknowledge"]


def _letter(
    uow: UnitOfWork,
    payment: Payment | int,
    issued_on: dt.date,
    pledge: Pledge | int | None,
    number_for: NumberFor,
) -> tuple[LetterSnapshot, DocumentNumber, int, int]:
    issuer = uow.issuer
    require_date(issued_on, "issued_on")
    payment_id = payment.id if isinstance(payment, Payment) else payment
    if isinstance(payment_id, bool) or not isinstance(payment_id, int):
        raise TypeError(f"payment must be a Payment or an int id, not {type(payment).__name__}")
    found = uow.payments.get(payment_id)
    if found is None:
        raise NothingToAcknowledge(payment_id, "no such payment")
    if found.source != "bank":
        raise NothingToAcknowledge(
            payment_id, "it applied unapplied credit; acknowledge the payment that brought it"
        )
    if issued_on < found.received_on:
        raise DatesOutOfOrder(
            f"the letter for payment {payment_id}", issued_on, "the payment", found.received_on
        )
    settlements = uow.payments.settlements_of(payment_id)
    per_pledge: dict[int, int] = {}
    for pledge_id, _, _, amount in settlements:
        per_pledge[pledge_id] = per_pledge.get(pledge_id, 0) + amount
    if pledge is not None:
        wanted = pledge_id_of(pledge)
        if wanted not in per_pledge:
            raise NothingToAcknowledge(payment_id, f"it settled nothing of pledge {wanted}")
    elif len(per_pledge) == 1:
        (wanted,) = per_pledge
    elif not per_pledge:
        kept = f"{found.unapplied.amount} {found.unapplied.currency.code}"
        raise NothingToAcknowledge(
            payment_id,
            f"it settled no pledge: all of it ({kept}) is kept as the partner's unapplied credit",
        )
    else:
        settled = ", ".join(f"pledge {p}" for p in per_pledge)
        raise NothingToAcknowledge(
            payment_id, f"it settled {settled}: say which one the letter is for (pledge=...)"
        )
    p = uow.pledges.get(wanted)
    edition = edition_of(uow, p.edition_code)
    partner = partner_of(uow, p.partner_id)
    recognition, benefits = what_it_is_for(uow, p, partner.language.value)
    paid = [inv for pid, _, inv, _ in settlements if pid == wanted and inv is not None]
    invoice = uow.documents.by_id(paid[0]) if paid else None
    balance = uow.balances.receivable_of_pledge(p.partner_id, p.id, up_to=found.entry_seq)
    number = number_for(series_of(edition.invoice_prefix, "letter"), issued_on.year)
    snapshot = letter_snapshot(
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        settled=from_minor(per_pledge[wanted], p.currency),
        balance_after=from_minor(balance, p.currency),
        received_on=found.received_on,
        amount_credited=found.amount,
        bank_charges=found.bank_charges,
        kept_as_credit=found.unapplied,
        paid_invoice=None if invoice is None else invoice.number,
        payment_reference=None if invoice is None else invoice.payment_reference,
        bank_reference=found.reference,
        issued_on=issued_on,
        language=partner.language.value,
        recognition=recognition,
        benefits=benefits,
    )
    return snapshot, number, p.id, payment_id


def acknowledge(
    uow: UnitOfWork,
    payment: Payment | int,
    issued_on: dt.date,
    *,
    pledge: Pledge | int | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue an acknowledgement letter for a payment towards one of its pledges.

    The letter, in the partner's language, states the facts of that payment: the full amount
    the bank credited, the bank charges, how it was applied (settled on this pledge, kept as
    the partner's credit), the pledge's balance right after the payment (not today's), and the
    invoice it paid (or the bank reference when it paid none); then the tier the partner's
    standing earns (or the activity package) with its benefits, signed by the issuer's
    signatory. It is dated ``issued_on``, on or after the payment. ``payment`` is the
    :class:`Payment` or its id; ``pledge`` says which of its pledges the letter is for when it
    settled several. Letters have their own series
    (``WSIS-ACK-2024-0001``). Posts nothing. Raises :class:`NothingToAcknowledge` for an
    unknown payment, one that settled no pledge (all kept as credit), applied earlier credit
    rather than money received, or several pledges when ``pledge`` does not say which;
    :class:`DatesOutOfOrder` for a letter dated before its payment; and the rendering checks'
    errors.
    """
    snapshot, number, pledge_id, payment_id = _letter(
        uow, payment, issued_on, pledge, numbering(uow)
    )
    ensure_renderable(snapshot, template_dir)
    return uow.documents.add(
        kind="letter", number=number, pledge_id=pledge_id, payment_id=payment_id, snapshot=snapshot
    )


def prepare_acknowledge(
    uow: UnitOfWork,
    payment: Payment | int,
    issued_on: dt.date,
    *,
    pledge: Pledge | int | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`acknowledge`'s letter; return the check to run outside the lock."""
    snapshot = _letter(uow, payment, issued_on, pledge, numbering(uow))[0]
    return lambda: warm(snapshot, template_dir)


def draft_acknowledgement(
    uow: UnitOfWork,
    payment: Payment | int,
    issued_on: dt.date,
    *,
    pledge: Pledge | int | None = None,
    number_for: NumberFor,
) -> LetterSnapshot:
    """Build the letter :func:`acknowledge` would issue now, numbered by ``number_for``.

    Stores nothing and checks no rendering (a batch run renders drafts in other processes).
    Raises as :func:`acknowledge`.
    """
    return _letter(uow, payment, issued_on, pledge, number_for)[0]
