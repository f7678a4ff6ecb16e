"""Reading the journal: account balances, a partner's receivable movements, unapplied credit.

A balance without a date reads the running totals (one indexed row per currency); with a date,
the covering index on postings answers it. No query adds amounts of different currencies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import bindparam, func, select

from wsis_funding.ledger.accounts import FX_GAIN_LOSS, receivable, unapplied
from wsis_funding.storage import tables as t
from wsis_funding.storage.statements import Statement

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Balances", "ReceivableMovement"]

_TOTALS_OF_ACCOUNT = Statement(
    "running totals of an account",
    lambda _: (
        select(
            t.account_totals.c.currency,
            t.account_totals.c.amount_minor,
            t.account_totals.c.base_minor,
        )
        .join(t.accounts, t.accounts.c.id == t.account_totals.c.account_id)
        .where(t.accounts.c.code == bindparam("code"))
    ),
    order=("code",),
)


class ReceivableMovement(NamedTuple):
    """One posting on a partner's receivable: its entry, pledge, currency and amount."""

    entry_seq: int
    entry_date: dt.date
    kind: str
    memo: str
    pledge_id: int | None
    currency: str
    amount_minor: int


class PartnerPosting(NamedTuple):
    """A posting on a partner's receivable or unapplied credit, with its entry."""

    entry_seq: int
    entry_date: dt.date
    kind: str
    memo: str
    refs: str
    account_kind: str
    pledge_id: int | None
    currency: str
    amount_minor: int


class Balances:
    """Balances and movements read from the journal and its running totals."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def of(self, account: str, as_of: dt.date | None = None) -> list[tuple[str, int, int]]:
        """Return (currency, amount, base amount) in minor units of ``account``, by currency.

        All postings, or those dated on or before ``as_of``. An account never posted to has
        no rows.
        """
        if as_of is None:
            self._uow.flush()  # the running totals this transaction moved
            rows = self._uow.driver.all(_TOTALS_OF_ACCOUNT, (account,))
        else:
            conn = self._uow.conn
            account_id = conn.execute(
                select(t.accounts.c.id).where(t.accounts.c.code == account)
            ).scalar()
            if account_id is None:
                return []
            p = t.journal_postings.c
            rows = list(
                conn.execute(
                    select(p.currency, func.sum(p.amount_minor), func.sum(p.base_minor))
                    .where(p.account_id == account_id, p.entry_date <= as_of)
                    .group_by(p.currency)
                )
            )
        return sorted((str(c), int(a), int(b)) for c, a, b in rows)

    def unapplied_credit(self, partner_id: int, currency: str) -> tuple[int, int]:
        """Return the partner's unapplied credit in ``currency`` and its base carrying value.

        Both in minor units and positive for a credit; (0, 0) when there is none.
        """
        for code, amount, base in self.of(unapplied(partner_id)):
            if code == currency:
                return -amount, -base
        return 0, 0

    def realised_fx(self, pledge_ids: Sequence[int]) -> int:
        """Return the realised exchange differences posted for these pledges (base, debit +)."""
        if not pledge_ids:
            return 0
        jp, a = t.journal_postings.c, t.accounts.c
        total = self._uow.conn.execute(
            select(func.coalesce(func.sum(jp.base_minor), 0))
            .join(t.accounts, a.id == jp.account_id)
            .where(a.code == FX_GAIN_LOSS, jp.pledge_id.in_(list(pledge_ids)))
        ).scalar_one()
        return int(total)

    def receivable_of_pledge(self, partner_id: int, pledge_id: int, *, up_to: int) -> int:
        """Return a pledge's receivable (pledge currency, minor units) after entry ``up_to``."""
        jp, a = t.journal_postings.c, t.accounts.c
        total = self._uow.conn.execute(
            select(func.coalesce(func.sum(jp.amount_minor), 0))
            .join(t.accounts, a.id == jp.account_id)
            .where(
                a.code == receivable(partner_id),
                jp.pledge_id == pledge_id,
                jp.entry_seq <= up_to,
            )
        ).scalar_one()
        return int(total)

    def partner_postings(self, partner_id: int) -> list[PartnerPosting]:
        """Return every posting on the partner's receivable and unapplied credit, in order."""
        jp, je, a = t.journal_postings.c, t.journal_entries.c, t.accounts.c
        rows = self._uow.conn.execute(
            select(
                je.seq,
                je.entry_date,
                je.kind,
                je.memo,
                je.refs,
                a.kind,
                jp.pledge_id,
                jp.currency,
                jp.amount_minor,
            )
            .join(t.journal_entries, je.seq == jp.entry_seq)
            .join(t.accounts, a.id == jp.account_id)
            .where(a.code.in_([receivable(partner_id), unapplied(partner_id)]))
            .order_by(je.seq, jp.line_no)
        ).all()
        return [PartnerPosting(*r) for r in rows]

    def receivable_movements(self, partner_id: int, edition_id: int) -> list[ReceivableMovement]:
        """Return every posting on the partner's receivable for the edition's pledges, in order."""
        jp, je, pl, a = t.journal_postings.c, t.journal_entries.c, t.pledges.c, t.accounts.c
        rows = self._uow.conn.execute(
            select(
                je.seq, je.entry_date, je.kind, je.memo, jp.pledge_id, jp.currency, jp.amount_minor
            )
            .join(t.journal_entries, je.seq == jp.entry_seq)
            .join(t.accounts, a.id == jp.account_id)
            .join(t.pledges, pl.id == jp.pledge_id)
            .where(a.code == receivable(partner_id), pl.edition_id == edition_id)
            .order_by(je.seq, jp.line_no)
        ).all()
        return [ReceivableMovement(*r) for r in rows]
