"""Pledge use cases: create (draft), confirm, amend, cancel and write off.

Each function runs inside the caller's unit of work and either completes or raises before the
transaction commits, so a failed use case leaves the books as they were.
"""

from __future__ import annotations

import datetime as dt

from moneyed import Money

from wsis_funding.ledger.errors import InvalidTransition
from wsis_funding.ledger.inputs import Schedule, check_schedule, positive_money, require_date
from wsis_funding.ledger.model import Edition, Partner, Pledge, PledgeStatus
from wsis_funding.ledger.posting import (
    adjusting_entry,
    base_value,
    cancel_entry,
    confirm_entry,
    write_off_entry,
)
from wsis_funding.money import to_minor
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier, ensure_capacity, parse_schedule
from wsis_funding.tiers.errors import UnknownPackage

__all__ = [
    "amend_pledge",
    "cancel_pledge",
    "confirm_pledge",
    "create_pledge",
    "get_pledge",
    "partner_pledges",
    "status_for",
    "write_off_pledge",
]


def status_for(amount: int, settled: int, written_off: int) -> PledgeStatus:
    """Return the status of a posted pledge from what was settled and written off."""
    if written_off:
        return PledgeStatus.WRITTEN_OFF
    if settled >= amount:
        return PledgeStatus.FULFILLED
    return PledgeStatus.PARTIALLY_PAID if settled else PledgeStatus.CONFIRMED


def get_pledge(uow: UnitOfWork, pledge: Pledge | int) -> Pledge:
    """Return a pledge as it is stored now, with its instalments.

    Raises :class:`UnknownPledge` and ``TypeError`` for anything but a Pledge or an int id.
    """
    return uow.pledges.get(pledge_id_of(pledge))


def partner_pledges(
    uow: UnitOfWork, partner: Partner | int, edition: Edition | str | None = None
) -> list[Pledge]:
    """Return a partner's pledges (of one edition if given), oldest first, as stored now.

    Raises :class:`UnknownPartner` and :class:`UnknownEdition`.
    """
    p = partner_of(uow, partner)
    assert p.id is not None
    edition_id = None if edition is None else edition_of(uow, edition).id
    return uow.pledges.for_partner(p.id, edition_id)


def create_pledge(
    uow: UnitOfWork,
    partner: Partner | int,
    edition: Edition | str,
    *,
    amount: Money,
    signed_on: dt.date,
    instalments: Schedule | None = None,
    tier: Tier | str | None = None,
    package: str | None = None,
) -> Pledge:
    """Store a draft pledge of ``partner`` to ``edition``, with its instalment schedule.

    ``instalments`` are (due date, amount) pairs in the pledge currency that sum exactly to
    ``amount`` (default: one instalment of the whole amount, due on ``signed_on``). ``tier``
    or ``package`` says what the pledge is for. A draft posts nothing: :func:`confirm_pledge`
    does. Raises :class:`UnknownPartner`, :class:`UnknownEdition`, :class:`UnknownPackage` for
    a tier or package the edition's schedule lacks, ``TypeError`` for floats,
    :class:`InvalidAmount` for a non-positive amount, :class:`CurrencyMismatch` for an
    instalment in another currency and :class:`InstalmentsDoNotSum` unless the instalments
    sum exactly to ``amount``.
    """
    p = partner_of(uow, partner)
    ed = edition_of(uow, edition)
    amount = positive_money(amount, "pledge amount")
    signed_on = require_date(signed_on, "signing date")
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    tier_value = tier.value if isinstance(tier, Tier) else tier
    if tier_value is not None and tier_value not in {x.value for x in schedule.tiers}:
        raise UnknownPackage(tier_value, ed.code)
    if package is not None and package not in {x.code for x in schedule.packages}:
        raise UnknownPackage(package, ed.code)
    rows = check_schedule(instalments or [(signed_on, amount)], amount, None)
    assert p.id is not None
    assert ed.id is not None
    pledge_id = uow.pledges.add_draft(
        partner_id=p.id,
        edition_id=ed.id,
        tier=tier_value,
        package=package,
        currency=amount.currency.code,
        amount_minor=to_minor(amount),
        signed_on=signed_on,
        instalments=rows,
    )
    return uow.pledges.get(pledge_id)


def confirm_pledge(uow: UnitOfWork, pledge: Pledge | int) -> Pledge:
    """Confirm a draft pledge: post its revenue at the signing-date rate (IPSAS 23).

    Posts, dated on the signing date: debit ``receivable:<partner>``, credit
    ``revenue:<edition>``, in the pledge currency and in base currency at the rate in force on
    the signing date (recorded on the pledge as its carrying rate). Raises
    :class:`UnknownPledge`, :class:`InvalidTransition` unless it is a draft,
    :class:`MissingRate` without a rate on the signing date and :class:`CapacityExceeded` if
    its activity package is sold out among the edition's confirmed pledges.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    if p.status is not PledgeStatus.DRAFT:
        raise InvalidTransition(p.id, p.status.value, "confirm", "it is already confirmed")
    ed = edition_of(uow, p.edition_code)
    assert ed.id is not None
    if p.package is not None:
        sold = uow.pledges.packages_sold(ed.id, p.package)
        ensure_capacity(parse_schedule(ed.schedule_toml), p.package, sold)
    conversion = uow.rates.table([p.currency, uow.base]).convert(p.amount, uow.base, p.signed_on)
    uow.pledges.mark_confirmed(p.id, to_minor(conversion.money), conversion.recorded)
    confirmed = uow.pledges.get(p.id)
    uow.post([confirm_entry(confirmed)])
    return confirmed


def amend_pledge(
    uow: UnitOfWork,
    pledge: Pledge | int,
    new_amount: Money,
    *,
    instalments: Schedule,
    on: dt.date,
) -> Pledge:
    """Change a pledge's amount; ``instalments`` is the new schedule of what is not yet paid.

    Paid instalments are kept (a partly paid one is closed at what was paid); the unpaid ones
    are marked replaced and exactly the given ones are added, never more. A posted pledge gets
    an adjusting entry dated ``on`` for the difference at its signing-date rate (debit
    receivable, credit revenue; negative when amended down). Raises
    :class:`InvalidTransition` for a cancelled or written-off pledge, :class:`InvalidAmount`
    below what is already paid, :class:`CurrencyMismatch` for another currency and
    :class:`InstalmentsDoNotSum` unless the new schedule sums to the new amount minus what is
    paid.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    on = require_date(on, "amendment date")
    if p.status in (PledgeStatus.CANCELLED, PledgeStatus.WRITTEN_OFF):
        raise InvalidTransition(p.id, p.status.value, "amend")
    new_amount = positive_money(new_amount, "new amount")
    if new_amount.currency.code != p.currency:
        raise CurrencyMismatch(p.currency, new_amount.currency.code, f"amending pledge {p.id}")
    if new_amount < p.settled:
        raise InvalidAmount(new_amount.amount, f"{p.settled} of pledge {p.id} is already paid")
    rows = check_schedule(instalments, new_amount - p.settled, p.id)
    for inst in p.instalments:
        if inst.replaced or inst.written_off:
            continue
        assert inst.id is not None
        if inst.settled.amount == 0:
            uow.pledges.replace_instalment(inst.id, on)
        elif inst.settled != inst.amount:
            uow.pledges.cut_instalment(inst.id, to_minor(inst.settled), to_minor(inst.amount), on)
    uow.pledges.add_instalments(p.id, rows, max(i.seq for i in p.instalments) + 1, added_on=on)
    new_minor, old_minor = to_minor(new_amount), to_minor(p.amount)
    if p.status.posted:
        new_base = base_value(new_minor, p.currency, p.rate, uow.base)
        status = status_for(new_minor, to_minor(p.settled), 0)
        uow.pledges.set_amount(p.id, new_minor, base_minor=new_base, status=status)
        if new_minor != old_minor:
            delta_base = new_base - to_minor(p.base_amount)
            uow.post([adjusting_entry(p, new_minor - old_minor, delta_base, on)])
    else:
        uow.pledges.set_amount(p.id, new_minor, base_minor=None, status=None)
    return uow.pledges.get(p.id)


def cancel_pledge(uow: UnitOfWork, pledge: Pledge | int, *, on: dt.date) -> Pledge:
    """Cancel a pledge on which nothing is paid; a confirmed one gets its reversal posted.

    The reversal, dated ``on``: debit revenue, credit receivable, at the signing-date rate.
    Raises :class:`InvalidTransition` (suggesting write_off) if anything is paid, or if the
    pledge is already cancelled or written off.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
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
        uow.post([cancel_entry(p, on)])
    uow.pledges.mark_cancelled(p.id, on)
    return uow.pledges.get(p.id)


def write_off_pledge(uow: UnitOfWork, pledge: Pledge | int, reason: str, *, on: dt.date) -> Pledge:
    """Write off the unpaid rest of a confirmed pledge, with a reason, at carrying value.

    Posts, dated ``on``: debit ``write_off``, credit receivable, for the unpaid rest at its
    carrying base value; the open instalments are marked written off. Raises
    :class:`InvalidTransition` unless the pledge is confirmed or partially paid, and
    ``ValueError`` for an empty reason.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    on = require_date(on, "write-off date")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("a write-off needs a reason")
    if p.status not in (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID):
        raise InvalidTransition(p.id, p.status.value, "write off")
    rest = p.amount - p.settled
    rest_base = to_minor(p.base_amount) - to_minor(p.settled_base)
    uow.post([write_off_entry(p, rest, rest_base, on, reason)])
    uow.pledges.mark_written_off(
        p.id, rest_minor=to_minor(rest), rest_base_minor=rest_base, reason=reason, on=on
    )
    return uow.pledges.get(p.id)
