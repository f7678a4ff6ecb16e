"""The payments repository: payments, their settlements, and the open instalments they settle.

The statements of the payment path are hot statements (see :mod:`.statements`): a payment is a
dozen small statements, and SQLAlchemy's per-statement overhead was most of its cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import bindparam, func, insert, literal, or_, select, update

from wsis_funding.ledger.model import Payment, PledgeStatus
from wsis_funding.ledger.settlement import SettledPart
from wsis_funding.money import RecordedRate
from wsis_funding.storage import tables as t
from wsis_funding.storage.payment_rows import settlement_rows
from wsis_funding.storage.rows import payment_from_row, rate_from_row
from wsis_funding.storage.statements import Statement

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["OpenInstalmentRow", "Payments"]

_i, _p, _e = t.instalments.c, t.pledges.c, t.editions.c
_c = t.invoice_coverage.c
_COLUMNS = (
    _i.id, _i.pledge_id, _i.amount_minor, _i.settled_minor, _i.due_on, _i.written_off,
    _p.currency, _p.amount_minor, _p.base_minor, _p.settled_minor, _p.settled_base_minor,
    _p.written_off_minor, _p.written_off_base_minor, _p.rate, _p.rate_date, _p.rate_source,
    _p.signed_on, _e.code, _e.psc_rate,
)  # fmt: skip


def _open_instalments(_: str) -> Any:
    invoiced = (
        select(literal(1)).select_from(t.invoice_coverage).where(_c.instalment_id == _i.id)
    ).exists()
    return (
        select(*_COLUMNS, invoiced)
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
    )


_OPEN_INSTALMENTS = Statement("open instalments of a partner", _open_instalments)


def _invoice_instalments(_: str) -> Any:
    covered = t.invoice_coverage.alias("covered")
    invoiced = (
        select(literal(1)).select_from(t.invoice_coverage).where(_c.instalment_id == _i.id)
    ).exists()
    return (
        select(*_COLUMNS, invoiced)
        .select_from(t.instalments)
        .join(t.pledges, _p.id == _i.pledge_id)
        .join(t.editions, _e.id == _p.edition_id)
        .where(
            _i.id.in_(
                select(covered.c.instalment_id).where(
                    covered.c.document_id == bindparam("document_id")
                )
            )
        )
        .order_by(_i.due_on, _p.signed_on, _p.id, _i.seq)
    )


_INVOICE_INSTALMENTS = Statement("instalments an invoice covers", _invoice_instalments)
_PAYMENT_COLUMNS = tuple(t.payments.c.keys())
_PAYMENT_BY_KEY = Statement(
    "payment by idempotency key",
    lambda _: select(t.payments).where(t.payments.c.idempotency_key == bindparam("key")),
    order=("key",),
)
_SAME = ("partner_id", "currency", "amount_minor", "received_on", "reference")
_SAME_BANK_LINE = Statement(
    "bank payment with the same content",
    lambda _: select(func.min(t.payments.c.id)).where(
        *(t.payments.c[c] == bindparam(c) for c in _SAME), t.payments.c.source == "bank"
    ),
)
_INSERTED = (
    "partner_id", "currency", "amount_minor", "charges_minor", "received_on", "reference",
    "idempotency_key", "apply_to", "settled_minor", "unapplied_minor", "entry_seq", "source",
    "invoice_id", "target_currency", "target_minor", "target_basis",
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
    "paid_base_minor", "received_on", "invoice_id",
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
            written_off_minor=_p.written_off_minor - bindparam("b_recovered"),
            written_off_base_minor=_p.written_off_base_minor - bindparam("b_recovered_base"),
            recovered_minor=_p.recovered_minor + bindparam("b_recovered"),
            recovered_base_minor=_p.recovered_base_minor + bindparam("b_recovered_base"),
            status=bindparam("b_status"),
        )
    ),
)


class OpenInstalmentRow(NamedTuple):
    """An open instalment with what settling it needs of its pledge and edition."""

    id: int
    pledge_id: int
    amount_minor: int
    settled_minor: int
    due_on: dt.date
    written_off: bool
    currency: str
    pledge_amount_minor: int
    pledge_base_minor: int
    pledge_settled_minor: int
    pledge_settled_base_minor: int
    pledge_written_off_minor: int
    pledge_written_off_base_minor: int
    pledge_rate: RecordedRate | None
    signed_on: dt.date
    edition_code: str
    psc_rate: Decimal
    invoiced: bool


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
        invoice = None
        if found["invoice_id"] is not None:
            invoice = self._uow.conn.execute(
                select(t.documents.c.number).where(t.documents.c.id == found["invoice_id"])
            ).scalar_one()
        return payment_from_row(found, invoice)

    def same_bank_line(
        self,
        partner_id: int,
        currency: str,
        amount_minor: int,
        received_on: dt.date,
        reference: str,
    ) -> int | None:
        """Return the id of the first bank payment with exactly this content, if any.

        The same partner, currency, amount, value date and bank reference: a probable duplicate
        of the bank line. Applications of credit (``source="credit"``) are not bank lines.
        """
        d = self._uow.driver
        values = (partner_id, currency, amount_minor, d.day(received_on), reference)
        row = d.one(_SAME_BANK_LINE, dict(zip(_SAME, values, strict=True)))
        return None if row is None or row[0] is None else int(row[0])

    def get(self, payment_id: int) -> Payment | None:
        """Return the payment with id ``payment_id``, if any."""
        row = self._uow.conn.execute(
            select(t.payments, t.documents.c.number.label("invoice_number"))
            .outerjoin(t.documents, t.documents.c.id == t.payments.c.invoice_id)
            .where(t.payments.c.id == payment_id)
        ).first()
        if row is None:
            return None
        return payment_from_row(row._mapping, row.invoice_number)

    def _rows(self, rows: Sequence[Any]) -> list[OpenInstalmentRow]:
        day = self._uow.driver.read_date
        out = []
        for r in rows:
            rate = rate_from_row(r[13], r[14], r[15])
            out.append(
                OpenInstalmentRow(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    day(r[4]),
                    bool(r[5]),
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                    r[10],
                    r[11],
                    r[12],
                    rate,
                    day(r[16]),
                    r[17],
                    Decimal(r[18]),
                    bool(r[19]),
                )
            )
        return out

    def open_instalments(self, partner_id: int) -> list[OpenInstalmentRow]:
        """Return the partner's open instalments of confirmed or partly paid pledges, in order.

        Oldest due first, then by signing date, pledge and instalment number.
        """
        return self._rows(self._uow.driver.all(_OPEN_INSTALMENTS, {"partner_id": partner_id}))

    def invoice_instalments(self, document_id: int) -> list[OpenInstalmentRow]:
        """Return the instalments invoice ``document_id`` covers (any status), in due order."""
        return self._rows(self._uow.driver.all(_INVOICE_INSTALMENTS, {"document_id": document_id}))

    def instalments(self, instalment_ids: Sequence[int]) -> list[OpenInstalmentRow]:
        """Return the named instalments (any status, written off included), in due order."""
        if not instalment_ids:
            return []
        invoiced = (
            select(literal(1)).select_from(t.invoice_coverage).where(_c.instalment_id == _i.id)
        ).exists()
        rows = self._uow.conn.execute(
            select(*_COLUMNS, invoiced)
            .select_from(t.instalments)
            .join(t.pledges, _p.id == _i.pledge_id)
            .join(t.editions, _e.id == _p.edition_id)
            .where(_i.id.in_(list(instalment_ids)))
            .order_by(_i.due_on, _p.signed_on, _p.id, _i.seq)
        ).all()
        return self._rows(rows)

    def add(self, row: Sequence[object], entry_seq: int) -> int:
        """Store a payment (or an application of credit); return its id.

        ``row`` is what :func:`payment_row` returned, ``entry_seq`` the entry it posted.
        """
        d = self._uow.driver
        received_on = row[4]
        assert isinstance(received_on, dt.date)
        values = (*row[:4], d.day(received_on), *row[5:10], entry_seq, *row[10:])  # _INSERTED
        return int(d.one(_INSERT_PAYMENT, values)[0])

    def settle(
        self,
        payment_id: int,
        received_on: dt.date,
        parts: Sequence[SettledPart],
        before: Mapping[int, tuple[int, int]],
    ) -> None:
        """Store what a payment settled and update its instalments and pledges (with statuses).

        ``before`` is each settled pledge's (outstanding, written off) amounts before the
        payment, in minor units: a pledge settled to nothing outstanding and nothing written
        off is fulfilled; one still written off in part stays written off.
        """
        d = self._uow.driver
        day = d.day(received_on)
        d.many(
            _INSERT_SETTLEMENT,
            [(payment_id, *r[:5], day, r[6]) for r in settlement_rows(parts, received_on)],
        )
        d.many(_SETTLE_INSTALMENT, [(s.amount_minor, s.instalment_id) for s in parts])
        per_pledge: dict[int, list[int]] = {}
        for s in parts:
            acc = per_pledge.setdefault(s.pledge_id, [0, 0, 0, 0])
            acc[0] += s.amount_minor
            acc[1] += s.carrying_base_minor
            if s.recovery:
                acc[2] += s.amount_minor
                acc[3] += s.carrying_base_minor
        rows = []
        for pid, (amount, carrying, recovered, recovered_base) in per_pledge.items():
            outstanding, written_off = before[pid]
            if written_off - recovered > 0:
                status = PledgeStatus.WRITTEN_OFF
            elif outstanding + recovered == amount:
                status = PledgeStatus.FULFILLED
            else:
                status = PledgeStatus.PARTIALLY_PAID
            rows.append(
                {
                    "b_id": pid,
                    "b_amount": amount,
                    "b_base": carrying,
                    "b_recovered": recovered,
                    "b_recovered_base": recovered_base,
                    "b_status": status.value,
                }
            )
        d.many(_SETTLE_PLEDGE, rows)

    def settlements_by_instalment(
        self, instalment_ids: Sequence[int]
    ) -> dict[int, list[tuple[dt.date, int]]]:
        """Return each instalment's settlements as (date, minor units), oldest first."""
        if not instalment_ids:
            return {}
        s = t.settlements.c
        out: dict[int, list[tuple[dt.date, int]]] = {}
        for inst_id, on, amount in self._uow.conn.execute(
            select(s.instalment_id, s.received_on, s.amount_minor)
            .where(s.instalment_id.in_(list(instalment_ids)))
            .order_by(s.received_on, s.id)
        ):
            out.setdefault(int(inst_id), []).append((on, int(amount)))
        return out

    def settlements_of(self, payment_id: int) -> list[tuple[int, int, int | None, int]]:
        """Return what a payment settled: (pledge id, instalment id, invoice id, minor units)."""
        s = t.settlements.c
        rows = self._uow.conn.execute(
            select(s.pledge_id, s.instalment_id, s.invoice_id, s.amount_minor)
            .where(s.payment_id == payment_id)
            .order_by(s.id)
        )
        return [(int(a), int(b), None if c is None else int(c), int(d)) for a, b, c, d in rows]

    def of_partner(self, partner_id: int) -> list[Payment]:
        """Return a partner's payments and credit applications by value date.

        Each carries the invoice it named; those of one day are in the order recorded.
        """
        rows = self._uow.conn.execute(
            select(t.payments, t.documents.c.number.label("invoice_number"))
            .outerjoin(t.documents, t.documents.c.id == t.payments.c.invoice_id)
            .where(t.payments.c.partner_id == partner_id)
            .order_by(t.payments.c.received_on, t.payments.c.id)
        )
        return [payment_from_row(r._mapping, r.invoice_number) for r in rows]

    def invoices_paid(self, partner_id: int) -> dict[int, list[str]]:
        """Return, per payment of a partner, the numbers of the invoices it paid."""
        s, d = t.settlements.c, t.documents.c
        out: dict[int, list[str]] = {}
        for payment_id, number in self._uow.conn.execute(
            select(s.payment_id, d.number)
            .join(t.documents, d.id == s.invoice_id)
            .join(t.payments, t.payments.c.id == s.payment_id)
            .where(t.payments.c.partner_id == partner_id)
            .order_by(s.id)
        ):
            numbers = out.setdefault(int(payment_id), [])
            if number not in numbers:
                numbers.append(str(number))
        return out

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
