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
from collections.abc import Sequence
from typing import Any

import attrs
from moneyed import Money

from wsis_funding.ledger import accounts
from wsis_funding.ledger.errors import (
    DuplicatePayment,
    IdempotencyConflict,
)
from wsis_funding.ledger.inputs import positive_money, require_date
from wsis_funding.ledger.model import Instalment, Partner, Payment
from wsis_funding.ledger.seals import (
    PAYMENT_SEAL,
    PAYMENT_SETTLEMENTS,
    payment_seal,
    settlements_seal,
)
from wsis_funding.ledger.settlement import (
    PaymentPlan,
    Receipt,
    plan_payment,
)
from wsis_funding.money import ExchangeRate, from_minor, to_minor, zero
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.services.checks import partner_id_of
from wsis_funding.services.rates import cross, rate_to_base
from wsis_funding.services.settling import (
    Targets,
    apply_ids_of,
    invoice_ref,
    targets,
    valued,
)
from wsis_funding.storage.payment_rows import payment_row, settlement_rows
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["record_payment", "store_plan"]


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
    partner_id = partner_id_of(uow, partner)
    if idempotency_key is not None:
        earlier = uow.payments.by_key(idempotency_key)
        if earlier is not None:
            content = {
                "partner": partner_id,
                "amount": amount,
                "bank_charges": charges,
                "received_on": received_on,
                "reference": reference,
                "apply_to": apply_ids,
                "invoice": None if invoice is None else _invoice_number(uow, invoice, partner_id),
                "settles": settles,
            }
            diffs = _differences(earlier, content)
            if diffs:
                raise IdempotencyConflict(idempotency_key, diffs)
            return earlier
    elif not duplicate_ok:
        same = uow.payments.same_bank_line(
            partner_id, currency, to_minor(amount), received_on, reference
        )
        if same is not None:
            raise DuplicatePayment(same, partner_id, amount, received_on, reference)
    found = targets(
        uow,
        partner_id,
        currency,
        received_on,
        invoice=invoice,
        apply_ids=apply_ids,
        settles=None if settles is None else settles.currency.code,
    )
    plan, target = _plan(
        uow, partner_id, amount, charges, found, received_on, reference, settles, rate
    )
    return store_plan(
        uow,
        plan,
        found,
        partner_id=partner_id,
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
