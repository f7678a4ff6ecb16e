"""The payment use case: settle instalments, post FX differences, PSC and bank charges.

Replaying a payment with the same idempotency key and content returns the first one and posts
nothing; the same key with other content is :class:`IdempotencyConflict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from moneyed import Money
from sqlalchemy import select

from wsis_funding.errors import (
    CurrencyMismatch,
    IdempotencyConflict,
    InvalidTransition,
    UnknownPledge,
)
from wsis_funding.storage import tables as t
from wsis_funding.ledger.model import Instalment, Partner, Payment, PledgeStatus
from wsis_funding.ledger.posting import rate_info
from wsis_funding.storage.repository import SqlPayments, SqlRates
from wsis_funding.ledger.settlement import OpenInstalment, SettledPart, plan_payment
from wsis_funding.money import from_minor, to_minor, zero
from wsis_funding.services.checks import partner_of, positive_money, require_date
from wsis_funding.storage.unit_of_work import Tx

__all__ = ["apply_ids_of", "open_candidates", "record_payment", "store_settlements"]

_OPEN = (PledgeStatus.CONFIRMED.value, PledgeStatus.PARTIALLY_PAID.value)


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


# The statements of the payment path, run on the driver cursor (see ledger.driver): a payment
# is a dozen small statements, and SQLAlchemy's per-statement overhead was most of its cost.
_OPEN_INSTALMENTS = (
    "SELECT i.id, i.pledge_id, i.amount_minor, i.settled_minor, p.currency, p.amount_minor,"
    " p.base_minor, p.settled_minor, p.settled_base_minor, p.rate, p.rate_date, p.rate_source,"
    " e.code, e.psc_rate FROM instalments i"
    " JOIN pledges p ON p.id = i.pledge_id JOIN editions e ON e.id = p.edition_id"
    f" WHERE p.partner_id = ? AND p.status IN ('{_OPEN[0]}', '{_OPEN[1]}')"
    " AND i.replaced = false AND i.written_off = false AND i.settled_minor < i.amount_minor"
    " ORDER BY i.due_on, p.signed_on, p.id, i.seq"
)
_INSERT_PAYMENT = (
    "INSERT INTO payments (partner_id, currency, amount_minor, charges_minor, received_on,"
    " reference, idempotency_key, apply_to, settled_minor, unapplied_minor, entry_seq)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)
_INSERT_SETTLEMENT = (
    "INSERT INTO settlements (payment_id, instalment_id, pledge_id, amount_minor,"
    " carrying_base_minor, paid_base_minor, received_on) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SETTLE_INSTALMENT = "UPDATE instalments SET settled_minor = settled_minor + ? WHERE id = ?"
_SETTLE_PLEDGE = (
    "UPDATE pledges SET settled_minor = settled_minor + ?,"
    " settled_base_minor = settled_base_minor + ?, status = ? WHERE id = ?"
)


class _OpenRow(NamedTuple):
    id: int
    pledge_id: int
    amount_minor: int
    settled_minor: int
    currency: str
    p_amount: int
    base_minor: int
    p_settled: int
    settled_base_minor: int
    rate: str | None
    rate_date: Any
    rate_source: str | None
    code: str
    psc_rate: str


def _open_instalments(tx: Tx, partner_id: int) -> list[_OpenRow]:
    return [_OpenRow(*r) for r in tx.driver.all(_OPEN_INSTALMENTS, (partner_id,))]


def open_candidates(
    tx: Tx, partner_id: int, currency: str, apply_ids: tuple[int, ...] | None
) -> list[OpenInstalment]:
    """Return the partner's open instalments that money in ``currency`` may settle, in order.

    Oldest due first, or only those named in ``apply_ids``. Raises :class:`UnknownPledge` for
    an instalment of someone else, :class:`InvalidTransition` for a closed one and
    :class:`CurrencyMismatch` for instalments in another currency.
    """
    rows = _open_instalments(tx, partner_id)
    if apply_ids is not None:
        by_id = {r.id: r for r in rows}
        for inst_id in apply_ids:
            if inst_id not in by_id:
                owner = tx.conn.execute(
                    select(t.pledges.c.partner_id)
                    .join(t.instalments, t.instalments.c.pledge_id == t.pledges.c.id)
                    .where(t.instalments.c.id == inst_id)
                ).scalar()
                if owner != partner_id:
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
            edition_code=r.code,
            psc_rate=Decimal(r.psc_rate),
            open_minor=r.amount_minor - r.settled_minor,
            pledge_outstanding_minor=r.p_amount - r.p_settled,
            pledge_outstanding_base=r.base_minor - r.settled_base_minor,
            pledge_rate=(r.rate, tx.driver.read_day(r.rate_date), r.rate_source),
        )
        for r in rows
    ]


def record_payment(
    tx: Tx,
    partner: Partner | int,
    amount: Money,
    received_on: dt.date,
    reference: str,
    idempotency_key: str | None = None,
    bank_charges: Money | None = None,
    apply_to: Sequence[int | Instalment] | None = None,
) -> Payment:
    """Record money received from a partner and settle its open instalments.

    ``amount`` is what the bank credited; ``bank_charges`` what banks deducted (amount +
    charges = amount settled). Open instalments in the payment currency are settled oldest
    first, or only those in ``apply_to``; the rest becomes the partner's unapplied credit.
    Raises ``TypeError`` for floats, :class:`InvalidAmount` for a non-positive amount,
    :class:`UnknownPartner`, :class:`CurrencyMismatch` for a payment in another currency than
    the pledges (or charges in another currency), :class:`MissingRate` without a rate on
    ``received_on``, :class:`UnknownPledge` for an instalment of someone else and
    :class:`IdempotencyConflict` for a reused key with different content.
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
    p = partner_of(tx, partner)
    assert p.id is not None
    if idempotency_key is not None:
        earlier = SqlPayments(tx.conn).by_key(idempotency_key)
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
    candidates = open_candidates(tx, p.id, currency, apply_ids)
    base = tx.base
    if currency == base:
        info: tuple[str | None, dt.date | None, str | None] = (None, None, None)

        def to_base(n: int) -> int:
            return n
    else:
        table = SqlRates(tx.conn).table([currency, base])
        info = rate_info(table.convert(from_minor(1, currency), base, received_on))

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
        pay_info=info,
    )
    entry = tx.post([plan.entry])[0]
    assert entry.seq is not None
    d = tx.driver
    payment_id = d.one(
        _INSERT_PAYMENT,
        (
            p.id,
            currency,
            to_minor(amount),
            to_minor(charges),
            d.day(received_on),
            reference,
            idempotency_key,
            None if apply_ids is None else ",".join(map(str, apply_ids)),
            plan.settled_minor,
            plan.unapplied_minor,
            entry.seq,
        ),
    )[0]
    if plan.parts:
        store_settlements(tx, payment_id, received_on, plan.parts, candidates)
    return Payment(
        id=payment_id,
        partner_id=p.id,
        amount=amount,
        bank_charges=charges,
        received_on=received_on,
        reference=reference,
        idempotency_key=idempotency_key,
        settled=from_minor(plan.settled_minor, currency),
        unapplied=from_minor(plan.unapplied_minor, currency),
        entry_seq=entry.seq,
        apply_to=apply_ids,
    )


def store_settlements(
    tx: Tx,
    payment_id: int,
    received_on: dt.date,
    parts: Sequence[SettledPart],
    candidates: Sequence[OpenInstalment],
) -> None:
    """Store what a payment settled and update its instalments and pledges (with statuses)."""
    d = tx.driver
    day = d.day(received_on)
    d.many(
        _INSERT_SETTLEMENT,
        [
            (
                payment_id,
                s.instalment_id,
                s.pledge_id,
                s.amount_minor,
                s.carrying_base_minor,
                s.paid_base_minor,
                day,
            )
            for s in parts
        ],
    )
    d.many(_SETTLE_INSTALMENT, [(s.amount_minor, s.instalment_id) for s in parts])
    per_pledge: dict[int, list[int]] = {}
    for s in parts:
        acc = per_pledge.setdefault(s.pledge_id, [0, 0])
        acc[0] += s.amount_minor
        acc[1] += s.carrying_base_minor
    first = {c.pledge_id: c for c in reversed(candidates)}
    rows: list[tuple[Any, ...]] = []
    for pid, (amount, carrying) in per_pledge.items():
        c = first[pid]
        total = c.pledge_outstanding_minor  # outstanding before this payment
        settled_after_open = total - amount
        status = (
            PledgeStatus.FULFILLED.value
            if settled_after_open == 0
            else PledgeStatus.PARTIALLY_PAID.value
        )
        rows.append((amount, carrying, status, pid))
    d.many(_SETTLE_PLEDGE, rows)
