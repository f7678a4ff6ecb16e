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
from sqlalchemy import and_, case, func, or_, select

from wsis_funding.storage import tables as t
from wsis_funding.ledger.accounts import kind_of, receivable
from wsis_funding.ledger.model import Edition, Partner, PledgeStatus
from wsis_funding.storage.repository import SqlPledges, SqlRates
from wsis_funding.money import from_minor, zero
from wsis_funding.services.checks import edition_of, partner_of, require_date
from wsis_funding.storage.unit_of_work import Tx
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


def partner_standing(tx: Tx, partner: Partner | int, edition: Edition | str) -> PartnerStanding:
    """Return the partner's standing in the edition, the tier computed by the tier engine.

    Raises :class:`UnknownPartner`, :class:`UnknownEdition` and :class:`MissingRate` when a
    pledge currency has no rate on its signing date.
    """
    p = partner_of(tx, partner)
    ed = edition_of(tx, edition)
    assert p.id is not None
    pledges = SqlPledges(tx.conn, tx.base).for_partner(p.id, ed.id)
    schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
    rates = SqlRates(tx.conn).table({tx.base, *(x.currency for x in pledges)})
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
    paid = tx.conn.execute(
        select(func.coalesce(func.sum(t.settlements.c.paid_base_minor), 0))
        .join(t.pledges, t.pledges.c.id == t.settlements.c.pledge_id)
        .where(t.pledges.c.partner_id == p.id, t.pledges.c.edition_id == ed.id)
    ).scalar_one()
    committed = detail.total
    if not schedule.activity_counts_toward_tier:
        committed = committed + detail.activity_total
    return PartnerStanding(
        partner_id=p.id,
        edition=ed.code,
        committed=committed,
        paid=from_minor(int(paid), tx.base),
        tier=detail.tier,
        next_tier=detail.next_tier,
        shortfall=detail.shortfall,
        packages=detail.packages,
        detail=detail,
    )


_TOTALS_OF_ACCOUNT = (
    "SELECT t.currency, t.amount_minor, t.base_minor FROM accounts a"
    " JOIN account_totals t ON t.account_id = a.id WHERE a.code = ?"
)


def account_balance(tx: Tx, account: str, as_of: dt.date | None = None) -> AccountBalance:
    """Return the balance of ``account`` (all postings, or those dated on or before ``as_of``).

    Without ``as_of`` the running totals answer in one indexed read (an account never posted
    to has no totals: an empty balance); with it, the covering index on postings does.
    Raises :class:`UnknownAccount` for a malformed code.
    """
    kind_of(account)
    if as_of is None:
        # The common path: one indexed read of the running totals, on the driver cursor.
        rows = tx.driver.all(_TOTALS_OF_ACCOUNT, (account,))
    else:
        require_date(as_of, "as_of")
        account_id = tx.conn.execute(
            select(t.accounts.c.id).where(t.accounts.c.code == account)
        ).scalar()
        if account_id is None:
            return AccountBalance(account=account, amounts={}, base=zero(tx.base))
        p = t.journal_postings.c
        rows = list(
            tx.conn.execute(
                select(p.currency, func.sum(p.amount_minor), func.sum(p.base_minor))
                .where(p.account_id == account_id, p.entry_date <= as_of)
                .group_by(p.currency)
            )
        )
    amounts = {c: from_minor(int(a), c) for c, a, _ in sorted(rows)}
    return AccountBalance(
        account=account, amounts=amounts, base=from_minor(sum(int(b) for *_, b in rows), tx.base)
    )


def statement_lines(
    tx: Tx, partner: Partner | int, edition: Edition | str
) -> dict[str, list[StatementLine]]:
    """Return every movement on the partner's receivable for the edition, per currency.

    Each line carries the running balance in its own currency. Raises :class:`UnknownPartner`
    and :class:`UnknownEdition`.
    """
    p = partner_of(tx, partner)
    ed = edition_of(tx, edition)
    assert p.id is not None
    jp, je, pl, a = t.journal_postings.c, t.journal_entries.c, t.pledges.c, t.accounts.c
    rows = tx.conn.execute(
        select(je.seq, je.entry_date, je.kind, je.memo, jp.pledge_id, jp.currency, jp.amount_minor)
        .join(t.journal_entries, je.seq == jp.entry_seq)
        .join(t.accounts, a.id == jp.account_id)
        .join(t.pledges, pl.id == jp.pledge_id)
        .where(a.code == receivable(p.id), pl.edition_id == ed.id)
        .order_by(je.seq, jp.line_no)
    ).all()
    out: dict[str, list[StatementLine]] = defaultdict(list)
    running: dict[str, int] = defaultdict(int)
    for seq, on, kind, memo, pledge_id, cur, amount in rows:
        running[cur] += amount
        out[cur].append(
            StatementLine(
                entry_seq=seq,
                entry_date=on,
                kind=kind,
                memo=memo,
                pledge_id=pledge_id,
                amount=from_minor(amount, cur),
                running=from_minor(running[cur], cur),
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


def receivables_report(tx: Tx, as_of: dt.date) -> Receivables:
    """Return what was owed on ``as_of`` by instalment due date, in ageing buckets per currency.

    The books are read as they stood on ``as_of``: pledges posted by then and not yet cancelled,
    instalments not yet replaced or written off (with the amount they had then), less the
    payments received by then. A later cancellation, write-off or amendment does not change the
    report for an earlier date. Raises ``TypeError`` for a non-date.
    """
    as_of = require_date(as_of, "as_of")
    i, pl, s = t.instalments.c, t.pledges.c, t.settlements.c
    paid = (
        select(s.instalment_id, func.sum(s.amount_minor).label("paid"))
        .where(s.received_on <= as_of)
        .group_by(s.instalment_id)
        .subquery()
    )
    amount_then = case(
        (and_(i.amount_before_close_minor.is_not(None), i.closed_on > as_of),
         i.amount_before_close_minor),
        else_=i.amount_minor,
    )  # fmt: skip
    rows = tx.conn.execute(
        select(pl.partner_id, pl.currency, i.due_on, amount_then, paid.c.paid)
        .join(t.pledges, pl.id == i.pledge_id)
        .outerjoin(paid, paid.c.instalment_id == i.id)
        .where(
            pl.posted_on.is_not(None),
            pl.posted_on <= as_of,
            or_(pl.cancelled_on.is_(None), pl.cancelled_on > as_of),
            or_(i.added_on.is_(None), i.added_on <= as_of),
            or_(i.replaced.is_(False), i.closed_on > as_of),
            or_(i.written_off.is_(False), pl.written_off_on > as_of),
        )
    ).all()
    by_currency: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BUCKETS, 0))
    by_partner: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(BUCKETS, 0)
    )
    for partner_id, cur, due_on, amount, settled in rows:
        owed = amount - int(settled or 0)
        if owed <= 0:
            continue
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
