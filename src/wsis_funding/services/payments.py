"""The payment use case: settle instalments, post FX differences, PSC and bank charges.

Replaying a payment with the same idempotency key and content returns the first one and posts
nothing; the same key with other content is :class:`IdempotencyConflict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from moneyed import Money

from wsis_funding.ledger.errors import IdempotencyConflict, InvalidTransition, UnknownPledge
from wsis_funding.ledger.inputs import positive_money, require_date
from wsis_funding.ledger.model import Instalment, Partner, Payment
from wsis_funding.ledger.settlement import OpenInstalment, PaymentPlan, plan_payment
from wsis_funding.money import RecordedRate, from_minor, to_minor, zero
from wsis_funding.money.errors import CurrencyMismatch
from wsis_funding.services.checks import partner_of
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["apply_ids_of", "open_candidates", "record_payment", "store_plan"]


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


def _differences(old: Payment, new: dict[str, Any]) -> list[str]:
    mine = {
        "partner": old.partner_id,
        "amount": old.amount,
        "bank_charges": old.bank_charges,
        "received_on": old.received_on,
        "reference": old.reference,
        "apply_to": old.apply_to,
    }
    return [f"{k}: {mine[k]!r} then, {v!r} now" for k, v in new.items() if mine[k] != v]


def open_candidates(
    uow: UnitOfWork, partner_id: int, currency: str, apply_ids: tuple[int, ...] | None
) -> list[OpenInstalment]:
    """Return the partner's open instalments that money in ``currency`` may settle, in order.

    Oldest due first, or only those named in ``apply_ids``. Raises :class:`UnknownPledge` for
    an instalment of someone else, :class:`InvalidTransition` for a closed one and
    :class:`CurrencyMismatch` for instalments in another currency.
    """
    rows = uow.payments.open_instalments(partner_id)
    if apply_ids is not None:
        by_id = {r.id: r for r in rows}
        for inst_id in apply_ids:
            if inst_id not in by_id:
                owner = uow.pledges.pledge_of_instalment(inst_id)
                if owner is None or owner[1] != partner_id:
                    raise UnknownPledge(inst_id, f"instalment of partner {partner_id}")
                raise InvalidTransition(
                    inst_id, "closed", "apply a payment to", "the instalment is not open"
                )
            if by_id[inst_id].currency != currency:
                raise CurrencyMismatch(
                    by_id[inst_id].currency, currency, f"payment applied to instalment {inst_id}"
                )
        named = set(apply_ids)
        rows = [r for r in rows if r.id in named]
    else:
        same = [r for r in rows if r.currency == currency]
        if rows and not same:
            raise CurrencyMismatch(
                rows[0].currency, currency, f"open pledges of partner {partner_id}"
            )
        rows = same
    return [
        OpenInstalment(
            instalment_id=r.id,
            pledge_id=r.pledge_id,
            edition_code=r.edition_code,
            psc_rate=r.psc_rate,
            open_minor=r.amount_minor - r.settled_minor,
            pledge_outstanding_minor=r.pledge_amount_minor - r.pledge_settled_minor,
            pledge_outstanding_base=r.pledge_base_minor - r.pledge_settled_base_minor,
            pledge_rate=r.pledge_rate,
        )
        for r in rows
    ]


def store_plan(
    uow: UnitOfWork,
    plan: PaymentPlan,
    candidates: Sequence[OpenInstalment],
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
) -> Payment:
    """Post a payment plan's entry, store the payment and its settlements; return the payment."""
    entry = uow.post([plan.entry])[0]
    assert entry.seq is not None
    payment_id = uow.payments.add(
        partner_id=partner_id,
        currency=currency,
        amount_minor=amount_minor,
        charges_minor=charges_minor,
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        apply_to=apply_ids,
        settled_minor=plan.settled_minor,
        unapplied_minor=plan.unapplied_minor,
        entry_seq=entry.seq,
        source=source,
    )
    if plan.parts:
        before = {c.pledge_id: c.pledge_outstanding_minor for c in reversed(candidates)}
        uow.payments.settle(payment_id, received_on, plan.parts, before)
    return Payment(
        id=payment_id,
        partner_id=partner_id,
        amount=from_minor(amount_minor, currency),
        bank_charges=from_minor(charges_minor, currency),
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        settled=from_minor(plan.settled_minor, currency),
        unapplied=from_minor(plan.unapplied_minor, currency),
        entry_seq=entry.seq,
        apply_to=apply_ids,
        source=source,
    )


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
) -> Payment:
    """Record money received from a partner and settle its open instalments.

    ``amount`` is what the bank credited on ``received_on`` (the value date), ``reference``
    the bank's reference of the line, ``bank_charges`` what banks deducted on the way (amount
    plus charges is what the partner paid and what is settled). Open instalments in the
    payment currency are settled oldest due first, or only those in ``apply_to`` (instalment
    ids or Instalments); what is left becomes the partner's unapplied credit. With an
    ``idempotency_key``, recording the same payment again returns the first one and posts
    nothing.

    Posts one entry dated ``received_on``: debit ``bank:<currency>`` (and ``bank_charges``),
    credit the receivable at its carrying value (signing-date rate) and ``unapplied:<partner>``
    for any excess; the realised exchange difference (IPSAS 4) to ``fx_gain_loss`` in base
    currency only, never for a base-currency payment; and PSC at the edition's rate on what was
    settled (debit ``psc:<edition>``, credit ``psc_income``). Amounts in another currency are
    valued at the rate in force on ``received_on``.

    Raises ``TypeError`` for floats or a non-date, :class:`InvalidAmount` for a non-positive
    amount, :class:`UnknownPartner`, :class:`CurrencyMismatch` for a payment in another
    currency than the open pledges (or charges in another currency), :class:`MissingRate`
    without a rate on ``received_on``, :class:`UnknownPledge` for an instalment of someone
    else, :class:`InvalidTransition` for a closed one, ``ValueError`` for an empty reference
    and :class:`IdempotencyConflict` for a reused key with different content.
    """
    amount = positive_money(amount, "payment amount")
    currency = amount.currency.code
    charges = zero(currency) if bank_charges is None else bank_charges
    charges = positive_money(charges, "bank charges", allow_zero=True)
    if charges.currency.code != currency:
        raise CurrencyMismatch(currency, charges.currency.code, "bank charges")
    received_on = require_date(received_on, "received_on")
    if not isinstance(reference, str) or not reference.strip():
        raise ValueError(f"a payment needs a bank reference, got {reference!r}")
    if idempotency_key is not None and not isinstance(idempotency_key, str):
        raise TypeError("idempotency_key must be a str or None")
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
            }
            diffs = _differences(earlier, content)
            if diffs:
                raise IdempotencyConflict(idempotency_key, diffs)
            return earlier
    candidates = open_candidates(uow, p.id, currency, apply_ids)
    base = uow.base
    pay_rate: RecordedRate | None = None
    if currency == base:

        def to_base(n: int) -> int:
            return n
    else:
        table = uow.rates.table([currency, base])
        pay_rate = table.convert(from_minor(1, currency), base, received_on).recorded

        def to_base(n: int) -> int:
            return to_minor(table.convert(from_minor(n, currency), base, received_on).money)

    plan = plan_payment(
        partner_id=p.id,
        currency=currency,
        base=base,
        amount_minor=to_minor(amount),
        charges_minor=to_minor(charges),
        received_on=received_on,
        reference=reference,
        candidates=candidates,
        to_base=to_base,
        pay_rate=pay_rate,
    )
    return store_plan(
        uow,
        plan,
        candidates,
        partner_id=p.id,
        currency=currency,
        amount_minor=to_minor(amount),
        charges_minor=to_minor(charges),
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        apply_ids=apply_ids,
        source="bank",
    )
