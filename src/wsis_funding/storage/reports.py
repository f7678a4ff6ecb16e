"""Reads for reports: an edition's receipts by day and latest movement, the journal streamed.

Edition figures are read through the indexes on pledges' edition, settlements' pledge and
postings' pledge, so their time depends on the edition, not on the size of the journal. The
journal export reads every posting in entry order and yields rows as the database sends them
(a server-side cursor on PostgreSQL), never holding the journal in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final, NamedTuple

from sqlalchemy import func, select

from wsis_funding.storage import tables as t

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["JournalRow", "ReportReads"]

_BATCH: Final = 5_000  # rows fetched from the server at a time


class JournalRow(NamedTuple):
    """One posting of the journal with its entry, as stored (amounts in minor units)."""

    entry_seq: int
    entry_date: dt.date
    kind: str
    memo: str
    refs: str
    hash: str
    line_no: int
    account: str
    currency: str
    amount_minor: int
    base_minor: int
    rate: str | None
    rate_date: dt.date | None
    rate_source: str | None
    pledge_id: int | None


class ReportReads:
    """What reports read that no other repository does."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def receipts_by_day(self, edition_id: int) -> list[tuple[dt.date, int]]:
        """Return what settlements of the edition's pledges settled per day, in base minor units.

        At carrying value (the pledges' signing-date rates), so that the days add up to the
        pledges' settled base value. Days in order; days without receipts are left out.
        """
        s, pl = t.settlements.c, t.pledges.c
        rows = self._uow.conn.execute(
            select(s.received_on, func.sum(s.carrying_base_minor))
            .join(t.pledges, pl.id == s.pledge_id)
            .where(pl.edition_id == edition_id)
            .group_by(s.received_on)
            .order_by(s.received_on)
        )
        d = self._uow.driver
        return [(d.read_date(day), int(total)) for day, total in rows]

    def last_movement(self, edition_id: int) -> dt.date | None:
        """Return the date of the latest journal entry on the edition's pledges, if any."""
        jp, pl = t.journal_postings.c, t.pledges.c
        day = self._uow.conn.execute(
            select(func.max(jp.entry_date))
            .join(t.pledges, pl.id == jp.pledge_id)
            .where(pl.edition_id == edition_id)
        ).scalar()
        return self._uow.driver.read_day(day)

    def latest_entry_date(self) -> dt.date | None:
        """Return the date of the journal's last entry (highest sequence), None if empty."""
        je = t.journal_entries.c
        day = self._uow.conn.execute(
            select(je.entry_date).order_by(je.seq.desc()).limit(1)
        ).scalar()
        return self._uow.driver.read_day(day)

    def journal(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> Iterator[JournalRow]:
        """Yield every posting with its entry and account code, by entry then line.

        Only entries dated from ``since`` to ``until`` (both included) when given. The rows
        are streamed: iterate them inside the unit of work's transaction.
        """
        je, jp, a = t.journal_entries.c, t.journal_postings.c, t.accounts.c
        query = (
            select(
                je.seq,
                je.entry_date,
                je.kind,
                je.memo,
                je.refs,
                je.hash,
                jp.line_no,
                a.code,
                jp.currency,
                jp.amount_minor,
                jp.base_minor,
                jp.rate,
                jp.rate_date,
                jp.rate_source,
                jp.pledge_id,
            )
            .join(t.journal_entries, je.seq == jp.entry_seq)
            .join(t.accounts, a.id == jp.account_id)
            .order_by(jp.entry_seq, jp.line_no)
        )
        if since is not None:
            query = query.where(je.entry_date >= since)
        if until is not None:
            query = query.where(je.entry_date <= until)
        d = self._uow.driver
        result = self._uow.conn.execute(query.execution_options(yield_per=_BATCH))
        try:
            for row in result:
                yield JournalRow(
                    entry_seq=int(row[0]),
                    entry_date=d.read_date(row[1]),
                    kind=row[2],
                    memo=row[3],
                    refs=row[4],
                    hash=row[5],
                    line_no=int(row[6]),
                    account=row[7],
                    currency=row[8],
                    amount_minor=int(row[9]),
                    base_minor=int(row[10]),
                    rate=row[11],
                    rate_date=d.read_day(row[12]),
                    rate_source=row[13],
                    pledge_id=row[14],
                )
        finally:
            result.close()
