"""What a payment may settle: the invoice it names, the instalments it names, or the oldest.

:func:`targets` finds the open instalments a payment (or applied credit) may settle, in the
order it settles them, with their pledges' carrying values; an invoice named by its number or
RF creditor reference comes first (:func:`invoice_ref`). Instalments of pledges signed after
the money was received are never among them. Used by :mod:`.payments` and :mod:`.credit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from wsis_funding.documents.errors import UnknownDocument
from wsis_funding.documents.model import IssuedDocument
from wsis_funding.ledger.errors import (
    InvalidTransition,
    UnknownPledge,
)
from wsis_funding.ledger.model import Instalment
from wsis_funding.ledger.settlement import (
    PledgeCarrying,
    Slot,
)
from wsis_funding.money import RecordedRate, from_minor, to_minor
from wsis_funding.money.errors import CurrencyMismatch
from wsis_funding.storage.invoice_open import InvoiceRef
from wsis_funding.storage.payments import OpenInstalmentRow
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = [
    "Targets",
    "apply_ids_of",
    "find_invoice",
    "invoice_ref",
    "targets",
    "valued",
]


def apply_ids_of(apply_to: Sequence[int | Instalment] | None) -> tuple[int, ...] | None:
    """Return the instalment ids named by ``apply_to`` (ids or Instalments), or None."""
    if apply_to is None:
        return None
    if isinstance(apply_to, str | bytes):
        raise TypeError("apply_to must be a sequence of instalment ids or Instalments")
    ids: list[int] = []
    for item in apply_to:
        value = item.id if isinstance(item, Instalment) else item
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"apply_to holds instalment ids, not {type(item).__name__}")
        ids.append(value)
    return tuple(ids)


def invoice_ref(uow: UnitOfWork, invoice: str, partner_id: int) -> InvoiceRef:
    """Return the invoice named by its number or RF creditor reference, of this partner.

    Raises ``TypeError`` for an empty or non-text name, :class:`UnknownDocument` for no such
    invoice (or a document that is not one), and :class:`InvalidTransition` for an invoice of
    another partner.
    """
    if not isinstance(invoice, str) or not invoice.strip():
        raise TypeError(f"invoice must be an invoice number or RF reference, not {invoice!r}")
    compact = invoice.replace(" ", "").upper()
    try:
        found = (
            uow.documents.ref(reference=compact)
            if compact.startswith("RF")
            else uow.documents.ref(invoice.strip())
        )
    except UnknownDocument:
        found = uow.documents.ref(invoice.strip())
    if found.kind != "invoice":
        raise UnknownDocument(f"{invoice} (a {found.kind.replace('_', ' ')}, not an invoice)")
    if found.partner_id != partner_id:
        raise InvalidTransition(
            found.pledge_id,
            "of another partner",
            f"pay invoice {found.number} for partner {partner_id}",
            f"the invoice is partner {found.partner_id}'s",
        )
    return found


def find_invoice(uow: UnitOfWork, invoice: str, partner_id: int) -> IssuedDocument:
    """Return the invoice named by its number or RF creditor reference, of this partner.

    Raises as :func:`invoice_ref`.
    """
    return uow.documents.by_id(invoice_ref(uow, invoice, partner_id).id)


@attrs.frozen(kw_only=True)
class Targets:
    """What money may settle: slots in order, their currency, and their pledges."""

    currency: str | None
    slots: tuple[Slot, ...]
    pledges: Mapping[int, PledgeCarrying]
    invoice: InvoiceRef | None = None


def _carrying(row: OpenInstalmentRow) -> PledgeCarrying:
    return PledgeCarrying(
        pledge_id=row.pledge_id,
        edition_code=row.edition_code,
        psc_rate=row.psc_rate,
        rate=row.pledge_rate,
        outstanding_minor=row.pledge_amount_minor
        - row.pledge_settled_minor
        - row.pledge_written_off_minor,
        outstanding_base=row.pledge_base_minor
        - row.pledge_settled_base_minor
        - row.pledge_written_off_base_minor,
        written_off_minor=row.pledge_written_off_minor,
        written_off_base=row.pledge_written_off_base_minor,
    )


def _slots(
    rows: Sequence[OpenInstalmentRow],
    open_on: Mapping[int, Sequence[tuple[int, int]]],
    only_invoice: int | None = None,
) -> list[Slot]:
    """Cut open instalments into slots: each invoice still open on it, then the rest.

    ``open_on`` gives, per instalment, the invoices still open on it (oldest first).
    """
    slots = []
    for r in rows:
        left = r.amount_minor - r.settled_minor
        for invoice_id, open_minor in open_on.get(r.id, ()):
            take = min(left, open_minor)
            if take > 0 and only_invoice in (None, invoice_id):
                slots.append(Slot(instalment_id=r.id, pledge_id=r.pledge_id,
                                  invoice_id=invoice_id, open_minor=take,
                                  recovery=r.written_off))  # fmt: skip
            left -= take
        if left > 0 and only_invoice is None:
            slots.append(Slot(instalment_id=r.id, pledge_id=r.pledge_id, invoice_id=None,
                              open_minor=left, recovery=r.written_off))  # fmt: skip
    return slots


def targets(
    uow: UnitOfWork,
    partner_id: int,
    currency: str,
    on: dt.date,
    *,
    invoice: str | None = None,
    apply_ids: tuple[int, ...] | None = None,
    settles: str | None = None,
) -> Targets:
    """Return what money in ``currency`` received on ``on`` settles, in order.

    The invoice named (its instalments' open parts on it, recoveries included); or the
    instalments named; or the partner's open instalments oldest due first, in ``currency``, or
    in ``settles`` (the currency of a stated amount) when given. Instalments of pledges signed
    after ``on`` are left out: money received before signing is credit until applied later.
    Raises :class:`UnknownDocument`, :class:`UnknownPledge` for an instalment of someone else,
    :class:`InvalidTransition` for a closed one, and :class:`CurrencyMismatch` when the
    instalments named are in several currencies, or when nothing is open in the money's
    currency but something is in others (naming every open currency).
    """
    document = None
    if invoice is not None:
        document = invoice_ref(uow, invoice, partner_id)
        rows = [r for r in uow.payments.invoice_instalments(document.id) if _settleable(r, True)]
        slots = _slots(rows, uow.documents.open_on_invoice(document.id), document.id)
        target = document.currency
    elif apply_ids is not None:
        rows = uow.payments.instalments(list(apply_ids))
        found = {r.id for r in rows}
        for inst_id in apply_ids:
            owner = uow.pledges.pledge_of_instalment(inst_id)
            if inst_id not in found or owner is None:
                raise UnknownPledge(inst_id, "instalment", "the books hold no such instalment")
            if owner[1] != partner_id:
                raise UnknownPledge(
                    inst_id,
                    "instalment",
                    f"not one of partner {partner_id}'s (it is on pledge {owner[0]} of partner "
                    f"{owner[1]})",
                )
        for r in rows:
            if not _settleable(r, recovery=True):
                raise InvalidTransition(
                    r.pledge_id,
                    "paid",
                    "apply money to",
                    "it is paid in full: nothing is open on it",
                    subject=f"instalment {r.id} of pledge {r.pledge_id}",
                )
        codes = sorted({r.currency for r in rows})
        if len(codes) > 1:
            raise CurrencyMismatch(codes[0], codes[1], "instalments named together")
        target = codes[0]
        invoiced = [r.id for r in rows if r.invoiced]
        slots = _slots(rows, uow.documents.open_on(invoiced) if invoiced else {})
    else:
        rows = uow.payments.open_instalments(partner_id)
        open_codes = sorted({r.currency for r in rows})
        target = settles or currency
        if target not in open_codes and open_codes:
            raise CurrencyMismatch(
                ", ".join(open_codes),
                target,
                f"open instalments of partner {partner_id} are in {', '.join(open_codes)}; "
                "name the invoice or the instalments, or state the amount it settles",
            )
        rows = [r for r in rows if r.currency == target]
        on_invoices = any(r.invoiced for r in rows)
        slots = _slots(rows, uow.documents.open_on_partner(partner_id) if on_invoices else {})
    signed_after = {r.pledge_id for r in rows if r.signed_on > on}
    return Targets(
        currency=target,
        slots=tuple(s for s in slots if s.pledge_id not in signed_after),
        pledges={r.pledge_id: _carrying(r) for r in rows if r.pledge_id not in signed_after},
        invoice=document,
    )


def _settleable(row: OpenInstalmentRow, recovery: bool) -> bool:
    if row.settled_minor >= row.amount_minor:
        return False
    return not row.written_off or recovery


def valued(rate: RecordedRate | None, code: str, base: str) -> Any:
    """Return a function valuing minor units of ``code`` in base minor units at ``rate``."""
    if rate is None:
        return lambda n: n
    return lambda n: to_minor(rate.apply(from_minor(n, code), base))
