"""Receivables ageing and edition revenue as XLSX and CSV, read back (both engines).

Ageing on 1 July 2024 of the season (see season.py), worked out by hand: ACME's second
instalment (CHF 80,000) ages from invoice 3's due date 31 May (31 days: 31-60); GLOBEX's
second (USD 175,000) is due 1 September (not due); KUW's KWD 12,345.678 from invoice 2's
15 May (47 days: 31-60); NIPPON's JPY 5,000,000 less 2,000,000 paid from 20 June (11 days:
0-30); HACK's CHF 40,000 from 15 April (77 days: 61-90); SMALL's EUR 10,000 from 1 August
(not due); and SMALL's CHF 5,000 to WSIS2023 from 1 February (151 days: over 90).
Revenue: gross is each currency's pledges; PSC is 7 % of what was received, in the pledge
currency, valued in CHF at the payment date's rate.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from wsis_funding.services import Tracker

AS_OF = dt.date(2024, 7, 1)
PSC = Decimal("0.07")
# (partner, currency) -> (bucket, owed, ages from, invoice), in report order
OPEN = {
    ("ACME", "CHF"): ("days_31_60", Decimal("80000.00"), dt.date(2024, 5, 31), "WSIS-2024-0003"),
    ("GLOBEX", "USD"): ("not_due", Decimal("175000.00"), dt.date(2024, 9, 1), None),
    ("HACK", "CHF"): ("days_61_90", Decimal("40000.00"), dt.date(2024, 4, 15), None),
    ("KUW", "KWD"): ("days_31_60", Decimal("12345.678"), dt.date(2024, 5, 15), "WSIS-2024-0002"),
    ("NIPPON", "JPY"): ("days_0_30", Decimal(5_000_000 - 2_000_000), dt.date(2024, 6, 20), None),
    ("SMALL", "CHF"): ("over_90", Decimal("5000.00"), dt.date(2024, 2, 1), None),
    ("SMALL", "EUR"): ("not_due", Decimal("10000.00"), dt.date(2024, 8, 1), None),
}
BUCKETS = ["not_due", "days_0_30", "days_31_60", "days_61_90", "over_90"]
FORMATS = {
    "CHF": '#,##0.00 "CHF"',
    "USD": '#,##0.00 "USD"',
    "EUR": '#,##0.00 "EUR"',
    "JPY": '#,##0 "JPY"',
    "KWD": '#,##0.000 "KWD"',
}


def sheets(data: bytes) -> list[Worksheet]:
    out: list[Worksheet] = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        assert isinstance(sheet, Worksheet)
        out.append(sheet)
    return out


def records(sheet: Worksheet) -> list[dict[str, object]]:
    """The rows under the header, up to the blank row before the notes."""
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(v) for v in rows[0]]
    out: list[dict[str, object]] = []
    for row in rows[1:]:
        if not any(v is not None for v in row):
            break
        out.append(dict(zip(header, row, strict=True)))
    return out


def exact(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    assert not isinstance(value, bool)
    return Decimal(str(value))


def test_ageing_csv_puts_each_partner_in_its_bucket(books: Tracker) -> None:
    data = books.ageing_file(AS_OF, format="csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [(r["partner"], r["currency"]) for r in rows] == list(OPEN)
    for row in rows:
        cur = row["currency"]
        bucket, owed, _, _ = OPEN[(row["partner"], cur)]
        for b in BUCKETS:
            assert Decimal(row[b]) == (owed if b == bucket else 0), (row["partner"], b)
            assert row[f"{b}_currency"] == cur
        assert Decimal(row["total"]) == owed
    # JPY has no decimals, KWD three (ISO 4217), whatever the locale data says
    assert next(r for r in rows if r["partner"] == "NIPPON")["total"] == "3000000"
    assert next(r for r in rows if r["partner"] == "KUW")["total"] == "12345.678"


def test_ageing_xlsx_has_numbers_in_currency_formats_and_real_dates(books: Tracker) -> None:
    by_partner, by_currency, lines = sheets(books.ageing_file(AS_OF, format="xlsx"))
    partner_rows = records(by_partner)
    for row in partner_rows[: len(OPEN)]:
        _, owed, _, _ = OPEN[(str(row["Partner"]), str(row["Currency"]))]
        assert exact(row["Total"]) == owed
    for r in range(2, 2 + len(OPEN)):
        cur = by_partner.cell(row=r, column=3).value
        assert isinstance(cur, str)
        for c in range(4, 10):
            cell = by_partner.cell(row=r, column=c)
            assert isinstance(cell.value, int | float), cell.value
            assert cell.number_format == FORMATS[cur]
    # totals per currency: CHF adds ACME, HACK and SMALL's CHF, nothing of another currency
    totals = {
        str(r["Partner"]): exact(r["Total"])
        for r in partner_rows
        if str(r["Partner"]).startswith("Total ")
    }
    assert set(totals) == {f"Total {cur}" for _, cur in OPEN}
    assert totals["Total CHF"] == Decimal("80000.00") + Decimal("40000.00") + Decimal("5000.00")
    assert totals["Total JPY"] == Decimal(3_000_000)
    currency_rows = {str(r["Currency"]): r for r in records(by_currency)}
    assert exact(currency_rows["CHF"]["31-60 days"]) == Decimal("80000.00")
    assert exact(currency_rows["CHF"]["61-90 days"]) == Decimal("40000.00")
    line_rows = records(lines)
    assert [r["Partner"] for r in line_rows] == [partner for partner, _ in OPEN]
    for row, (_, owed, ages_from, invoice) in zip(line_rows, OPEN.values(), strict=True):
        assert row["Ages from"] == dt.datetime.combine(ages_from, dt.time())
        assert row["Days past due"] == (AS_OF - ages_from).days
        assert row["Invoice"] == invoice
        assert exact(row["Owed"]) == owed
    assert lines.cell(row=2, column=4).number_format == "yyyy-mm-dd"


def test_ageing_of_one_edition_leaves_the_other_editions_out(books: Tracker) -> None:
    every = json.loads(books.ageing_file(AS_OF, format="json"))
    one = json.loads(books.ageing_file(AS_OF, edition="WSIS2024", format="json"))
    older = json.loads(books.ageing_file(AS_OF, edition="WSIS2023", format="json"))
    keys = [(r["partner"], r["currency"]) for r in every["rows"]]
    assert keys == list(OPEN)
    assert [r for r in every["rows"] if (r["partner"], r["currency"]) != ("SMALL", "CHF")] == one[
        "rows"
    ]
    assert [(r["partner"], r["currency"], r["over_90"]) for r in older["rows"]] == [
        ("SMALL", "CHF", {"amount": "5000.00", "currency": "CHF"})
    ]
    assert "WSIS2024" in one["notes"][0]
    assert "all editions" in every["notes"][0]


def test_revenue_csv_gives_gross_psc_and_net_per_currency_and_in_base(books: Tracker) -> None:
    data = books.revenue_file("WSIS2024", format="csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    received = {
        "CHF": Decimal("80000.00"),
        "USD": Decimal("175000.00"),
        "JPY": Decimal(2_000_000),
    }
    gross = {
        "CHF": Decimal("160000.00") + Decimal("40000.00"),
        "EUR": Decimal("10000.00"),
        "JPY": Decimal(5_000_000),
        "KWD": Decimal("12345.678"),
        "USD": Decimal("350000.00"),
    }
    original = [r for r in rows if r["basis"] == "original"]
    assert [r["currency"] for r in original] == sorted(gross)
    for row in original:
        cur = row["currency"]
        psc = received.get(cur, Decimal(0)) * PSC
        assert Decimal(row["gross"]) == gross[cur]
        assert Decimal(row["psc"]) == psc
        assert Decimal(row["net"]) == gross[cur] - psc
    base = next(r for r in rows if r["basis"] == "base")
    base_gross = (
        Decimal("160000.00")
        + Decimal("350000") * Decimal("0.90")
        + (Decimal("12345.678") * Decimal("2.90")).quantize(Decimal("0.01"))
        + Decimal("5000000") * Decimal("0.0060")
        + Decimal("40000.00")
        + Decimal("10000") * Decimal("0.95")
    )
    base_psc = (
        Decimal("80000") * PSC
        + Decimal("175000") * PSC * Decimal("0.95")
        + Decimal("2000000") * PSC * Decimal("0.0058")
    )
    assert (base["currency"], base["gross_currency"]) == ("CHF", "CHF")
    assert Decimal(base["gross"]) == base_gross
    assert Decimal(base["psc"]) == base_psc
    assert Decimal(base["net"]) == base_gross - base_psc


def test_revenue_xlsx_shows_jpy_without_decimals_and_kwd_with_three(books: Tracker) -> None:
    (sheet,) = sheets(books.revenue_file("WSIS2024"))
    by_currency = {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(2, 7)
        if sheet.cell(row=r, column=2).value == "original"
    }
    for cur, r in by_currency.items():
        for c in (3, 4, 5):
            assert sheet.cell(row=r, column=c).number_format == FORMATS[cur]
    jpy = sheet.cell(row=by_currency["JPY"], column=5)
    assert jpy.value == 4_860_000
    note = [
        str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0] and "PSC" in str(row[0])
    ]
    assert len(note) == 1
    assert "7 %" in note[0]


def test_the_same_books_give_the_same_ageing_and_revenue_bytes(books: Tracker) -> None:
    for fmt in ("xlsx", "csv", "json"):
        assert books.ageing_file(AS_OF, format=fmt) == books.ageing_file(AS_OF, format=fmt)
        assert books.revenue_file("WSIS2024", format=fmt) == books.revenue_file(
            "WSIS2024", format=fmt
        )
