"""The partner statement of account as files, read as a person would (both engines).

ACME (French) pledged CHF 160,000 in two instalments of 80,000: invoice 1 asked for the
first on 1 February, 80,000 came on 5 March and paid it, invoice 3 asked for the second on
1 May. KUW (Arabic) pledged KWD 12,345.678 and got invoice 2. Every figure below is worked
out here from those facts with Decimal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tests.factories import make_edition, make_partner
from tests.integration.rendering.pdftext import appears, has
from wsis_funding.errors import DatesOutOfOrder, IssuerNotConfigured, UnsupportedFormat
from wsis_funding.i18n import format_amount, format_day, translations
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker

PdfText = Callable[[bytes], str]
PLEDGED = Decimal("160000.00")
INSTALMENT = PLEDGED / 2
PAID = Decimal("80000.00")


def _(language: str, msgid: str) -> str:
    return str(translations(language).gettext(msgid))


def test_statement_pdf_is_in_the_partners_language_with_its_balances(
    books: Tracker, ids: dict[str, int], pdf_text: PdfText
) -> None:
    text = pdf_text(books.statement_file(ids["ACME"], "WSIS2024"))
    owed = PLEDGED - PAID
    assert has(text, "Relevé de compte")
    assert has(text, "ACME Corporation")
    for label, amount in (
        ("Solde dû", owed),
        ("Facturé", PLEDGED),
        ("Payé sur les factures", PAID),
        ("Reste dû sur les factures", PLEDGED - PAID),
    ):
        assert has(text, label)
        assert has(text, format_amount(money(amount, "CHF"), "fr")), label
    for number in ("WSIS-2024-0001", "WSIS-2024-0003", "UBS-0305-7 (WSIS-2024-0001)"):
        assert has(text, number)
    assert has(text, "Paiement")
    assert has(text, format_amount(money(-PAID, "CHF"), "fr"))
    # dated by its latest line, the second invoice (1 May 2024), in French
    assert has(text, format_day(dt.date(2024, 5, 1), "fr"))
    assert "WSIS-2024-0002" not in text  # KUW's invoice is not ACME's


def test_statement_pdf_in_arabic_shows_kwd_with_three_decimals(
    books: Tracker, ids: dict[str, int], pdf_text: PdfText
) -> None:
    text = pdf_text(books.statement_file(ids["KUW"], "WSIS2024"))
    pledged = money(Decimal("12345.678"), "KWD")
    assert has(text, _("ar", "Statement of account"))
    assert has(text, _("ar", "Balance owed"))
    assert appears(text, format_amount(pledged, "ar"), "ar")
    assert "12,345.678" in text
    assert has(text, "WSIS-2024-0002")


def test_statement_csv_lists_every_line_with_its_running_balance(
    books: Tracker, ids: dict[str, int]
) -> None:
    data = books.statement_file(ids["ACME"], "WSIS2024", format="csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [(r["date"], r["type"], r["reference"]) for r in rows] == [
        ("2024-01-15", "pledge", rows[0]["reference"]),
        ("2024-02-01", "invoice", "WSIS-2024-0001"),
        ("2024-03-05", "payment", "UBS-0305-7"),
        ("2024-05-01", "invoice", "WSIS-2024-0003"),
    ]
    running = Decimal(0)
    for row in rows:
        running += Decimal(row["movement"])
        assert Decimal(row["balance"]) == running
        assert row["currency"] == row["balance_currency"] == "CHF"
    assert running == PLEDGED - PAID
    assert [Decimal(r["document_amount"]) for r in rows if r["document_amount"]] == [
        INSTALMENT,
        INSTALMENT,
    ]
    assert rows[2]["invoices_paid"] == "WSIS-2024-0001"


def _sheet(data: bytes, title_start: str) -> Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        if sheet.title.startswith(title_start):
            assert isinstance(sheet, Worksheet)
            return sheet
    raise AssertionError(f"no sheet {title_start!r} in {book.sheetnames}")


def test_statement_xlsx_holds_numbers_and_dates_with_currency_formats(
    books: Tracker, ids: dict[str, int]
) -> None:
    data = books.statement_file(ids["KUW"], "WSIS2024", format="xlsx")
    summary = _sheet(data, "Summary")
    header = [c.value for c in summary[1]]
    owed = summary.cell(row=2, column=header.index("Balance owed") + 1)
    assert summary.cell(row=2, column=1).value == "KWD"
    assert isinstance(owed.value, float)
    assert Decimal(str(owed.value)) == Decimal("12345.678")
    assert owed.number_format == '#,##0.000 "KWD"'
    lines = _sheet(data, "KWD")
    first = [c.value for c in lines[2]]
    assert first[0] == dt.datetime(2024, 1, 15)
    assert lines.cell(row=2, column=1).number_format == "yyyy-mm-dd"


def test_the_same_books_give_the_same_statement_bytes(books: Tracker, ids: dict[str, int]) -> None:
    for fmt in ("pdf", "csv", "xlsx", "json"):
        first = books.statement_file(ids["ACME"], "WSIS2024", format=fmt)
        assert books.statement_file(ids["ACME"], "WSIS2024", format=fmt) == first, fmt


def test_a_statement_date_before_its_latest_line_is_refused(
    books: Tracker, ids: dict[str, int]
) -> None:
    with pytest.raises(DatesOutOfOrder, match=r"2024-04-30.*2024-05-01"):
        books.statement_file(ids["ACME"], "WSIS2024", dated=dt.date(2024, 4, 30))


def test_a_later_statement_date_is_printed(
    books: Tracker, ids: dict[str, int], pdf_text: PdfText
) -> None:
    day = dt.date(2024, 7, 1)
    text = pdf_text(books.statement_file(ids["ACME"], "WSIS2024", dated=day))
    assert has(text, format_day(day, "fr"))


def test_statement_in_a_format_it_is_not_written_in_is_refused(
    books: Tracker, ids: dict[str, int]
) -> None:
    with pytest.raises(UnsupportedFormat, match=r"statement.*'html'.*pdf, csv, xlsx, json"):
        books.statement_file(ids["ACME"], format="html")


def test_statement_pdf_without_issuer_settings_is_refused(db_url: str) -> None:
    with open_tracker(db_url) as t:
        t.add_edition(make_edition())
        partner = t.add_partner(make_partner())
        assert partner.id is not None
        with pytest.raises(IssuerNotConfigured):
            t.statement_file(partner.id, "WSIS2024")
        # the data formats need no issuer, and an empty statement has only its header
        header = t.statement_file(partner.id, format="csv").decode().splitlines()
        assert header[0].startswith("currency,date,type,reference")
        assert len(header) == 1
