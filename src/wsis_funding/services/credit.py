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
from decimal import Decimal

from moneyed import Money

from wsis_funding.ledger import accounts
from wsis_funding.ledger.errors import NoCreditToApply
from wsis_funding.ledger.inputs import positive_money, require_date
from wsis_funding.ledger.model import Instalment, Partner, Payment
from wsis_funding.ledger.settlement import plan_payment
from wsis_funding.money import CONTEXT, from_minor, minor_unit_exponent, quantize, to_minor
from wsis_funding.services.checks import partner_of
from wsis_funding.services.payments import apply_ids_of, open_candidates, store_plan
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
) -> Payment:
    """Apply the partner's unapplied credit in ``currency`` to its open instalments on ``on``.

    Applies ``amount`` (default: all of the credit), oldest instalment first or only those in
    ``apply_to``, never more than is open. The credit is money already received, so it
    settles like a payment: posts one entry dated ``on`` that debits ``unapplied:<partner>``
    at the credit's own carrying value (pro rata), credits the receivable at its carrying
    value, posts the realised exchange difference and charges PSC now. Returns the
    application as a :class:`Payment` with ``source="credit"``. Raises
    :class:`NoCreditToApply` when there is no (or not enough) credit or nothing open to apply
    it to, :class:`UnknownCurrency`, :class:`UnknownPartner`, and the errors of
    :func:`open_candidates`.
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
            raise NoCreditToApply(p.id, currency, f"only {have} is available")
    apply_ids = apply_ids_of(apply_to)
    candidates = open_candidates(uow, p.id, currency, apply_ids)
    used = min(wanted, sum(c.open_minor for c in candidates))
    if used <= 0:
        raise NoCreditToApply(p.id, currency, "nothing is open to apply it to")

    def carried(n: int) -> int:
        # The credit's own carrying value, pro rata; all of it when all is used.
        if n == credit:
            return credit_base
        share = CONTEXT.divide(CONTEXT.multiply(Decimal(credit_base), Decimal(n)), credit)
        return to_minor(quantize(share.scaleb(-minor_unit_exponent(uow.base)), uow.base))

    reference = f"unapplied credit of partner {p.id}"
    plan = plan_payment(
        partner_id=p.id,
        currency=currency,
        base=uow.base,
        amount_minor=used,
        charges_minor=0,
        received_on=on,
        reference=reference,
        candidates=candidates,
        to_base=carried,
        pay_rate=None,
        source_account=accounts.unapplied(p.id),
        kind="credit_applied",
        memo=f"Unapplied credit of partner {p.id} applied: {from_minor(used, currency).amount}",
    )
    return store_plan(
        uow,
        plan,
        candidates,
        partner_id=p.id,
        currency=currency,
        amount_minor=used,
        charges_minor=0,
        received_on=on,
        reference=reference,
        idempotency_key=None,
        apply_ids=apply_ids,
        source="credit",
    )
