"""Acknowledgement letters: thank a partner for a payment, with what it paid and what is left.

Letters are numbered in their own series (``WSIS-ACK-2024-0001``) in the transaction that
stores them, and checked renderable first; :func:`prepare_acknowledge` drafts the same letter
so the facade can do that check before taking the lock (see :mod:`.preparing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from wsis_funding.documents.building import letter_snapshot, recognition_title
from wsis_funding.documents.errors import NothingToAcknowledge
from wsis_funding.documents.model import IssuedDocument, LetterSnapshot
from wsis_funding.documents.numbering import DocumentNumber, series_of
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Payment, Pledge
from wsis_funding.money import from_minor
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.services.documents import NumberFor, numbering
from wsis_funding.services.preparing import ensure_renderable, warm
from wsis_funding.services.queries import partner_standing
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import parse_schedule

__all__ = ["acknowledge", "prepare_acknowledge"]


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
    per_pledge = uow.payments.settled_per_pledge(payment_id)
    if pledge is not None:
        wanted = pledge_id_of(pledge)
        if wanted not in per_pledge:
            raise NothingToAcknowledge(payment_id, f"it settled nothing of pledge {wanted}")
    elif len(per_pledge) == 1:
        (wanted,) = per_pledge
    else:
        settled = ", ".join(str(p) for p in per_pledge) or "none"
        raise NothingToAcknowledge(payment_id, f"say which pledge (it settled: {settled})")
    p = uow.pledges.get(wanted)
    edition = edition_of(uow, p.edition_code)
    partner = partner_of(uow, p.partner_id)
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    if p.package is not None:
        package = schedule.package(p.package)
        recognition, benefits = package.title, package.benefits
    else:
        tier = partner_standing(uow, p.partner_id, edition.code).tier
        recognition = recognition_title(tier, partner.language.value)
        benefits = schedule.benefits.get(tier, ()) if tier else ()
    invoices = [d for d in uow.documents.for_pledge(p.id) if d.kind == "invoice"]
    number = number_for(series_of(edition.invoice_prefix, "letter"), issued_on.year)
    snapshot = letter_snapshot(
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        settled=from_minor(per_pledge[wanted], p.currency),
        balance_after=p.outstanding,
        received_on=found.received_on,
        amount_credited=found.amount,
        bank_charges=found.bank_charges,
        kept_as_credit=found.unapplied,
        paid_invoice=invoices[-1].number if invoices else None,
        bank_reference=found.reference,
        issued_on=issued_on,
        language=partner.language.value,
        recognition=recognition,
        benefits=tuple(benefits),
        payment_reference=invoices[-1].payment_reference if invoices else None,
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

    The letter, in the partner's language, states the amount received, the pledge's remaining
    balance and the tier (or activity package) recognised with its benefits, and is signed by
    the issuer's signatory. Letters have their own series (``WSIS-ACK-2024-0001``). Posts
    nothing. Raises :class:`NothingToAcknowledge` for an unknown payment, one that settled no
    pledge, applied earlier credit rather than money received, or several pledges when
    ``pledge`` does not say which; and the rendering checks' errors.
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
