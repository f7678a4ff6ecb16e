"""Read-only use cases: standing, balances, statements, ageing of receivables.

No report adds amounts of different currencies: balances and statements are per currency,
and the only cross-currency totals are base-currency values converted at recorded rates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

import attrs
from moneyed import Money

from wsis_funding.ledger.accounts import kind_of
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Edition, Partner, PledgeStatus
from wsis_funding.money import from_minor
from wsis_funding.services.checks import edition_of, partner_of
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import (
    Contribution,
    ContributionStatus,
    Standing,
    Tier,
    parse_schedule,
    standing,
)

__all__ = [
    "BUCKETS",
    "AccountBalance",
    "PartnerStanding",
    "Receivables",
    "StatementLine",
    "account_balance",
    "partner_standing",
    "receivables_report",
    "statement_lines",
]

BUCKETS = ("not_due", "0-30", "31-60", "61-90", "over_90")
"""Ageing buckets by days past the instalment's due date."""


@attrs.frozen(kw_only=True)
class PartnerStanding:
    """A partner's standing in an edition: committed and paid in base currency, and the tier."""

    partner_id: int
    edition: str
    committed: Money
    paid: Money
    tier: Tier | None
    next_tier: Tier | None
    shortfall: Money | None
    packages: Mapping[str, int]
    detail: Standing


@attrs.frozen(kw_only=True)
class AccountBalance:
    """The balance of one account: per currency, and in base currency (debits positive)."""

    account: str
    amounts: Mapping[str, Money]
    base: Money


@attrs.frozen(kw_only=True)
class StatementLine:
    """One movement on a partner's receivable, with the running balance in its currency."""

    entry_seq: int
    entry_date: dt.date
    kind: str
    memo: str
    pledge_id: int | None
    amount: Money
    running: Money


@attrs.frozen(kw_only=True)
class Receivables:
    """Open instalments as of a date, by currency and by partner, in ageing buckets."""

    as_of: dt.date
    by_currency: Mapping[str, Mapping[str, Money]]
    by_partner: Mapping[tuple[int, str], Mapping[str, Money]]


def partner_standing(
    uow: UnitOfWork, partner: Partner | int, edition: Edition | str
) -> PartnerStanding:
    """Return the partner's standing in the edition, the tier computed by the tier engine.

    ``committed`` is the base value of the partner's counted pledges (confirmed, less
    write-offs) at their signing-date rates, ``paid`` what was received for them at the
    payment-date rates; the tier, next tier and shortfall are the tier engine's answer for the
    counted pledges. Raises :class:`UnknownPartner`, :class:`UnknownEdition` and
    :class:`MissingRate` when a pledge currency has no rate on its signing date.
    """
    p = partner_of(uow, partner)
    ed = edition_of(uow, edition)
    assert p.id is not None
    assert ed.id is not None
    pledges = uow.pledges.for_partner(p.id, ed.id)
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    rates = uow.rates.table({uow.base, *(x.currency for x in pledges)})
    status = {PledgeStatus.DRAFT: ContributionStatus.DRAFT}
    status[PledgeStatus.CANCELLED] = ContributionStatus.CANCELLED
    contributions = [
        Contribution(
            amount=x.amount,
            on=x.signed_on,
            status=status.get(x.status, ContributionStatus.CONFIRMED),
            written_off=x.written_off if x.written_off.amount else None,
            package=x.package,
        )
        for x in pledges
    ]
    detail = standing(contributions, schedule, rates)
    paid = uow.payments.paid_base(p.id, ed.id)
    committed = detail.total
    if not schedule.activity_counts_toward_tier:
        committed = committed + detail.activity_total
    return PartnerStanding(
        partner_id=p.id,
        edition=ed.code,
        committed=committed,
        paid=from_minor(paid, uow.base),
        tier=detail.tier,
        next_tier=detail.next_tier,
        shortfall=detail.shortfall,
        packages=detail.packages,
        detail=detail,
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


def statement_lines(
    uow: UnitOfWork, partner: Partner | int, edition: Edition | str
) -> dict[str, list[StatementLine]]:
    """Return every movement on the partner's receivable for the edition, per currency.

    Each line carries the running balance in its own currency. Raises :class:`UnknownPartner`
    and :class:`UnknownEdition`.
    """
    p = partner_of(uow, partner)
    ed = edition_of(uow, edition)
    assert p.id is not None
    assert ed.id is not None
    out: dict[str, list[StatementLine]] = defaultdict(list)
    running: dict[str, int] = defaultdict(int)
    for m in uow.balances.receivable_movements(p.id, ed.id):
        running[m.currency] += m.amount_minor
        out[m.currency].append(
            StatementLine(
                entry_seq=m.entry_seq,
                entry_date=m.entry_date,
                kind=m.kind,
                memo=m.memo,
                pledge_id=m.pledge_id,
                amount=from_minor(m.amount_minor, m.currency),
                running=from_minor(running[m.currency], m.currency),
            )
        )
    return dict(out)


def _bucket(days: int) -> str:
    if days < 0:
        return "not_due"
    if days <= 30:
        return "0-30"
    if days <= 60:
        return "31-60"
    return "61-90" if days <= 90 else "over_90"


def receivables_report(uow: UnitOfWork, as_of: dt.date) -> Receivables:
    """Return what was owed on ``as_of`` by instalment due date, in ageing buckets per currency.

    The books are read as they stood on ``as_of``: pledges posted by then and not yet cancelled,
    instalments not yet replaced or written off (with the amount they had then), less the
    payments received by then. A later cancellation, write-off or amendment does not change the
    report for an earlier date. Raises ``TypeError`` for a non-date.
    """
    as_of = require_date(as_of, "as_of")
    by_currency: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BUCKETS, 0))
    by_partner: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(BUCKETS, 0)
    )
    for partner_id, cur, due_on, owed in uow.pledges.open_as_of(as_of):
        bucket = _bucket((as_of - due_on).days)
        by_currency[cur][bucket] += owed
        by_partner[(partner_id, cur)][bucket] += owed
    return Receivables(
        as_of=as_of,
        by_currency={
            c: {b: from_minor(v, c) for b, v in buckets.items()}
            for c, buckets in sorted(by_currency.items())
        },
        by_partner={
            k: {b: from_minor(v, k[1]) for b, v in buckets.items()}
            for k, buckets in sorted(by_partner.items())
        },
    )
