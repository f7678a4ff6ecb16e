"""An edition's funding: its target, and the money committed and received against it.

Every figure is a base-currency carrying value the books hold (pledges at their signing-date
rate, less write-offs; settlements at the same value), added up per partner exactly as
``standing`` adds them, so the funding report, the roster and the standings agree. The
report reads the edition's pledges, their settlements by day and the date of their latest
entry through indexes: never the whole journal.
"""

from __future__ import annotations

from collections import defaultdict

import attrs
from moneyed import Money

from wsis_funding.ledger.model import Edition, Pledge
from wsis_funding.money import from_minor, to_minor, zero
from wsis_funding.money.errors import CurrencyMismatch
from wsis_funding.reports.funding import CurrencyFunding, FundingReport, GroupFunding
from wsis_funding.services.checks import edition_of
from wsis_funding.services.queries import tally
from wsis_funding.services.roster import roster_tier
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier, parse_schedule

__all__ = ["funding_report", "set_funding_target"]


def set_funding_target(uow: UnitOfWork, edition: Edition | str, target: Money | None) -> Edition:
    """Set the edition's funding target (None clears it) and return the edition as stored.

    The target is in the edition's base currency and above zero. It moves no money and
    posts nothing. Raises :class:`UnknownEdition`, ``TypeError`` for a float or anything but
    Money or None, :class:`InvalidAmount` for a target not above zero, finer than the
    currency's minor unit or beyond the books' limit, and :class:`CurrencyMismatch` for a
    target in another currency.
    """
    ed = edition_of(uow, edition)
    assert ed.id is not None
    if target is not None:
        if isinstance(target, Money) and target.currency.code != ed.base_currency:
            raise CurrencyMismatch(
                ed.base_currency, target.currency.code, f"funding target of {ed.code}"
            )
        attrs.evolve(ed, funding_target=target)  # every rule of Edition.funding_target
    uow.editions.set_funding_target(ed.id, None if target is None else to_minor(target))
    return uow.editions.get(ed.code)


def funding_report(uow: UnitOfWork, edition: Edition | str) -> FundingReport:
    """Return the edition's funding report: committed and received against its target.

    Committed is the confirmed pledges' signing-date base value less write-offs, received
    what their settlements paid at the same value; both split into tier and activity money,
    by partner group (each tier, then partners holding only activity packages, then those
    that reach no tier), by pledge currency, and (received) by day. Cancelled and draft
    pledges count nowhere. Raises :class:`UnknownEdition`.
    """
    ed = edition_of(uow, edition)
    assert ed.id is not None
    base = uow.base
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    by_partner: dict[int, list[Pledge]] = defaultdict(list)
    for pledge in uow.pledges.for_edition(ed.id):
        if pledge.status.posted:
            by_partner[pledge.partner_id].append(pledge)
    groups: dict[Tier | str, list[int]] = {}  # tier, "activity" or "none": [count, c, r]
    tier_c = tier_r = act_c = act_r = zero(base)
    currencies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for pledges in by_partner.values():
        t = tally(pledges, schedule, base)
        key: Tier | str = t.detail.tier or ("activity" if t.detail.packages else "none")
        acc = groups.setdefault(key, [0, 0, 0])
        acc[0] += 1
        for p in pledges:
            value = p.base_amount - p.written_off_base
            acc[1] += to_minor(value)
            acc[2] += to_minor(p.settled_base)
            if p.package is None:
                tier_c, tier_r = tier_c + value, tier_r + p.settled_base
            else:
                act_c, act_r = act_c + value, act_r + p.settled_base
            cur = currencies[p.currency]
            cur[0] += to_minor(p.amount - p.written_off)
            cur[1] += to_minor(p.settled)
            cur[2] += to_minor(value)
            cur[3] += to_minor(p.settled_base)
    by_group = []
    for tier in sorted(schedule.minimums, key=lambda x: -x.rank):
        count, committed, received = groups.get(tier, [0, 0, 0])
        by_group.append(
            GroupFunding(
                group="tier",
                tier=roster_tier(tier),
                partners=count,
                committed=from_minor(committed, base),
                received=from_minor(received, base),
            )
        )
    for name in ("activity", "none"):
        if name in groups:
            count, committed, received = groups[name]
            by_group.append(
                GroupFunding(
                    group=name,
                    tier=None,
                    partners=count,
                    committed=from_minor(committed, base),
                    received=from_minor(received, base),
                )
            )
    latest = uow.reports.last_movement(ed.id)
    return FundingReport(
        edition=ed.code,
        title=ed.title,
        base_currency=base,
        dated=latest or ed.start,
        latest=latest,
        target=ed.funding_target,
        committed=tier_c + act_c,
        received=tier_r + act_r,
        tier_committed=tier_c,
        tier_received=tier_r,
        activity_committed=act_c,
        activity_received=act_r,
        partners=len(by_partner),
        by_group=by_group,
        by_currency=[
            CurrencyFunding(
                currency=code,
                committed=from_minor(c[0], code),
                received=from_minor(c[1], code),
                committed_base=from_minor(c[2], base),
                received_base=from_minor(c[3], base),
            )
            for code, c in sorted(currencies.items())
        ],
        receipts=[
            (day, from_minor(total, base)) for day, total in uow.reports.receipts_by_day(ed.id)
        ],
    )
