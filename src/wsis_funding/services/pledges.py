"""Pledge use cases: create (draft), confirm, amend, cancel and write off.

Each function runs inside the caller's unit of work and either completes or raises before the
transaction commits, so a failed use case leaves the books as they were. Cancelling and
amending never leave an invoice that looks open: they credit, in the same transaction, what
the pledge's invoices still ask for on instalments no longer due (and return those credit
notes); writing off leaves its invoices written off, and money later received for them is a
recovery.
"""

from __future__ import annotations

import datetime as dt

import attrs
from moneyed import Money

from wsis_funding.documents.model import IssuedDocument
from wsis_funding.ledger.errors import DatesOutOfOrder, InvalidTransition, TierNotReached
from wsis_funding.ledger.inputs import Schedule, check_schedule, positive_money, require_date
from wsis_funding.ledger.model import Edition, Partner, Pledge, PledgeStatus, status_for
from wsis_funding.ledger.posting import (
    adjusting_entry,
    base_value,
    cancel_entry,
    confirm_entry,
    write_off_entry,
)
from wsis_funding.money import ExchangeRate, from_minor, to_minor
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.services.credit_notes import credit_for_pledge_change
from wsis_funding.services.queries import counted_base
from wsis_funding.services.rates import rate_to_base
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier, TierSchedule, classify, ensure_capacity, parse_schedule
from wsis_funding.tiers.errors import UnknownPackage

__all__ = [
    "PledgeChange",
    "amend_pledge",
    "cancel_pledge",
    "confirm_pledge",
    "create_pledge",
    "get_pledge",
    "partner_pledges",
    "write_off_pledge",
]


@attrs.frozen(kw_only=True)
class PledgeChange:
    """A pledge after a cancellation or an amendment, and the credit notes it issued."""

    pledge: Pledge
    credit_notes: tuple[IssuedDocument, ...] = ()


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


def _check_package_price(
    schedule: TierSchedule,
    package: str,
    amount: Money,
    base_amount: Money | None,
    reason: str | None,
) -> None:
    price = schedule.package(package).price
    if base_amount is None and amount.currency.code != price.currency.code:
        return  # compared at confirmation, once the amount is in the base currency
    value = amount if base_amount is None else base_amount
    if value < price and not (reason and reason.strip()):
        raise InvalidAmount(
            value.amount,
            f"activity package {package!r} is priced {price.amount} {price.currency.code}; "
            "a pledge below its price needs a discount_reason",
        )


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
    discount_reason: str | None = None,
) -> Pledge:
    """Store a draft pledge of ``partner`` to ``edition``, with its instalment schedule.

    ``instalments`` are (due date, amount) pairs in the pledge currency, each due on or after
    ``signed_on``, that sum exactly to ``amount`` (default: one instalment of the whole
    amount, due on ``signed_on``). A pledge is for a tier it aims at, or for one activity
    package, never both; a package pledge below the package's price needs a
    ``discount_reason``, which is recorded and reported. A draft posts nothing:
    :func:`confirm_pledge` does. Raises :class:`UnknownPartner`, :class:`UnknownEdition`,
    :class:`UnknownPackage` for a tier or package the edition's schedule lacks, ``ValueError``
    for both a tier and a package, ``TypeError`` for floats, :class:`InvalidAmount` for a
    non-positive amount or a package below its price without a reason,
    :class:`CurrencyMismatch` for an instalment in another currency,
    :class:`DatesOutOfOrder` for an instalment due before signing and
    :class:`InstalmentsDoNotSum` unless the instalments sum exactly to ``amount``.
    """
    p = partner_of(uow, partner)
    ed = edition_of(uow, edition)
    amount = positive_money(amount, "pledge amount")
    signed_on = require_date(signed_on, "signing date")
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    tier_value = tier.value if isinstance(tier, Tier) else tier
    if tier_value is not None and package is not None:
        raise ValueError(
            f"a pledge is for a tier or for one activity package, not both "
            f"(tier {tier_value!r}, package {package!r})"
        )
    if tier_value is not None and tier_value not in {x.value for x in schedule.tiers}:
        raise UnknownPackage(tier_value, ed.code)
    if package is not None:
        if package not in {x.code for x in schedule.packages}:
            raise UnknownPackage(package, ed.code)
        _check_package_price(schedule, package, amount, None, discount_reason)
    rows = check_schedule(instalments or [(signed_on, amount)], amount, None)
    for due, _ in rows:
        if due < signed_on:
            raise DatesOutOfOrder("an instalment", due, "the signing", signed_on)
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
        discount_reason=discount_reason.strip() if discount_reason else None,
    )
    return uow.pledges.get(pledge_id)


def _check_declared_tier(uow: UnitOfWork, pledge: Pledge, schedule: TierSchedule) -> None:
    """Refuse a declared tier that all the partner's confirmed pledges could not reach."""
    if pledge.tier is None:
        return
    total = counted_base(uow, pledge.partner_id, pledge.edition_code, schedule)
    earned = classify(total, schedule)
    declared = Tier(pledge.tier)
    if earned is not None and earned >= declared:
        return
    minimum = schedule.minimums[declared]
    missing = minimum - total
    reached = earned.title if earned else "no tier"
    raise TierNotReached(pledge.id, declared.value, reached, missing)


def confirm_pledge(
    uow: UnitOfWork, pledge: Pledge | int, *, rate: ExchangeRate | None = None
) -> Pledge:
    """Confirm a draft pledge: post its revenue at the signing-date rate (IPSAS 23).

    Posts, dated on the signing date: debit ``receivable:<partner>``, credit
    ``revenue:<edition>``, in the pledge currency and in base currency at the rate in force on
    the signing date (recorded on the pledge as its carrying rate); ``rate`` is a dated rate
    to use instead when the stored one is older than the books allow. A pledge that declares
    a tier is confirmed only if the partner's confirmed pledges in the edition, this one
    included, reach it. Raises :class:`UnknownPledge`, :class:`InvalidTransition` unless it is
    a draft, :class:`MissingRate` or :class:`StaleRate` without a usable rate on the signing
    date, :class:`TierNotReached` (with the shortfall), :class:`InvalidAmount` for a package
    below its price without a discount reason, and :class:`CapacityExceeded` if its activity
    package is sold out among the edition's confirmed pledges.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    if p.status is not PledgeStatus.DRAFT:
        if p.status is PledgeStatus.CONFIRMED:
            hint = "it is already confirmed"
        elif p.status.posted:
            hint = f"it was confirmed already and is now {p.status.value.replace('_', ' ')}"
        else:
            hint = f"only a draft can be confirmed; it is {p.status.value}"
        raise InvalidTransition(p.id, p.status.value, "confirm", hint)
    ed = edition_of(uow, p.edition_code)
    assert ed.id is not None
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    recorded = rate_to_base(uow, p.currency, p.signed_on, rate)
    base_minor = base_value(to_minor(p.amount), p.currency, recorded, uow.base)
    if p.package is not None:
        sold = uow.pledges.packages_sold(ed.id, p.package)
        ensure_capacity(schedule, p.package, sold)
        _check_package_price(
            schedule, p.package, p.amount, from_minor(base_minor, uow.base), p.discount_reason
        )
    uow.pledges.mark_confirmed(p.id, base_minor, recorded)
    confirmed = uow.pledges.get(p.id)
    _check_declared_tier(uow, confirmed, schedule)
    uow.post([confirm_entry(confirmed)])
    return confirmed


def _not_before_signing(pledge: Pledge, on: dt.date, what: str) -> None:
    if on < pledge.signed_on:
        raise DatesOutOfOrder(
            f"the {what} of pledge {pledge.id}", on, "its signing", pledge.signed_on
        )


def amend_pledge(
    uow: UnitOfWork,
    pledge: Pledge | int,
    new_amount: Money,
    *,
    instalments: Schedule,
    on: dt.date,
    discount_reason: str | None = None,
) -> PledgeChange:
    """Change a pledge's amount to ``new_amount``; ``instalments`` schedule what is unpaid.

    Paid instalments are kept (a partly paid one is closed at what was paid); the unpaid ones
    are marked replaced and exactly the given ones are added, never more. A posted pledge gets
    an adjusting entry dated ``on`` for the difference at its signing-date rate (debit
    receivable, credit revenue; negative when amended down). What the pledge's open invoices
    still ask for on replaced instalments is credited in the same transaction, as a reduction
    up to the amount the pledge went down and as a correction beyond (the new instalments are
    invoiced afresh); those credit notes are returned. A package pledge amended below the
    package's price needs a ``discount_reason``. Raises :class:`InvalidTransition` for a
    cancelled or written-off pledge, :class:`DatesOutOfOrder` for ``on`` before signing or an
    instalment due before signing, :class:`InvalidAmount` below what is already paid,
    :class:`CurrencyMismatch` for another currency and :class:`InstalmentsDoNotSum` unless
    the new schedule sums to the new amount minus what is paid.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    on = require_date(on, "amendment date")
    if p.status in (PledgeStatus.CANCELLED, PledgeStatus.WRITTEN_OFF):
        raise InvalidTransition(p.id, p.status.value, "amend")
    _not_before_signing(p, on, "amendment")
    new_amount = positive_money(new_amount, "new amount")
    if new_amount.currency.code != p.currency:
        raise CurrencyMismatch(p.currency, new_amount.currency.code, f"amending pledge {p.id}")
    if new_amount < p.settled:
        raise InvalidAmount(
            new_amount.amount,
            f"{p.settled.amount} {p.currency} of pledge {p.id} is already paid",
        )
    if p.package is not None:
        ed = edition_of(uow, p.edition_code)
        schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
        base_now = (
            from_minor(base_value(to_minor(new_amount), p.currency, p.rate, uow.base), uow.base)
            if p.status.posted
            else None
        )
        _check_package_price(
            schedule, p.package, new_amount, base_now, discount_reason or p.discount_reason
        )
    rows = check_schedule(instalments, new_amount - p.settled, p.id)
    for due, _ in rows:
        if due < p.signed_on:
            raise DatesOutOfOrder("an instalment", due, "the signing", p.signed_on)
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
    notes = credit_for_pledge_change(
        uow, p, on, reduced_by=old_minor - new_minor, reason="pledge amended"
    )
    return PledgeChange(pledge=uow.pledges.get(p.id), credit_notes=tuple(notes))


def cancel_pledge(uow: UnitOfWork, pledge: Pledge | int, *, on: dt.date) -> PledgeChange:
    """Cancel a pledge on which nothing is paid; a confirmed one gets its reversal posted.

    The reversal, dated ``on``: debit revenue, credit receivable, at the signing-date rate.
    Every invoice of the pledge that still asks for something is credited by a reduction
    credit note in the same transaction (the reversal is their posting); they are returned.
    Raises :class:`InvalidTransition` (suggesting write_off) if anything is paid, or if the
    pledge is already cancelled or written off, and :class:`DatesOutOfOrder` for ``on``
    before signing or before an invoice it must credit.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    on = require_date(on, "cancellation date")
    if p.settled.amount > 0:
        raise InvalidTransition(
            p.id,
            p.status.value,
            "cancel",
            f"{p.settled.amount} {p.currency} is already paid; use write_off to write off "
            "the unpaid rest",
        )
    if p.status not in (PledgeStatus.DRAFT, PledgeStatus.CONFIRMED):
        raise InvalidTransition(p.id, p.status.value, "cancel")
    _not_before_signing(p, on, "cancellation")
    if p.status is PledgeStatus.CONFIRMED:
        uow.post([cancel_entry(p, on)])
    uow.pledges.mark_cancelled(p.id, on)
    notes = credit_for_pledge_change(
        uow, p, on, reduced_by=to_minor(p.amount), reason="pledge cancelled"
    )
    return PledgeChange(pledge=uow.pledges.get(p.id), credit_notes=tuple(notes))


def write_off_pledge(uow: UnitOfWork, pledge: Pledge | int, reason: str, *, on: dt.date) -> Pledge:
    """Write off the unpaid rest of a confirmed pledge, with a reason, at carrying value.

    Posts, dated ``on``: debit ``write_off``, credit receivable, for the unpaid rest at its
    carrying base value; the open instalments are marked written off, and so are the invoices
    that ask for them (money later received for them is a recovery). Raises
    :class:`InvalidTransition` unless the pledge is confirmed or partially paid,
    :class:`DatesOutOfOrder` for ``on`` before signing, and ``ValueError`` for an empty reason.
    """
    p = uow.pledges.get(pledge_id_of(pledge))
    on = require_date(on, "write-off date")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("a write-off needs a reason")
    if p.status not in (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID):
        raise InvalidTransition(p.id, p.status.value, "write off")
    _not_before_signing(p, on, "write-off")
    rest = p.amount - p.settled
    rest_base = to_minor(p.base_amount) - to_minor(p.settled_base)
    uow.post([write_off_entry(p, rest, rest_base, on, reason)])
    uow.pledges.mark_written_off(
        p.id, rest_minor=to_minor(rest), rest_base_minor=rest_base, reason=reason, on=on
    )
    return uow.pledges.get(p.id)
