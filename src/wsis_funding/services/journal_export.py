"""The journal export for the organisation's ERP: every entry with its postings, streamed.

One row per posting, in entry order then line order: the entry (sequence, date, kind, memo,
references, hash) and the posting (line, account, amount in its currency, base amount, the
rate with its date and source, the pledge). The rows are read from a streaming cursor and
written as they come, so a journal of a million postings never sits in memory; the use case
holds one read transaction (a consistent snapshot) while it runs.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, Final, TypeVar

import attrs
from moneyed import Money

from wsis_funding.ledger.inputs import require_date
from wsis_funding.money import from_minor
from wsis_funding.reports.files import ReportFormat, report_format
from wsis_funding.reports.stream import Progress, write_csv_rows, write_xlsx_rows
from wsis_funding.reports.table import Column, Kind, Row
from wsis_funding.storage.reports import JournalRow
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["JOURNAL_COLUMNS", "JournalLine", "journal_lines", "write_journal"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class JournalLine:
    """One posting of the journal with its entry.

    ``amount`` is in the posting's currency, ``base_amount`` in the books' base currency
    (an exchange difference has a zero ``amount``); ``rate`` is the rate it was converted
    at (None for the base currency), with its date and source. ``references`` are the
    entry's (name, value) pairs, ``hash`` its link in the hash chain.
    """

    entry: int
    entry_date: dt.date
    kind: str
    memo: str
    references: tuple[tuple[str, str], ...]
    hash: str
    line: int
    account: str
    amount: Money
    base_amount: Money
    rate: Decimal | None
    rate_date: dt.date | None
    rate_source: str | None
    pledge_id: int | None


JOURNAL_COLUMNS: Final = (
    Column("entry", "Entry", Kind.INTEGER),
    Column("date", "Date", Kind.DATE),
    Column("kind", "Kind", Kind.TEXT),
    Column("memo", "Memo", Kind.TEXT),
    Column("line", "Line", Kind.INTEGER),
    Column("account", "Account", Kind.TEXT),
    Column("amount", "Amount", Kind.MONEY),
    Column("base_amount", "Base amount", Kind.MONEY),
    Column("rate", "Rate", Kind.DECIMAL),
    Column("rate_date", "Rate date", Kind.DATE),
    Column("rate_source", "Rate source", Kind.TEXT),
    Column("pledge", "Pledge", Kind.INTEGER),
    Column("references", "References", Kind.TEXT),
    Column("hash", "Entry hash", Kind.TEXT),
)
"""The export's columns; in CSV each money column is followed by its ``_currency`` column."""


def _line(row: JournalRow, base: str) -> JournalLine:
    return JournalLine(
        entry=row.entry_seq,
        entry_date=row.entry_date,
        kind=row.kind,
        memo=row.memo,
        references=tuple((str(k), str(v)) for k, v in json.loads(row.refs)),
        hash=row.hash,
        line=row.line_no,
        account=row.account,
        amount=from_minor(row.amount_minor, row.currency),
        base_amount=from_minor(row.base_minor, base),
        rate=None if row.rate is None else Decimal(row.rate),
        rate_date=row.rate_date,
        rate_source=row.rate_source,
        pledge_id=row.pledge_id,
    )


def journal_lines(
    uow: UnitOfWork,
    consume: Callable[[Iterator[JournalLine]], T],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> T:
    """Call ``consume`` with an iterator of every posting (entries dated ``since`` to ``until``).

    The iterator is valid only while ``consume`` runs (inside the read transaction); what
    ``consume`` returns is returned. Raises ``TypeError`` for a bound that is not a date.
    """
    if since is not None:
        require_date(since, "since")
    if until is not None:
        require_date(until, "until")
    base = uow.base
    return consume(_line(row, base) for row in uow.reports.journal(since, until))


def _row(line: JournalLine) -> Row:
    refs = json.dumps([list(r) for r in line.references], ensure_ascii=False)
    return (
        line.entry,
        line.entry_date,
        line.kind,
        line.memo,
        line.line,
        line.account,
        line.amount,
        line.base_amount,
        line.rate,
        line.rate_date,
        line.rate_source,
        line.pledge_id,
        refs,
        line.hash,
    )


def write_journal(
    uow: UnitOfWork,
    target: IO[bytes],
    *,
    format: str = "csv",
    since: dt.date | None = None,
    until: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the journal export to ``target`` (a binary stream) as CSV or XLSX; return the count.

    One row per posting (see :data:`JOURNAL_COLUMNS`) of the entries dated from ``since`` to
    ``until`` (both included; None: no bound), in entry order, streamed: memory stays flat
    whatever the journal's size. Entries without postings (the seals of documents and
    payments, a chain key's declaration) move no money and are not listed. ``format`` is
    ``"csv"`` or ``"xlsx"``. ``progress`` is called with the number of postings written so far.
    On an error part of the file may have been written: write to a temporary file and keep
    it only when this returns. Raises :class:`UnsupportedFormat` and ``TypeError``.
    """
    fmt = report_format(format, "journal", (ReportFormat.CSV, ReportFormat.XLSX))

    def consume(lines: Iterator[JournalLine]) -> int:
        rows = (_row(line) for line in lines)
        if fmt is ReportFormat.XLSX:
            return write_xlsx_rows("Journal", JOURNAL_COLUMNS, rows, target, progress=progress)
        text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
        try:
            return write_csv_rows(JOURNAL_COLUMNS, rows, text, progress=progress)
        finally:
            text.flush()
            text.detach()

    return journal_lines(uow, consume, since=since, until=until)
