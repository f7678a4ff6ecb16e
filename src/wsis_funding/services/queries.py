"""Read-only use cases: standing, balances, ageing of receivables.

No report adds amounts of different currencies: balances are per currency, and the only
cross-currency totals are base-currency values the books already hold (each pledge's carrying
value at its signing-date rate), so a report and the ledger never round the same pledge
differently. The partner statement is in :mod:`.statement`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs
from moneyed import Money

from wsis_funding.ledger.accounts import kind_of
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Edition, Partner, Pledge, PledgeStatus
from wsis_funding.money import RateTable, from_minor, zero
from wsis_funding.services.checks import edition_of, partner_of
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import (
    Contribution,
    ContributionStatus,
    Standing,
    Tier,
    TierSchedule,
    parse_schedule,
    standing,
)

__all__ = [
    "BUCKETS",
    "AccountBalance",
    "AgeingLine",
    "PartnerAgeing",
    "PartnerStanding",
    "Receivables",
    "Tally",
    "account_balance",
    "counted_base",
    "partner_standing",
    "receivables_report",
    "tally",
]

BUCKETS = ("not_due", "0-30", "31-60", "61-90", "over_90")
"""Ageing buckets by days past due: an invoiced instalment's invoice due date, else its own."""


@attrs.frozen(kw_only=True)
class PartnerStanding:
    """A partner's standing in an edition, in base currency at the books' carrying values.

    ``committed`` is the money that counts toward a strategic tier (confirmed pledges at their
    signing-date base value, less what is written off), ``paid`` the carrying value of what of
    it has been settled, so ``owed = committed - paid``. Activity package money is shown apart
    (``activity_committed``, ``activity_paid``; it also counts in ``committed`` only when the
    schedule says so). ``realised_fx`` is the realised exchange gain (negative: loss) on the
    partner's pledges of the edition, apart from both. ``written_off`` and ``recovered`` are
    at carrying value. The tier, next tier and shortfall are the tier engine's answer for
    ``committed``.
    """

    partner_id: int
    edition: str
    committed: Money
    paid: Money
    activity_committed: Money
    activity_paid: Money
    realised_fx: Money
    written_off: Money
    recovered: Money
    tier: Tier | None
    next_tier: Tier | None
    shortfall: Money | None
    packages: Mapping[str, int]
    detail: Standing

    @property
    def owed(self) -> Money:
        """What is still owed on the money that counts: committed less paid."""
        return self.committed - self.paid


@attrs.frozen(kw_only=True)
class AccountBalance:
    """The balance of one account: per currency, and in base currency (debits positive)."""

    account: str
    amounts: Mapping[str, Money]
    base: Money


@attrs.frozen(kw_only=True)
class PartnerAgeing:
    """What one partner owed in one currency on a date, in ageing buckets."""

    partner_id: int
    short_name: str
    name: str
    currency: str
    buckets: Mapping[str, Money]

    @property
    def total(self) -> Money:
        """The partner's total owed in the currency."""
        total = zero(self.currency)
        for amount in self.buckets.values():
            total = total + amount
        return total


@attrs.frozen(kw_only=True)
class AgeingLine:
    """One instalment open on the report's date, in its ageing bucket.

    ``ages_from`` is the due date it ages from: the due date of the latest invoice issued on
    it by then (``invoice`` names that invoice), else its own ``due_on``. ``days_past_due``
    is negative while it is not yet due.
    """

    partner_id: int
    short_name: str
    pledge_id: int
    instalment_id: int
    due_on: dt.date
    invoice: str | None
    ages_from: dt.date
    days_past_due: int
    bucket: str
    owed: Money


@attrs.frozen(kw_only=True)
class Receivables:
    """Open instalments as of a date, by currency and by partner, in ageing buckets.

    ``edition`` is the edition the report is limited to (None: every edition); ``lines``
    lists each open instalment, by partner short name, currency and age.
    """

    as_of: dt.date
    by_currency: Mapping[str, Mapping[str, Money]]
    by_partner: tuple[PartnerAgeing, ...]
    edition: str | None = None
    lines: tuple[AgeingLine, ...] = ()


def _counts(pledge: Pledge, schedule: TierSchedule) -> bool:
    """Whether a pledge's money counts toward a strategic tier."""
    return pledge.package is None or schedule.activity_counts_toward_tier


def _posted(pledge: Pledge) -> bool:
    return pledge.status.posted


def counted_base(
    uow: UnitOfWork, partner_id: int, edition_code: str, schedule: TierSchedule
) -> Money:
    """Return what counts toward a tier for a partner in an edition.

    The base carrying value of its confirmed pledges (less write-offs); activity money only
    if the schedule says so.
    """
    ed = edition_of(uow, edition_code)
    total = zero(uow.base)
    for p in uow.pledges.for_partner(partner_id, ed.id):
        if _posted(p) and _counts(p, schedule):
            total = total + p.base_amount - p.written_off_base
    return total


def partner_standing(
    uow: UnitOfWork, partner: Partner | int, edition: Edition | str
) -> PartnerStanding:
    """Return the partner's standing in the edition, the tier computed by the tier engine.

    See :class:`PartnerStanding` for each figure. Every figure is a base-currency value the
    books hold (carrying values at signing-date rates, realised exchange differences as
    posted), so ``committed - paid`` is what the receivable says is owed. Raises
    :class:`UnknownPartner` and :class:`UnknownEdition`.
    """
    p = partner_of(uow, partner)
    ed = edition_of(uow, edition)
    assert p.id is not None
    assert ed.id is not None
    pledges = uow.pledges.for_partner(p.id, ed.id)
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    t = tally(pledges, schedule, uow.base)
    fx = uow.balances.realised_fx([x.id for x in pledges])
    return PartnerStanding(
        partner_id=p.id,
        edition=ed.code,
        committed=t.committed,
        paid=t.paid,
        activity_committed=t.activity_committed,
        activity_paid=t.activity_paid,
        realised_fx=from_minor(-fx, uow.base),
        written_off=t.written_off,
        recovered=t.recovered,
        tier=t.detail.tier,
        next_tier=t.detail.next_tier,
        shortfall=t.detail.shortfall,
        packages=t.detail.packages,
        detail=t.detail,
    )


def earned_tier(uow: UnitOfWork, partner_id: int, edition: Edition) -> Tier | None:
    """Return the tier the partner's counted pledges in ``edition`` earn now (or None).

    The tier of :func:`partner_standing`, computed from the pledges' rows alone (no
    instalments, no exchange differences): documents state it while the journal is locked.
    """
    assert edition.id is not None
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    base = uow.base
    contributions = [
        _contribution(
            from_minor(amount, base), on, PledgeStatus(status), from_minor(off, base), package
        )
        for amount, on, status, off, package in uow.pledges.tier_facts(partner_id, edition.id)
    ]
    return standing(contributions, schedule, RateTable()).tier


def _contribution(
    amount: Money, on: dt.date, status: PledgeStatus, written_off: Money, package: str | None
) -> Contribution:
    """Return a pledge as the tier engine counts it."""
    return Contribution(
        amount=amount,
        on=on,
        status=_STATUS.get(status, ContributionStatus.CONFIRMED),
        written_off=written_off if written_off.amount else None,
        package=package,
    )


@attrs.frozen(kw_only=True)
class Tally:
    """One partner's pledges in an edition added up in base currency (see PartnerStanding)."""

    committed: Money
    paid: Money
    activity_committed: Money
    activity_paid: Money
    written_off: Money
    recovered: Money
    detail: Standing


_STATUS = {
    PledgeStatus.DRAFT: ContributionStatus.DRAFT,
    PledgeStatus.CANCELLED: ContributionStatus.CANCELLED,
}


def tally(pledges: Iterable[Pledge], schedule: TierSchedule, base: str) -> Tally:
    """Add up one partner's pledges in one edition, and ask the tier engine for its standing.

    The figures of :class:`PartnerStanding` (but the realised exchange differences): every
    one a carrying value the books hold. Raises what :func:`~wsis_funding.tiers.standing`
    raises.
    """
    contributions = []
    committed = paid = activity_committed = activity_paid = zero(base)
    written_off = recovered = zero(base)
    for x in pledges:
        contributions.append(
            _contribution(x.base_amount, x.signed_on, x.status, x.written_off_base, x.package)
        )
        if not _posted(x):
            continue
        value = x.base_amount - x.written_off_base
        written_off = written_off + x.written_off_base
        if x.recovered_base is not None:
            recovered = recovered + x.recovered_base
        if x.package is not None:
            activity_committed = activity_committed + value
            activity_paid = activity_paid + x.settled_base
        if _counts(x, schedule):
            committed = committed + value
            paid = paid + x.settled_base
    return Tally(
        committed=committed,
        paid=paid,
        activity_committed=activity_committed,
        activity_paid=activity_paid,
        written_off=written_off,
        recovered=recovered,
        detail=standing(contributions, schedule, RateTable()),
    )


def account_balance(
    uow: UnitOfWork, account: str, *, as_of: dt.date | None = None
) -> AccountBalance:
    """Return the balance of ``account`` per currency and in base currency (debits positive).

    All postings, or those dated on or before ``as_of``. Without ``as_of`` the running totals
    answer in one indexed read; with it, the covering index on postings does. An account never
    posted to has an empty balance. Raises :class:`UnknownAccount` for a malformed code and
    ``TypeError`` for a non-date.
    """
    kind_of(account)
    if as_of is not None:
        require_date(as_of, "as_of")
    rows = uow.balances.of(account, as_of)
    amounts = {c: from_minor(a, c) for c, a, _ in rows}
    return AccountBalance(
        account=account, amounts=amounts, base=from_minor(sum(b for *_, b in rows), uow.base)
    )


def _bucket(days: int) -> str:
    if days < 0:
        return "not_due"
    if days <= 30:
        return "0-30"
    if days <= 60:
        return "31-60"
    return "61-90" if days <= 90 else "over_90"


def receivables_report(
    uow: UnitOfWork, as_of: dt.date, *, edition: Edition | str | None = None
) -> Receivables:
    """Return what was owed on ``as_of``, in ageing buckets per currency and per partner.

    The books are read as they stood on ``as_of``: pledges posted by then and not yet cancelled,
    instalments not yet replaced or written off (with the amount they had then), less the
    payments received by then. An instalment on an invoice issued by then ages from that
    invoice's due date, otherwise from its own due date. A later cancellation, write-off,
    amendment or reduction does not change the report for an earlier date. Partners are
    named. With ``edition``, only that edition's pledges count (and the time the report
    takes depends on the edition, not on the books). Raises ``TypeError`` for a non-date and
    :class:`UnknownEdition`.
    """
    as_of = require_date(as_of, "as_of")
    ed = None if edition is None else edition_of(uow, edition)
    by_currency: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BUCKETS, 0))
    by_partner: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(BUCKETS, 0)
    )
    rows = uow.pledges.open_as_of(as_of, None if ed is None else ed.id)
    invoices = uow.documents.covering_invoices([r.instalment_id for r in rows], as_of)
    names = uow.partners.names(sorted({r.partner_id for r in rows}))
    lines = []
    for r in rows:
        invoice, ages_from = invoices.get(r.instalment_id, (None, r.due_on))
        days = (as_of - ages_from).days
        bucket = _bucket(days)
        by_currency[r.currency][bucket] += r.owed
        by_partner[(r.partner_id, r.currency)][bucket] += r.owed
        lines.append(
            AgeingLine(
                partner_id=r.partner_id,
                short_name=names[r.partner_id][0],
                pledge_id=r.pledge_id,
                instalment_id=r.instalment_id,
                due_on=r.due_on,
                invoice=invoice,
                ages_from=ages_from,
                days_past_due=days,
                bucket=bucket,
                owed=from_minor(r.owed, r.currency),
            )
        )
    lines.sort(
        key=lambda x: (
            x.short_name,
            x.owed.currency.code,
            x.ages_from,
            x.pledge_id,
            x.instalment_id,
        )
    )
    return Receivables(
        as_of=as_of,
        edition=None if ed is None else ed.code,
        lines=tuple(lines),
        by_currency={
            c: {b: from_minor(v, c) for b, v in buckets.items()}
            for c, buckets in sorted(by_currency.items())
        },
        by_partner=tuple(
            PartnerAgeing(
                partner_id=pid,
                short_name=names[pid][0],
                name=names[pid][1],
                currency=cur,
                buckets={b: from_minor(v, cur) for b, v in buckets.items()},
            )
            for (pid, cur), buckets in sorted(
                by_partner.items(), key=lambda kv: (names[kv[0][0]][0], kv[0][1])
            )
        ),
    )
