"""The pledges repository: pledges with their instalments, and the changes use cases make.

Every method works inside the unit of work's transaction. Statuses are changed only here, by
the methods named after the use cases that change them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import and_, case, func, or_, select, update

from wsis_funding.ledger.errors import UnknownPledge
from wsis_funding.ledger.model import Pledge, PledgeStatus
from wsis_funding.money import RecordedRate
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import pledge_from_row, rate_to_row

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["OpenInstalmentAsOf", "Pledges"]

_POSTED = [s.value for s in PledgeStatus if s.posted]


class OpenInstalmentAsOf(NamedTuple):
    """An instalment open on a date, with what was owed on it that day (minor units)."""

    partner_id: int
    currency: str
    instalment_id: int
    due_on: dt.date
    owed: int
    pledge_id: int


class Pledges:
    """Pledges in ``pledges`` with their ``instalments`` (replaced ones included)."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def _load(self, rows: Sequence[Any]) -> list[Pledge]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        inst: dict[int, list[Any]] = {i: [] for i in ids}
        for chunk in range(0, len(ids), 500):
            for r in self._uow.conn.execute(
                select(t.instalments)
                .where(t.instalments.c.pledge_id.in_(ids[chunk : chunk + 500]))
                .order_by(t.instalments.c.pledge_id, t.instalments.c.seq)
            ):
                inst[r.pledge_id].append(r._mapping)
        base = self._uow.base
        return [pledge_from_row(r._mapping, r.edition_code, base, inst[r.id]) for r in rows]

    def _select(self) -> Any:
        return select(t.pledges, t.editions.c.code.label("edition_code")).join(
            t.editions, t.editions.c.id == t.pledges.c.edition_id
        )

    def get(self, pledge_id: int) -> Pledge:
        """Return a pledge; raise :class:`UnknownPledge` (``TypeError`` for a non-int id)."""
        if isinstance(pledge_id, bool) or not isinstance(pledge_id, int):
            raise TypeError(f"pledge id must be an int, not {type(pledge_id).__name__}")
        rows = self._uow.conn.execute(self._select().where(t.pledges.c.id == pledge_id)).all()
        if not rows:
            raise UnknownPledge(pledge_id)
        return self._load(rows)[0]

    def all(self) -> list[Pledge]:
        """Return every pledge, by id."""
        return self._load(self._uow.conn.execute(self._select().order_by(t.pledges.c.id)).all())

    def for_partner(self, partner_id: int, edition_id: int | None = None) -> list[Pledge]:
        """Return a partner's pledges (of one edition if given), oldest first."""
        q = self._select().where(t.pledges.c.partner_id == partner_id)
        if edition_id is not None:
            q = q.where(t.pledges.c.edition_id == edition_id)
        return self._load(self._uow.conn.execute(q.order_by(t.pledges.c.id)).all())

    def tier_facts(
        self, partner_id: int, edition_id: int
    ) -> list[tuple[int, dt.date, str, int, str | None]]:
        """Return what a partner's tier in an edition is computed from, pledge by pledge.

        (base value, signing date, status, base value written off, package) in minor units
        of the base currency, oldest pledge first: one read of ``pledges`` alone.
        """
        p = t.pledges.c
        rows = self._uow.conn.execute(
            select(p.base_minor, p.signed_on, p.status, p.written_off_base_minor, p.package)
            .where(p.partner_id == partner_id, p.edition_id == edition_id)
            .order_by(p.id)
        ).all()
        read_date = self._uow.driver.read_date
        return [(int(b), read_date(d), str(st), int(w), pk) for b, d, st, w, pk in rows]

    def of_edition(self, edition_id: int, statuses: Sequence[PledgeStatus]) -> list[Pledge]:
        """Return an edition's pledges in one of ``statuses``, oldest first."""
        q = self._select().where(
            t.pledges.c.edition_id == edition_id,
            t.pledges.c.status.in_([s.value for s in statuses]),
        )
        return self._load(self._uow.conn.execute(q.order_by(t.pledges.c.id)).all())

    def for_edition(self, edition_id: int) -> list[Pledge]:
        """Return every pledge of an edition (drafts and cancelled ones too), oldest first.

        Read through the index on the pledges' edition: the time depends on the edition's
        pledges, not on the books.
        """
        q = self._select().where(t.pledges.c.edition_id == edition_id)
        return self._load(self._uow.conn.execute(q.order_by(t.pledges.c.id)).all())

    def pledge_of_instalment(self, instalment_id: int) -> tuple[int, int] | None:
        """Return (pledge id, partner id) of an instalment, or None if there is none."""
        row = self._uow.conn.execute(
            select(t.pledges.c.id, t.pledges.c.partner_id)
            .join(t.instalments, t.instalments.c.pledge_id == t.pledges.c.id)
            .where(t.instalments.c.id == instalment_id)
        ).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def packages_sold(self, edition_id: int, package: str) -> int:
        """Return how many posted pledges of the edition bought ``package``."""
        return int(
            self._uow.conn.execute(
                select(func.count())
                .select_from(t.pledges)
                .where(
                    t.pledges.c.edition_id == edition_id,
                    t.pledges.c.package == package,
                    t.pledges.c.status.in_(_POSTED),
                )
            ).scalar_one()
        )

    def add_draft(
        self,
        *,
        partner_id: int,
        edition_id: int,
        tier: str | None,
        package: str | None,
        currency: str,
        amount_minor: int,
        signed_on: dt.date,
        instalments: Sequence[tuple[dt.date, int]],
        discount_reason: str | None = None,
    ) -> int:
        """Store a draft pledge with its instalments numbered from 1; return its id."""
        pledge_id = self._uow.conn.execute(
            t.pledges.insert()
            .values(
                partner_id=partner_id,
                edition_id=edition_id,
                tier=tier,
                package=package,
                currency=currency,
                amount_minor=amount_minor,
                base_minor=0,
                signed_on=signed_on,
                status=PledgeStatus.DRAFT.value,
                settled_minor=0,
                settled_base_minor=0,
                written_off_minor=0,
                written_off_base_minor=0,
                discount_reason=discount_reason,
            )
            .returning(t.pledges.c.id)
        ).scalar_one()
        self.add_instalments(pledge_id, instalments, 1)
        return int(pledge_id)

    def add_instalments(
        self,
        pledge_id: int,
        rows: Sequence[tuple[dt.date, int]],
        first_seq: int,
        *,
        added_on: dt.date | None = None,
    ) -> None:
        """Add instalments (due date, minor units) numbered from ``first_seq``."""
        if rows:
            self._uow.conn.execute(
                t.instalments.insert(),
                [
                    {
                        "pledge_id": pledge_id,
                        "seq": first_seq + i,
                        "due_on": due,
                        "amount_minor": amount,
                        "settled_minor": 0,
                        "replaced": False,
                        "written_off": False,
                        "added_on": added_on,
                    }
                    for i, (due, amount) in enumerate(rows)
                ],
            )

    def _update(self, pledge_id: int, **values: Any) -> None:
        self._uow.conn.execute(
            update(t.pledges).where(t.pledges.c.id == pledge_id).values(**values)
        )

    def mark_confirmed(self, pledge_id: int, base_minor: int, rate: RecordedRate | None) -> None:
        """Record a pledge as confirmed at its carrying base value and rate, posted on signing."""
        self._update(
            pledge_id,
            status=PledgeStatus.CONFIRMED.value,
            posted_on=t.pledges.c.signed_on,
            base_minor=base_minor,
            **rate_to_row(rate),
        )

    def replace_instalment(self, instalment_id: int, on: dt.date) -> None:
        """Mark an unpaid instalment replaced by an amendment on ``on``."""
        self._uow.conn.execute(
            update(t.instalments)
            .where(t.instalments.c.id == instalment_id)
            .values(replaced=True, closed_on=on)
        )

    def cut_instalment(
        self, instalment_id: int, paid_minor: int, was_minor: int, on: dt.date
    ) -> None:
        """Close a partly paid instalment at what was paid, remembering its former amount."""
        self._uow.conn.execute(
            update(t.instalments)
            .where(t.instalments.c.id == instalment_id)
            .values(amount_minor=paid_minor, amount_before_close_minor=was_minor, closed_on=on)
        )

    def set_amount(
        self,
        pledge_id: int,
        amount_minor: int,
        *,
        base_minor: int | None,
        status: PledgeStatus | None,
    ) -> None:
        """Store an amended amount (and, for a posted pledge, its base value and status)."""
        values: dict[str, Any] = {"amount_minor": amount_minor}
        if base_minor is not None:
            values["base_minor"] = base_minor
        if status is not None:
            values["status"] = status.value
        self._update(pledge_id, **values)

    def reduce_instalment(
        self, instalment_id: int, amount_minor: int, on: dt.date, document_id: int
    ) -> None:
        """Reduce an instalment by a reduction credit note, dated.

        An unpaid instalment reduced to nothing is replaced, as an amendment would.
        """
        i = t.instalments.c
        current = self._uow.conn.execute(
            select(i.amount_minor).where(i.id == instalment_id)
        ).scalar_one()
        if amount_minor == current:
            self.replace_instalment(instalment_id, on)
            return
        self._uow.conn.execute(
            update(t.instalments)
            .where(i.id == instalment_id)
            .values(amount_minor=i.amount_minor - amount_minor)
        )
        self._uow.conn.execute(
            t.instalment_reductions.insert().values(
                instalment_id=instalment_id,
                reduced_on=on,
                amount_minor=amount_minor,
                document_id=document_id,
            )
        )

    def mark_cancelled(self, pledge_id: int, on: dt.date) -> None:
        """Record a pledge as cancelled on ``on``."""
        self._update(pledge_id, status=PledgeStatus.CANCELLED.value, cancelled_on=on)

    def mark_written_off(
        self, pledge_id: int, *, rest_minor: int, rest_base_minor: int, reason: str, on: dt.date
    ) -> None:
        """Record the unpaid rest of a pledge as written off, and its open instalments with it."""
        i = t.instalments.c
        self._uow.conn.execute(
            update(t.instalments)
            .where(i.pledge_id == pledge_id, i.replaced.is_(False))
            .where(i.settled_minor < i.amount_minor)
            .values(written_off=True)
        )
        self._update(
            pledge_id,
            status=PledgeStatus.WRITTEN_OFF.value,
            written_off_minor=rest_minor,
            written_off_base_minor=rest_base_minor,
            write_off_reason=reason,
            written_off_on=on,
        )

    def open_as_of(self, as_of: dt.date, edition_id: int | None = None) -> list[OpenInstalmentAsOf]:
        """Return every instalment open on ``as_of``, with what was owed on it that day.

        The books are read as they stood on ``as_of``: pledges posted by then and not yet
        cancelled, instalments not yet replaced or written off (with the amount they had then),
        less the payments received by then. With ``edition_id``, only that edition's pledges
        are read (through the indexes on pledges' edition and settlements' pledge), so the
        time depends on the edition's size, not the books'.
        """
        i, pl, s = t.instalments.c, t.pledges.c, t.settlements.c
        paid_q = select(s.instalment_id, func.sum(s.amount_minor).label("paid")).where(
            s.received_on <= as_of
        )
        if edition_id is not None:
            paid_q = paid_q.join(t.pledges, pl.id == s.pledge_id).where(pl.edition_id == edition_id)
        paid = paid_q.group_by(s.instalment_id).subquery()
        r = t.instalment_reductions.c
        reduced_later = (
            select(r.instalment_id, func.sum(r.amount_minor).label("reduced"))
            .where(r.reduced_on > as_of)
            .group_by(r.instalment_id)
            .subquery()
        )
        amount_then = case(
            (and_(i.amount_before_close_minor.is_not(None), i.closed_on > as_of),
             i.amount_before_close_minor),
            else_=i.amount_minor,
        ) + func.coalesce(reduced_later.c.reduced, 0)  # fmt: skip
        query = (
            select(pl.partner_id, pl.currency, i.id, i.due_on, amount_then, paid.c.paid, pl.id)
            .join(t.pledges, pl.id == i.pledge_id)
            .outerjoin(paid, paid.c.instalment_id == i.id)
            .outerjoin(reduced_later, reduced_later.c.instalment_id == i.id)
            .where(
                pl.posted_on.is_not(None),
                pl.posted_on <= as_of,
                or_(pl.cancelled_on.is_(None), pl.cancelled_on > as_of),
                or_(i.added_on.is_(None), i.added_on <= as_of),
                or_(i.replaced.is_(False), i.closed_on > as_of),
                or_(i.written_off.is_(False), pl.written_off_on > as_of),
            )
        )
        if edition_id is not None:
            query = query.where(pl.edition_id == edition_id)
        out: list[OpenInstalmentAsOf] = []
        for (
            partner_id,
            cur,
            instalment_id,
            due_on,
            amount,
            settled,
            pledge_id,
        ) in self._uow.conn.execute(query):
            owed = int(amount) - int(settled or 0)
            if owed > 0:
                out.append(
                    OpenInstalmentAsOf(
                        int(partner_id), str(cur), int(instalment_id), due_on, owed, int(pledge_id)
                    )
                )
        return out
