"""The payments repository: payments, their settlements, and the open instalments they settle.

The statements of the payment path are hot statements (see :mod:`.statements`): a payment is a
dozen small statements, and SQLAlchemy's per-statement overhead was most of its cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import bindparam, func, insert, or_, select, update

from wsis_funding.ledger.model import Payment, PledgeStatus
from wsis_funding.ledger.settlement import SettledPart
from wsis_funding.money import RecordedRate
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import payment_from_row, rate_from_row
from wsis_funding.storage.statements import Statement

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["OpenInstalmentRow", "Payments"]

_i, _p, _e = t.instalments.c, t.pledges.c, t.editions.c
_OPEN_INSTALMENTS = Statement(
    "open instalments of a partner",
    lambda _: (
        select(
            _i.id,
            _i.pledge_id,
            _i.amount_minor,
            _i.settled_minor,
            _p.currency,
            _p.amount_minor,
            _p.base_minor,
            _p.settled_minor,
            _p.settled_base_minor,
            _p.rate,
            _p.rate_date,
            _p.rate_source,
            _e.code,
            _e.psc_rate,
        )
        .select_from(t.instalments)
        .join(t.pledges, _p.id == _i.pledge_id)
        .join(t.editions, _e.id == _p.edition_id)
        .where(
            _p.partner_id == bindparam("partner_id"),
            or_(
                _p.status == PledgeStatus.CONFIRMED.value,
                _p.status == PledgeStatus.PARTIALLY_PAID.value,
            ),
            _i.replaced.is_(False),
            _i.written_off.is_(False),
            _i.settled_minor < _i.amount_minor,
        )
        .order_by(_i.due_on, _p.signed_on, _p.id, _i.seq)
    ),
)
_PAYMENT_COLUMNS = tuple(t.payments.c.keys())
_PAYMENT_BY_KEY = Statement(
    "payment by idempotency key",
    lambda _: select(t.payments).where(t.payments.c.idempotency_key == bindparam("key")),
    order=("key",),
)
_INSERTED = (
    "partner_id", "currency", "amount_minor", "charges_minor", "received_on", "reference",
    "idempotency_key", "apply_to", "settled_minor", "unapplied_minor", "entry_seq", "source",
)  # fmt: skip
_INSERT_PAYMENT = Statement(
    "insert payment",
    lambda _: (
        insert(t.payments).values({c: bindparam(c) for c in _INSERTED}).returning(t.payments.c.id)
    ),
    order=_INSERTED,
)
_SETTLEMENT_COLUMNS = (
    "payment_id", "instalment_id", "pledge_id", "amount_minor", "carrying_base_minor",
    "paid_base_minor", "received_on",
)  # fmt: skip
_INSERT_SETTLEMENT = Statement(
    "insert settlement",
    lambda _: insert(t.settlements).values({c: bindparam(c) for c in _SETTLEMENT_COLUMNS}),
    order=_SETTLEMENT_COLUMNS,
)
_SETTLE_INSTALMENT = Statement(
    "settle instalment",
    lambda _: (
        update(t.instalments)
        .where(_i.id == bindparam("b_id"))
        .values(settled_minor=_i.settled_minor + bindparam("b_amount"))
    ),
    order=("b_amount", "b_id"),
)
_SETTLE_PLEDGE = Statement(
    "settle pledge",
    lambda _: (
        update(t.pledges)
        .where(_p.id == bindparam("b_id"))
        .values(
            settled_minor=_p.settled_minor + bindparam("b_amount"),
            settled_base_minor=_p.settled_base_minor + bindparam("b_base"),
            status=bindparam("b_status"),
        )
    ),
    order=("b_status", "b_amount", "b_base", "b_id"),  # SET follows the table's column order
)


class OpenInstalmentRow(NamedTuple):
    """An open instalment with what settling it needs of its pledge and edition."""

    id: int
    pledge_id: int
    amount_minor: int
    settled_minor: int
    currency: str
    pledge_amount_minor: int
    pledge_base_minor: int
    pledge_settled_minor: int
    pledge_settled_base_minor: int
    pledge_rate: RecordedRate | None
    edition_code: str
    psc_rate: Decimal


class Payments:
    """Payments in ``payments`` and what they settled in ``settlements``."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def by_key(self, key: str) -> Payment | None:
        """Return the payment recorded with idempotency key ``key``, if any."""
        d = self._uow.driver
        row = d.one(_PAYMENT_BY_KEY, (key,))
        if row is None:
            return None
        found = dict(zip(_PAYMENT_COLUMNS, row, strict=True))
        found["received_on"] = d.read_day(found["received_on"])
        return payment_from_row(found)

    def get(self, payment_id: int) -> Payment | None:
        """Return the payment with id ``payment_id``, if any."""
        row = self._uow.conn.execute(
            select(t.payments).where(t.payments.c.id == payment_id)
        ).first()
        return None if row is None else payment_from_row(row._mapping)

    def for_partner(self, partner_id: int) -> list[Payment]:
        """Return a partner's payments (money received and credit applied), by value date.

        Payments of one day are in the order they were recorded.
        """
        c = t.payments.c
        rows = self._uow.conn.execute(
            select(t.payments).where(c.partner_id == partner_id).order_by(c.received_on, c.id)
        )
        return [payment_from_row(r._mapping) for r in rows]

    def open_instalments(self, partner_id: int) -> list[OpenInstalmentRow]:
        """Return the partner's open instalments of confirmed or partly paid pledges, in order.

        Oldest due first, then by signing date, pledge and instalment number.
        """
        d = self._uow.driver
        out = []
        for r in d.all(_OPEN_INSTALMENTS, {"partner_id": partner_id}):
            rate = rate_from_row(r[9], r[10], r[11])
            out.append(OpenInstalmentRow(*r[:9], rate, r[12], Decimal(r[13])))  # type: ignore[call-arg]
        return out

    def add(
        self,
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
        entry_seq: int,
        source: str = "bank",
    ) -> int:
        """Store a payment (or an application of credit, ``source="credit"``); return its id."""
        d = self._uow.driver
        apply_text = None if apply_to is None else ",".join(map(str, apply_to))
        values = (
            partner_id,
            currency,
            amount_minor,
            charges_minor,
            d.day(received_on),
            reference,
            idempotency_key,
            apply_text,
            settled_minor,
            unapplied_minor,
            entry_seq,
            source,
        )  # fmt: skip  (the order of _INSERTED)
        return int(d.one(_INSERT_PAYMENT, values)[0])

    def settle(
        self,
        payment_id: int,
        received_on: dt.date,
        parts: Sequence[SettledPart],
        outstanding_before: Mapping[int, int],
    ) -> None:
        """Store what a payment settled and update its instalments and pledges (with statuses).

        ``outstanding_before`` is each settled pledge's outstanding amount before the payment,
        in minor units: a pledge settled to zero is fulfilled, else partially paid.
        """
        d = self._uow.driver
        day = d.day(received_on)
        d.many(
            _INSERT_SETTLEMENT,
            [
                (payment_id, s.instalment_id, s.pledge_id, s.amount_minor,
                 s.carrying_base_minor, s.paid_base_minor, day)
                for s in parts
            ],
        )  # fmt: skip
        d.many(_SETTLE_INSTALMENT, [(s.amount_minor, s.instalment_id) for s in parts])
        per_pledge: dict[int, list[int]] = {}
        for s in parts:
            acc = per_pledge.setdefault(s.pledge_id, [0, 0])
            acc[0] += s.amount_minor
            acc[1] += s.carrying_base_minor
        rows: list[tuple[Any, ...]] = []
        for pid, (amount, carrying) in per_pledge.items():
            done = outstanding_before[pid] == amount
            status = PledgeStatus.FULFILLED if done else PledgeStatus.PARTIALLY_PAID
            rows.append((status.value, amount, carrying, pid))
        d.many(_SETTLE_PLEDGE, rows)

    def settled_per_pledge(self, payment_id: int) -> dict[int, int]:
        """Return what a payment settled of each pledge, in minor units, in settlement order."""
        s = t.settlements.c
        out: dict[int, int] = {}
        for pledge_id, amount in self._uow.conn.execute(
            select(s.pledge_id, s.amount_minor).where(s.payment_id == payment_id).order_by(s.id)
        ):
            out[int(pledge_id)] = out.get(int(pledge_id), 0) + int(amount)
        return out

    def paid_base(self, partner_id: int, edition_id: int) -> int:
        """Return the base value paid (at payment-date rates) by a partner into an edition."""
        s = t.settlements.c
        return int(
            self._uow.conn.execute(
                select(func.coalesce(func.sum(s.paid_base_minor), 0))
                .join(t.pledges, _p.id == s.pledge_id)
                .where(_p.partner_id == partner_id, _p.edition_id == edition_id)
            ).scalar_one()
        )
