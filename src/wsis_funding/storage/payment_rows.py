"""A payment and its settlements as stored, in the order their seals are computed in.

The payment use case computes the seals (:mod:`wsis_funding.ledger.seals`) from these rows
before its entry is appended, and :class:`~wsis_funding.storage.payments.Payments` stores
exactly them, so what ``verify()`` recomputes from the tables is what was sealed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wsis_funding.ledger.settlement import SettledPart

if TYPE_CHECKING:
    pass

__all__ = ["payment_row", "settlement_rows"]


def payment_row(
    *,
    partner_id: int,
    currency: str,
    amount_minor: int,
    charges_minor: int,
    received_on: dt.date,
    reference: str,
    idempotency_key: str | None,
    apply_to: Sequence[int] | None,
    settled_minor: int,
    unapplied_minor: int,
    source: str = "bank",
    invoice_id: int | None = None,
    target: tuple[str, int, str] | None = None,
) -> tuple[object, ...]:
    """Return a payment as it is stored, in the order of :data:`seals.PAYMENT_COLUMNS`.

    ``source`` is "bank" for money received, "credit" for unapplied credit applied later;
    ``target`` is (currency, minor units, basis) of what money in another currency settled.
    The seal of the payment is computed from this row before its entry is appended, and
    :meth:`Payments.add` stores exactly it.
    """
    apply_text = None if apply_to is None else ",".join(map(str, apply_to))
    target_currency, target_minor, basis = target if target else (None, None, None)
    return (
        partner_id, currency, amount_minor, charges_minor, received_on, reference,
        idempotency_key, apply_text, settled_minor, unapplied_minor, source, invoice_id,
        target_currency, target_minor, basis,
    )  # fmt: skip


def settlement_rows(parts: Sequence[SettledPart], received_on: dt.date) -> list[tuple[object, ...]]:
    """Return what a payment settles as stored, in the order of ``SETTLEMENT_COLUMNS``."""
    return [
        (s.instalment_id, s.pledge_id, s.amount_minor, s.carrying_base_minor,
         s.paid_base_minor, received_on, s.invoice_id)
        for s in parts
    ]  # fmt: skip
