"""Applying a partner's unapplied credit (from an overpayment) to open instalments.

The credit is money already received, so applying it settles instalments like a payment:
the receivable leaves at its carrying value, the realised exchange difference is posted, and
PSC is charged on it now (it was not charged when the credit arose, since the money belonged
to no edition then). The credit is valued at what it is carried at in the books: its base
balance pro rata (the whole base balance when all of it is used), never at a new rate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from moneyed import Money

from wsis_funding.ledger import accounts
from wsis_funding.ledger.errors import NoCreditToApply
from wsis_funding.ledger.inputs import positive_money, require_date
from wsis_funding.ledger.model import Instalment, Partner, Payment
from wsis_funding.ledger.settlement import Receipt, plan_payment, share
from wsis_funding.money import from_minor, minor_unit_exponent, to_minor
from wsis_funding.services.checks import partner_of
from wsis_funding.services.payments import store_plan
from wsis_funding.services.rates import cross, rate_to_base
from wsis_funding.services.settling import apply_ids_of, targets, valued
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["apply_credit"]


def apply_credit(
    uow: UnitOfWork,
    partner: Partner | int,
    currency: str,
    *,
    on: dt.date,
    amount: Money | None = None,
    apply_to: Sequence[int | Instalment] | None = None,
    invoice: str | None = None,
) -> Payment:
    """Apply the partner's unapplied credit in ``currency`` to open instalments on ``on``.

    Applies ``amount`` of the credit (default: all of it) to the ``invoice`` named, or the
    instalments in ``apply_to``, or the open instalments oldest due first; never more than is
    open, and never to a pledge signed after ``on``. Credit in another currency than the
    instalments settles the conversion of the credit at the stored rates of ``on``. The credit
    is money already received, so it settles like a payment: posts one entry dated ``on`` that
    debits ``unapplied:<partner>`` at the credit's own carrying value (pro rata; all of it when
    all is used), credits the receivable at its carrying value, posts the realised exchange
    difference and charges PSC now. Returns the application as a :class:`Payment` with
    ``source="credit"``. Raises :class:`NoCreditToApply` when there is no (or not enough)
    credit or nothing open to apply it to, :class:`UnknownCurrency`, :class:`UnknownPartner`,
    and the errors of :func:`settling.targets`.
    """
    minor_unit_exponent(currency)
    on = require_date(on, "on")
    p = partner_of(uow, partner)
    assert p.id is not None
    credit, credit_base = uow.balances.unapplied_credit(p.id, currency)
    if credit <= 0:
        raise NoCreditToApply(p.id, currency, "the partner has no unapplied credit")
    wanted = credit
    if amount is not None:
        wanted = to_minor(positive_money(amount, "credit to apply"))
        if amount.currency.code != currency:
            raise NoCreditToApply(p.id, currency, f"the amount is in {amount.currency.code}")
        if wanted > credit:
            have = from_minor(credit, currency).amount
            raise NoCreditToApply(p.id, currency, f"only {have} {currency} is available")
    apply_ids = apply_ids_of(apply_to)
    found = targets(uow, p.id, currency, on, invoice=invoice, apply_ids=apply_ids)
    if not found.slots:
        raise NoCreditToApply(p.id, currency, "nothing is open to apply it to")
    target = found.currency or currency

    def carried(n: int) -> int:
        # The credit's own carrying value, pro rata; all of it when all is used.
        return credit_base if n == credit else share(credit_base, n, credit)

    available, target_rate, psc_value = wanted, None, carried
    if target != currency:
        target_rate = rate_to_base(uow, target, on)
        credit_rate = rate_to_base(uow, currency, on)
        available = to_minor(cross(from_minor(wanted, currency), target, credit_rate, target_rate))
        psc_value = valued(target_rate, target, uow.base)
    reference = f"unapplied credit of partner {p.id}"
    plan = plan_payment(
        partner_id=p.id,
        base=uow.base,
        receipt=Receipt(
            currency=currency,
            amount_minor=wanted,
            charges_minor=0,
            source_account=accounts.unapplied(p.id),
            rate=None,
            value=carried,
            target_currency=target,
            available_minor=available,
            keep_rest=True,
        ),
        slots=found.slots,
        pledges=found.pledges,
        psc_value=psc_value,
        psc_rate=target_rate,
        received_on=on,
        reference=reference,
        kind="credit_applied",
        memo=f"Unapplied credit of partner {p.id} applied: {from_minor(wanted, currency).amount}",
    )
    if plan.settled_minor <= 0:
        raise NoCreditToApply(p.id, currency, "nothing is open to apply it to")
    return store_plan(
        uow,
        plan,
        found,
        partner_id=p.id,
        currency=currency,
        amount_minor=plan.used_minor,
        charges_minor=0,
        received_on=on,
        reference=reference,
        idempotency_key=None,
        apply_ids=apply_ids,
        source="credit",
        target=None if target == currency else (target, plan.settled_minor, "converted"),
    )
