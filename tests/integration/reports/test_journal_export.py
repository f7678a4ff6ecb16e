"""The journal export for the ERP: every posting, balanced per entry, as CSV and XLSX.

Checked against the database itself (how many postings it holds) and against double-entry:
in the export, every entry's postings add up to zero in base currency and in each currency.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from wsis_funding.errors import UnsupportedFormat
from wsis_funding.services import JournalLine, Tracker
from wsis_funding.storage.tables import journal_entries, journal_postings

HEADER = [
    "entry", "date", "kind", "memo", "line", "account", "amount", "amount_currency",
    "base_amount", "base_amount_currency", "rate", "rate_date", "rate_source", "pledge",
    "references", "hash",
]  # fmt: skip


def counts(books: Tracker, since: dt.date | None = None) -> tuple[int, int]:
    """How many postings, and entries with postings, the books hold (dated from ``since``)."""
    je = journal_entries.c
    with books.engine.connect() as conn:
        where = [] if since is None else [je.entry_date >= since]
        postings = conn.execute(
            select(func.count()).select_from(journal_postings.join(journal_entries)).where(*where)
        ).scalar_one()
        # Entries without postings (the seals of documents and payments) move no money: the
        # export, which is of postings, does not list them.
        entries = conn.execute(
            select(func.count(func.distinct(journal_postings.c.entry_seq)))
            .select_from(journal_postings.join(journal_entries))
            .where(*where)
        )
        return int(postings), int(entries.scalar_one())


def export_csv(
    books: Tracker, since: dt.date | None = None, until: dt.date | None = None
) -> tuple[int, list[dict[str, str]]]:
    stream = io.BytesIO()
    written = books.write_journal(stream, format="csv", since=since, until=until)
    text = stream.getvalue().decode("utf-8")
    return written, list(csv.DictReader(io.StringIO(text, newline="")))


def test_journal_csv_has_every_posting_and_each_entry_balances(books: Tracker) -> None:
    written, rows = export_csv(books)
    postings, entries = counts(books)
    assert written == len(rows) == postings
    assert len({r["entry"] for r in rows}) == entries
    assert list(rows[0]) == HEADER
    order = [(int(r["entry"]), int(r["line"])) for r in rows]
    assert order == sorted(order)
    base: dict[str, Decimal] = defaultdict(Decimal)
    per_currency: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        assert r["base_amount_currency"] == "CHF"
        base[r["entry"]] += Decimal(r["base_amount"])
        per_currency[(r["entry"], r["amount_currency"])] += Decimal(r["amount"])
    assert set(base.values()) == {Decimal(0)}
    assert set(per_currency.values()) == {Decimal(0)}


def test_journal_csv_keeps_each_rate_with_its_date_and_source(books: Tracker) -> None:
    _, rows = export_csv(books)
    confirmed = [r for r in rows if r["kind"] == "pledge_confirmed"]
    usd = next(r for r in confirmed if r["amount_currency"] == "USD")
    assert usd["amount"] in {"350000.00", "-350000.00"}
    assert (Decimal(usd["rate"]), usd["rate_date"]) == (Decimal("0.90"), "2024-01-01")
    assert Decimal(usd["base_amount"]) == Decimal(usd["amount"]) * Decimal("0.90")
    assert usd["rate_source"] == "UN operational rate of exchange"
    jpy = {r["amount"] for r in confirmed if r["amount_currency"] == "JPY"}
    kwd = {r["amount"] for r in confirmed if r["amount_currency"] == "KWD"}
    assert jpy == {"5000000", "-5000000"}
    assert kwd == {"12345.678", "-12345.678"}
    chf = next(r for r in confirmed if r["amount_currency"] == "CHF")
    assert chf["rate"] == chf["rate_date"] == chf["rate_source"] == ""
    payment = next(r for r in rows if r["kind"] == "payment" and "UBS-0305-7" in r["references"])
    assert '["reference", "UBS-0305-7"]' in payment["references"]
    assert len(payment["hash"]) == 64


def test_journal_export_of_a_period_holds_only_its_entries(books: Tracker) -> None:
    since, until = dt.date(2024, 3, 1), dt.date(2024, 3, 31)
    _, rows = export_csv(books, since=since, until=until)
    assert {r["date"] for r in rows} == {"2024-03-05", "2024-03-10"}
    later, _ = counts(books, since=dt.date(2024, 4, 1))
    _, after = export_csv(books, since=dt.date(2024, 4, 1))
    assert len(after) == later


def test_journal_xlsx_reads_back_as_numbers_and_dates(books: Tracker) -> None:
    stream = io.BytesIO()
    written = books.write_journal(stream, format="xlsx")
    (sheet,) = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).worksheets
    assert isinstance(sheet, Worksheet)
    assert sheet.max_row == written + 1
    assert sheet.cell(row=1, column=7).value == "Amount"
    formats = {"JPY": '#,##0 "JPY"', "KWD": '#,##0.000 "KWD"', "CHF": '#,##0.00 "CHF"'}
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        assert isinstance(row[1].value, dt.datetime)
        amount, base = row[6], row[7]
        assert isinstance(amount.value, int | float)
        assert base.number_format == formats["CHF"]
        code = amount.number_format.rsplit('"', 2)[1]
        if code in formats:
            assert amount.number_format == formats[code]
            seen.add(code)
    assert seen == set(formats)


def test_the_same_books_give_the_same_journal_bytes(books: Tracker) -> None:
    for fmt in ("csv", "xlsx"):
        first, second = io.BytesIO(), io.BytesIO()
        books.write_journal(first, format=fmt)
        books.write_journal(second, format=fmt)
        assert first.getvalue() == second.getvalue(), fmt


def test_journal_lines_are_data_and_progress_is_reported(books: Tracker) -> None:
    postings, _ = counts(books)

    def total_base(lines: object) -> Decimal:
        assert not isinstance(lines, list)  # an iterator: the lines are streamed
        return sum((line.base_amount.amount for line in lines), Decimal(0))  # type: ignore[attr-defined]

    assert books.journal_lines(total_base) == 0
    first: list[JournalLine] = books.journal_lines(lambda lines: [next(iter(lines))])
    assert (first[0].entry, first[0].line) == (1, 1)
    seen: list[int] = []
    books.write_journal(io.BytesIO(), progress=seen.append)
    assert seen[-1] == postings


def test_journal_export_refuses_a_format_it_is_not_written_in(books: Tracker) -> None:
    with pytest.raises(UnsupportedFormat, match=r"journal.*csv, xlsx"):
        books.write_journal(io.BytesIO(), format="pdf")
    with pytest.raises(TypeError, match="since"):
        books.write_journal(io.BytesIO(), since="2024-01-01")  # type: ignore[arg-type]
