"""Pledge use cases: create (draft), confirm, amend, cancel and write off.

Each function runs inside the caller's :class:`Tx` and either completes or raises before the
transaction commits, so a failed use case leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from moneyed import Money
from sqlalchemy import func, select, update

from wsis_funding.errors import (
    CurrencyMismatch,
    InstalmentsDoNotSum,
    InvalidAmount,
    InvalidTransition,
    UnknownPackage,
)
from wsis_funding.storage import tables as t
from wsis_funding.ledger.model import Edition, Partner, Pledge, PledgeStatus
from wsis_funding.ledger.posting import (
    adjusting_entry,
    base_value,
    cancel_entry,
    confirm_entry,
    rate_info,
    write_off_entry,
)
from wsis_funding.storage.repository import SqlPledges, SqlRates
from wsis_funding.money import allocate, from_minor, to_minor
from wsis_funding.services.checks import (
    edition_of,
    partner_of,
    pledge_id_of,
    positive_money,
    require_date,
)
from wsis_funding.storage.unit_of_work import Tx
from wsis_funding.tiers import Tier, ensure_capacity, parse_schedule

__all__ = [
    "amend_pledge",
    "cancel_pledge",
    "confirm_pledge",
    "create_pledge",
    "split_evenly",
    "status_for",
    "write_off_pledge",
]

Schedule = Sequence[tuple[dt.date, Money]]


def split_evenly(amount: Money, due_dates: Sequence[dt.date]) -> list[tuple[dt.date, Money]]:
    """Split ``amount`` over ``due_dates`` in equal shares that sum exactly (largest remainder).

    Raises ``TypeError`` for a float or non-Money amount or a non-date, and
    :class:`InvalidAmount` for a non-positive amount or no dates.
    """
    positive_money(amount, "amount")
    dates = [require_date(d, "due date") for d in due_dates]
    if not dates:
        raise InvalidAmount(amount.amount, "an instalment schedule needs at least one due date")
    return list(zip(dates, allocate(amount, [1] * len(dates)), strict=True))


def _check_schedule(schedule: Schedule, owed: Money, pledge: object) -> list[tuple[dt.date, int]]:
    code = owed.currency.code
    rows: list[tuple[dt.date, int]] = []
    total = 0
    for item in schedule:
        if not isinstance(item, tuple) or len(item) != 2:
            raise TypeError(f"an instalment is a (due date, Money) pair, not {item!r}")
        due = require_date(item[0], "instalment due date")
        amount = positive_money(item[1], "instalment amount")
        if amount.currency.code != code:
            raise CurrencyMismatch(code, amount.currency.code, "instalment")
        rows.append((due, to_minor(amount)))
        total += to_minor(amount)
    if total != to_minor(owed):
        raise InstalmentsDoNotSum(owed, from_minor(total, code), pledge)
    return rows


def status_for(amount: int, settled: int, written_off: int) -> PledgeStatus:
    """Return the status of a posted pledge from what was settled and written off."""
    if written_off:
        return PledgeStatus.WRITTEN_OFF
    if settled >= amount:
        return PledgeStatus.FULFILLED
    return PledgeStatus.PARTIALLY_PAID if settled else PledgeStatus.CONFIRMED


def _insert_instalments(
    tx: Tx,
    pledge_id: int,
    rows: list[tuple[dt.date, int]],
    first: int,
    *,
    added_on: dt.date | None = None,
) -> None:
    if rows:
        tx.conn.execute(
            t.instalments.insert(),
            [
                {
                    "pledge_id": pledge_id,
                    "seq": first + i,
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


def create_pledge(
    tx: Tx,
    partner: Partner | int,
    edition: Edition | str,
    amount: Money,
    signed_on: dt.date,
    instalments: Schedule | None = None,
    *,
    tier: Tier | str | None = None,
    package: str | None = None,
) -> Pledge:
    """Store a draft pledge with its explicit instalment schedule (default: one, on signing).

    Raises :class:`UnknownPartner`, :class:`UnknownEdition`, :class:`UnknownPackage` for a
    tier or package the schedule lacks, ``TypeError`` for floats, :class:`InvalidAmount` for
    a non-positive amount, :class:`CurrencyMismatch` for an instalment in another currency and
    :class:`InstalmentsDoNotSum` unless the instalments sum exactly to ``amount``.
    """
    p = partner_of(tx, partner)
    ed = edition_of(tx, edition)
    amount = positive_money(amount, "pledge amount")
    signed_on = require_date(signed_on, "signing date")
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    tier_value = tier.value if isinstance(tier, Tier) else tier
    if tier_value is not None and tier_value not in {x.value for x in schedule.tiers}:
        raise UnknownPackage(tier_value, ed.code)
    if package is not None and package not in {x.code for x in schedule.packages}:
        raise UnknownPackage(package, ed.code)
    rows = _check_schedule(instalments or [(signed_on, amount)], amount, None)
    assert p.id is not None
    assert ed.id is not None
    pledge_id = tx.conn.execute(
        t.pledges.insert()
        .values(
            partner_id=p.id,
            edition_id=ed.id,
            tier=tier_value,
            package=package,
            currency=amount.currency.code,
            amount_minor=to_minor(amount),
            base_minor=0,
            signed_on=signed_on,
            status=PledgeStatus.DRAFT.value,
            settled_minor=0,
            settled_base_minor=0,
            written_off_minor=0,
            written_off_base_minor=0,
        )
        .returning(t.pledges.c.id)
    ).scalar_one()
    _insert_instalments(tx, pledge_id, rows, 1)
    return SqlPledges(tx.conn, tx.base).get(pledge_id)


def _row(tx: Tx, pledge_id: int) -> Any:
    return tx.conn.execute(select(t.pledges).where(t.pledges.c.id == pledge_id)).one()


def _load(tx: Tx, pledge: Pledge | int) -> Pledge:
    return SqlPledges(tx.conn, tx.base).get(pledge_id_of(pledge))


def confirm_pledge(tx: Tx, pledge: Pledge | int) -> Pledge:
    """Confirm a draft pledge and post its revenue at the signing-date rate (IPSAS 23).

    Raises :class:`UnknownPledge`, :class:`InvalidTransition` unless it is a draft,
    :class:`MissingRate` without a rate on the signing date and :class:`CapacityExceeded` if
    its activity package is sold out among the edition's confirmed pledges.
    """
    p = _load(tx, pledge)
    if p.status is not PledgeStatus.DRAFT:
        raise InvalidTransition(p.id, p.status.value, "confirm", "it is already confirmed")
    ed = edition_of(tx, p.edition_code)
    if p.package is not None:
        sold = tx.conn.execute(
            select(func.count())
            .select_from(t.pledges)
            .where(
                t.pledges.c.edition_id == ed.id,
                t.pledges.c.package == p.package,
                t.pledges.c.status.in_([s.value for s in PledgeStatus if s.posted]),
            )
        ).scalar_one()
        ensure_capacity(parse_schedule(ed.schedule_toml), p.package, int(sold))
    conversion = (
        SqlRates(tx.conn).table([p.currency, tx.base]).convert(p.amount, tx.base, p.signed_on)
    )
    info = rate_info(conversion)
    tx.conn.execute(
        update(t.pledges)
        .where(t.pledges.c.id == p.id)
        .values(
            status=PledgeStatus.CONFIRMED.value,
            posted_on=p.signed_on,
            base_minor=to_minor(conversion.money),
            rate=info[0],
            rate_date=info[1],
            rate_source=info[2],
        )
    )
    confirmed = _load(tx, p.id)
    tx.post([confirm_entry(confirmed, info)])
    return confirmed


def amend_pledge(
    tx: Tx, pledge: Pledge | int, new_amount: Money, instalments: Schedule, *, on: dt.date
) -> Pledge:
    """Change a pledge's amount; ``instalments`` is the new schedule of what is not yet paid.

    Paid instalments are kept (a partly paid one is closed at what was paid); the unpaid ones
    are marked replaced and exactly the given ones are added. A posted pledge gets an
    adjusting entry for the difference at its signing-date rate. Raises
    :class:`InvalidTransition` for a cancelled or written-off pledge, :class:`InvalidAmount`
    below what is already paid and :class:`InstalmentsDoNotSum` unless the new schedule sums
    to the new amount minus what is paid.
    """
    p = _load(tx, pledge)
    on = require_date(on, "amendment date")
    if p.status in (PledgeStatus.CANCELLED, PledgeStatus.WRITTEN_OFF):
        raise InvalidTransition(p.id, p.status.value, "amend")
    new_amount = positive_money(new_amount, "new amount")
    if new_amount.currency.code != p.currency:
        raise CurrencyMismatch(p.currency, new_amount.currency.code, f"amending pledge {p.id}")
    if new_amount < p.settled:
        raise InvalidAmount(new_amount.amount, f"{p.settled} of pledge {p.id} is already paid")
    rows = _check_schedule(instalments, new_amount - p.settled, p.id)
    for inst in p.instalments:
        if inst.replaced or inst.written_off:
            continue
        values: dict[str, Any]
        if inst.settled.amount == 0:
            values = {"replaced": True, "closed_on": on}
        elif inst.settled != inst.amount:
            values = {
                "amount_minor": to_minor(inst.settled),
                "amount_before_close_minor": to_minor(inst.amount),
                "closed_on": on,
            }
        else:
            continue
        tx.conn.execute(update(t.instalments).where(t.instalments.c.id == inst.id).values(values))
    _insert_instalments(tx, p.id, rows, max(i.seq for i in p.instalments) + 1, added_on=on)
    new_minor, old_minor = to_minor(new_amount), to_minor(p.amount)
    values = {"amount_minor": new_minor}
    if p.status.posted:
        row = _row(tx, p.id)
        info = (row.rate, row.rate_date, row.rate_source)
        new_base = base_value(new_minor, p.currency, row.rate, tx.base)
        values |= {
            "base_minor": new_base,
            "status": status_for(new_minor, to_minor(p.settled), 0).value,
        }
        if new_minor != old_minor:
            tx.post(
                [adjusting_entry(p, new_minor - old_minor, new_base - row.base_minor, on, info)]
            )
    tx.conn.execute(update(t.pledges).where(t.pledges.c.id == p.id).values(values))
    return _load(tx, p.id)


def cancel_pledge(tx: Tx, pledge: Pledge | int, *, on: dt.date) -> Pledge:
    """Cancel a pledge on which nothing is paid; a confirmed one gets its reversal posted.

    Raises :class:`InvalidTransition` (suggesting write_off) if anything is paid, or if the
    pledge is already cancelled or written off.
    """
    p = _load(tx, pledge)
    on = require_date(on, "cancellation date")
    if p.settled.amount > 0:
        raise InvalidTransition(
            p.id,
            p.status.value,
            "cancel",
            f"{p.settled} is already paid; use write_off to write off the unpaid rest",
        )
    if p.status not in (PledgeStatus.DRAFT, PledgeStatus.CONFIRMED):
        raise InvalidTransition(p.id, p.status.value, "cancel")
    if p.status is PledgeStatus.CONFIRMED:
        row = _row(tx, p.id)
        tx.post([cancel_entry(p, on, (row.rate, row.rate_date, row.rate_source))])
    tx.conn.execute(
        update(t.pledges)
        .where(t.pledges.c.id == p.id)
        .values(status=PledgeStatus.CANCELLED.value, cancelled_on=on)
    )
    return _load(tx, p.id)


def write_off_pledge(tx: Tx, pledge: Pledge | int, reason: str, *, on: dt.date) -> Pledge:
    """Write off the unpaid rest of a confirmed pledge, with a reason, at carrying value.

    Raises :class:`InvalidTransition` unless the pledge is confirmed or partially paid, and
    ``ValueError`` for an empty reason.
    """
    p = _load(tx, pledge)
    on = require_date(on, "write-off date")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("a write-off needs a reason")
    if p.status not in (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID):
        raise InvalidTransition(p.id, p.status.value, "write off")
    row = _row(tx, p.id)
    rest = p.amount - p.settled
    rest_base = row.base_minor - row.settled_base_minor
    info = (row.rate, row.rate_date, row.rate_source)
    tx.post([write_off_entry(p, rest, rest_base, on, reason, info)])
    tx.conn.execute(
        update(t.instalments)
        .where(t.instalments.c.pledge_id == p.id, t.instalments.c.replaced.is_(False))
        .where(t.instalments.c.settled_minor < t.instalments.c.amount_minor)
        .values(written_off=True)
    )
    tx.conn.execute(
        update(t.pledges)
        .where(t.pledges.c.id == p.id)
        .values(
            status=PledgeStatus.WRITTEN_OFF.value,
            written_off_minor=to_minor(rest),
            written_off_base_minor=rest_base,
            write_off_reason=reason,
            written_off_on=on,
        )
    )
    return _load(tx, p.id)
