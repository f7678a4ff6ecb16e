"""The payment use case: money received settles instalments; what is left is the partner's credit.

A payment settles, in this order of precedence: the invoice it names (by number or by its RF
creditor reference), whatever older instalments are open; or the instalments it names; or the
partner's open instalments oldest due first. Each settlement records the invoice it paid.
Money received for a written-off instalment (through the invoice that asked for it, or by
naming the instalment) is a recovery. A payment received before a pledge was signed never
settles that pledge. Replaying a payment with the same idempotency key and content returns
the first one and posts nothing; the same key with other content is
:class:`IdempotencyConflict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from moneyed import Money

from wsis_funding.documents.errors import UnknownDocument
from wsis_funding.documents.model import IssuedDocument
from wsis_funding.ledger import accounts
from wsis_funding.ledger.errors import (
    DuplicatePayment,
    IdempotencyConflict,
    InvalidTransition,
    UnknownPledge,
)
from wsis_funding.ledger.inputs import positive_money, require_date
from wsis_funding.ledger.model import Instalment, Partner, Payment, PledgeStatus
from wsis_funding.ledger.seals import (
    PAYMENT_SEAL,
    PAYMENT_SETTLEMENTS,
    payment_seal,
    settlements_seal,
)
from wsis_funding.ledger.settlement import (
    PaymentPlan,
    PledgeCarrying,
    Receipt,
    Slot,
    plan_payment,
)
from wsis_funding.money import ExchangeRate, RecordedRate, from_minor, to_minor, zero
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.services.checks import partner_of
from wsis_funding.services.rates import cross, rate_to_base
from wsis_funding.storage.documents import InvoiceRef
from wsis_funding.storage.payments import OpenInstalmentRow, payment_row, settlement_rows
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = [
    "Targets",
    "apply_ids_of",
    "find_invoice",
    "invoice_ref",
    "record_payment",
    "store_plan",
    "targets",
    "valued",
]

_OPEN = (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID)


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


def store_plan(
    uow: UnitOfWork,
    plan: PaymentPlan,
    found: Targets,
    *,
    partner_id: int,
    currency: str,
    amount_minor: int,
    charges_minor: int,
    received_on: dt.date,
    reference: str,
    idempotency_key: str | None,
    apply_ids: tuple[int, ...] | None,
    source: str,
    target: tuple[str, int, str] | None,
) -> Payment:
    """Post a plan's entry, store the payment and its settlements; return the payment.

    The entry carries the seals of the payment row and of its settlements (see
    :mod:`wsis_funding.ledger.seals`), so that ``verify()`` sees any later change to them.
    """
    invoice = found.invoice
    row = payment_row(
        partner_id=partner_id,
        currency=currency,
        amount_minor=amount_minor,
        charges_minor=charges_minor,
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        apply_to=apply_ids,
        settled_minor=plan.used_minor,
        unapplied_minor=plan.unapplied_minor,
        source=source,
        invoice_id=None if invoice is None else invoice.id,
        target=target,
    )
    sealed = (
        (PAYMENT_SEAL, payment_seal(row)),
        (PAYMENT_SETTLEMENTS, settlements_seal(settlement_rows(plan.parts, received_on))),
    )
    references = (*plan.entry.references, *sealed)
    entry = uow.post([attrs.evolve(plan.entry, references=references)])[0]
    assert entry.seq is not None
    payment_id = uow.payments.add(row, entry.seq)
    if plan.parts:
        before = {
            pid: (c.outstanding_minor, c.written_off_minor) for pid, c in found.pledges.items()
        }
        uow.payments.settle(payment_id, received_on, plan.parts, before)
    return Payment(
        id=payment_id,
        partner_id=partner_id,
        amount=from_minor(amount_minor, currency),
        bank_charges=from_minor(charges_minor, currency),
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        settled=from_minor(plan.used_minor, currency),
        unapplied=from_minor(plan.unapplied_minor, currency),
        entry_seq=entry.seq,
        apply_to=apply_ids,
        source=source,
        invoice=None if invoice is None else invoice.number,
        settles=None if target is None else from_minor(target[1], target[0]),
        settles_basis=None if target is None else target[2],
    )


def _differences(old: Payment, new: dict[str, Any]) -> list[str]:
    mine = {
        "partner": old.partner_id,
        "amount": old.amount,
        "bank_charges": old.bank_charges,
        "received_on": old.received_on,
        "reference": old.reference,
        "apply_to": old.apply_to,
        "invoice": old.invoice,
        "settles": old.settles if old.settles_basis == "stated" else None,
    }
    return [f"{k}: {mine[k]!r} then, {v!r} now" for k, v in new.items() if mine[k] != v]


def record_payment(
    uow: UnitOfWork,
    partner: Partner | int,
    amount: Money,
    *,
    received_on: dt.date,
    reference: str,
    idempotency_key: str | None = None,
    bank_charges: Money | None = None,
    apply_to: Sequence[int | Instalment] | None = None,
    invoice: str | None = None,
    settles: Money | None = None,
    rate: ExchangeRate | None = None,
    duplicate_ok: bool = False,
) -> Payment:
    """Record money received from a partner and settle its open instalments.

    ``amount`` is what the bank credited on ``received_on`` (the value date), ``reference``
    the bank's reference of the line, ``bank_charges`` what banks deducted on the way (amount
    plus charges is what the partner paid and what is settled). It settles the ``invoice``
    named (number or RF creditor reference), whatever older instalments are open; or the
    instalments in ``apply_to``; or the partner's open instalments oldest due first. What is
    left becomes the partner's unapplied credit. Money for a written-off instalment recovers
    the write-off. Money in another currency than the instalments settles the amount of their
    currency that ``settles`` states (the bank's instructed amount), or else the conversion
    at the stored rates of the value date; the payment records which. ``rate`` is a dated
    rate of the payment currency to use (stored with the others) when the stored one is
    older than the books allow. With an ``idempotency_key``, recording the same payment again
    returns the first one and posts nothing. Without one, a payment identical to a bank
    payment already recorded (same partner, amount, value date and bank reference) is refused
    as a probable duplicate, unless ``duplicate_ok`` says the bank really credited it twice.

    Posts one entry dated ``received_on``: debit ``bank:<currency>`` (and ``bank_charges``),
    credit the receivable at its carrying value (signing-date rate) and ``unapplied:<partner>``
    for any excess; for a recovery, debit the receivable and credit ``write_off`` first; the
    realised exchange difference (IPSAS 4) to ``fx_gain_loss`` in base currency only, never for
    a base-currency payment of a base-currency pledge; between currencies, through
    ``conversion:<currency>``; and PSC at the edition's rate on what was settled (debit
    ``psc:<edition>``, credit ``psc_income``). The money's base value is computed once and
    then split, so the exchange difference is exact to the centime.

    Raises ``TypeError`` for floats or a non-date, :class:`InvalidAmount` for a non-positive
    amount or charges larger than it, :class:`UnknownPartner`, :class:`UnknownDocument`,
    :class:`CurrencyMismatch` (naming every open currency) when nothing says what money in
    another currency settles, :class:`MissingRate` or :class:`StaleRate` without a usable rate
    on ``received_on``, :class:`UnknownPledge` for an instalment of someone else,
    :class:`InvalidTransition` for a closed one or an invoice of another partner,
    ``ValueError`` for an empty reference, :class:`IdempotencyConflict` for a reused key
    with different content and :class:`DuplicatePayment` (naming the payment already
    recorded) for a probable duplicate.
    """
    amount = positive_money(amount, "payment amount")
    currency = amount.currency.code
    charges = zero(currency) if bank_charges is None else bank_charges
    charges = positive_money(charges, "bank charges", allow_zero=True)
    if charges.currency.code != currency:
        raise CurrencyMismatch(currency, charges.currency.code, "bank charges")
    if charges > amount:
        raise InvalidAmount(
            charges.amount,
            f"bank charges of {charges.amount} {currency} exceed the {amount.amount} {currency} "
            "received",
        )
    received_on = require_date(received_on, "received_on")
    if not isinstance(reference, str) or not reference.strip():
        raise ValueError(f"a payment needs a bank reference, got {reference!r}")
    if idempotency_key is not None and not isinstance(idempotency_key, str):
        raise TypeError("idempotency_key must be a str or None")
    if not isinstance(duplicate_ok, bool):
        raise TypeError(f"duplicate_ok must be True or False, not {duplicate_ok!r}")
    if settles is not None:
        settles = positive_money(settles, "amount settled")
    apply_ids = apply_ids_of(apply_to)
    p = partner_of(uow, partner)
    assert p.id is not None
    if idempotency_key is not None:
        earlier = uow.payments.by_key(idempotency_key)
        if earlier is not None:
            content = {
                "partner": p.id,
                "amount": amount,
                "bank_charges": charges,
                "received_on": received_on,
                "reference": reference,
                "apply_to": apply_ids,
                "invoice": None if invoice is None else _invoice_number(uow, invoice, p.id),
                "settles": settles,
            }
            diffs = _differences(earlier, content)
            if diffs:
                raise IdempotencyConflict(idempotency_key, diffs)
            return earlier
    elif not duplicate_ok:
        same = uow.payments.same_bank_line(p.id, currency, to_minor(amount), received_on, reference)
        if same is not None:
            raise DuplicatePayment(same, p.id, amount, received_on, reference)
    found = targets(
        uow,
        p.id,
        currency,
        received_on,
        invoice=invoice,
        apply_ids=apply_ids,
        settles=None if settles is None else settles.currency.code,
    )
    plan, target = _plan(uow, p.id, amount, charges, found, received_on, reference, settles, rate)
    return store_plan(
        uow,
        plan,
        found,
        partner_id=p.id,
        currency=currency,
        amount_minor=to_minor(amount),
        charges_minor=to_minor(charges),
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        apply_ids=apply_ids,
        source="bank",
        target=target,
    )


def _invoice_number(uow: UnitOfWork, invoice: str, partner_id: int) -> str:
    return invoice_ref(uow, invoice, partner_id).number


def _plan(
    uow: UnitOfWork,
    partner_id: int,
    amount: Money,
    charges: Money,
    found: Targets,
    received_on: dt.date,
    reference: str,
    settles: Money | None,
    rate: ExchangeRate | None,
) -> tuple[PaymentPlan, tuple[str, int, str] | None]:
    """Value the money once and plan what it settles; return the plan and what it settled."""
    base, code = uow.base, amount.currency.code
    target = found.currency or code
    pay_rate = rate_to_base(uow, code, received_on, rate)
    gross = to_minor(amount) + to_minor(charges)
    if settles is not None and settles.currency.code != target:
        raise CurrencyMismatch(target, settles.currency.code, "amount settled")
    available, basis, target_rate = gross, "", pay_rate
    if target != code and found.slots:
        target_rate = rate_to_base(uow, target, received_on)
        if settles is not None:
            available, basis = to_minor(settles), "stated"
        else:
            converted = cross(from_minor(gross, code), target, pay_rate, target_rate)
            available, basis = to_minor(converted), "converted"
    plan = plan_payment(
        partner_id=partner_id,
        base=base,
        receipt=Receipt(
            currency=code,
            amount_minor=to_minor(amount),
            charges_minor=to_minor(charges),
            source_account=accounts.bank(code),
            rate=pay_rate,
            value=valued(pay_rate, code, base),
            target_currency=target,
            available_minor=available,
        ),
        slots=found.slots,
        pledges=found.pledges,
        psc_value=valued(target_rate, target, base),
        psc_rate=target_rate,
        received_on=received_on,
        reference=reference,
    )
    if target == code or not plan.settled_minor:
        return plan, None
    return plan, (target, plan.settled_minor, basis)
