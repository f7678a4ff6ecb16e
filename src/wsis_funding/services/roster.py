"""The tier roster of an edition: who is recognised at which tier, with which activities.

The tier of each partner is the tier engine's answer for its counted pledges, exactly as
``standing`` computes it; the roster is read from the edition's pledges alone (one indexed
read of them, one of the partners' names), never from the journal, so its time depends on the
edition, not on the books. See :mod:`wsis_funding.reports.roster` for the JSON and CSV.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from wsis_funding.ledger.model import Edition, Pledge
from wsis_funding.reports.roster import (
    Roster,
    RosterAmounts,
    RosterEntry,
    RosterPackage,
    RosterTier,
)
from wsis_funding.services.checks import edition_of
from wsis_funding.services.queries import tally
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier, TierSchedule, parse_schedule

__all__ = ["roster_tier", "tier_roster"]


def roster_tier(tier: Tier) -> RosterTier:
    """Return the roster's description of a tier: code, official title, rank."""
    return RosterTier(code=tier.value, title=tier.title, rank=tier.rank)


def _order(entry: RosterEntry) -> tuple[int, str, str, int]:
    rank = entry.tier.rank if entry.tier is not None else 0
    return (-rank, entry.name.casefold(), entry.short_name, entry.partner_id)


def tier_roster(uow: UnitOfWork, edition: Edition | str, *, amounts: bool = False) -> Roster:
    """Return the edition's roster: each partner recognised, its tier and activity packages.

    A partner is recognised when its confirmed pledges reach a tier or hold an activity
    package (cancelled and draft pledges do not count; written-off money does not count
    toward the tier). The highest tier comes first, then partners by name; partners holding
    only activity packages come last. ``amounts`` adds each partner's committed and paid
    money (tier and activity money apart) in the base currency, as ``standing`` gives them.
    Raises :class:`UnknownEdition` and ``TypeError`` if ``amounts`` is not a bool.
    """
    if not isinstance(amounts, bool):
        raise TypeError(f"amounts must be True or False, not {amounts!r}")
    ed = edition_of(uow, edition)
    assert ed.id is not None
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    by_partner: dict[int, list[Pledge]] = defaultdict(list)
    for pledge in uow.pledges.for_edition(ed.id):
        by_partner[pledge.partner_id].append(pledge)
    names = uow.partners.names(sorted(by_partner))
    entries = []
    for partner_id, pledges in by_partner.items():
        t = tally(pledges, schedule, uow.base)
        tier, held = t.detail.tier, t.detail.packages
        if tier is None and not held:
            continue
        short_name, name = names[partner_id]
        entries.append(
            RosterEntry(
                partner_id=partner_id,
                short_name=short_name,
                name=name,
                tier=None if tier is None else roster_tier(tier),
                packages=_packages(schedule, held),
                amounts=(
                    RosterAmounts(
                        committed=t.committed,
                        paid=t.paid,
                        activity_committed=t.activity_committed,
                        activity_paid=t.activity_paid,
                    )
                    if amounts
                    else None
                ),
            )
        )
    tiers = sorted(schedule.minimums, key=lambda x: -x.rank)
    return Roster(
        edition=ed.code,
        edition_title=ed.title,
        tiers=[roster_tier(x) for x in tiers],
        entries=sorted(entries, key=_order),
        currency=uow.base if amounts else None,
    )


def _packages(schedule: TierSchedule, held: Mapping[str, int]) -> list[RosterPackage]:
    return [
        RosterPackage(code=code, title=schedule.package(code).title, count=count)
        for code, count in sorted(held.items())
    ]
