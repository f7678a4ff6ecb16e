"""Streaming writers: the same CSV as a table gives, XLSX in constant memory, read back."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from wsis_funding.money import money
from wsis_funding.reports import Column, InvalidCellType, InvalidTable, Table, write_csv
from wsis_funding.reports import stream as streaming
from wsis_funding.reports.stream import write_csv_rows, write_xlsx_rows
from wsis_funding.reports.table import Row

COLUMNS = (
    Column("entry", "Entry", "integer"),
    Column("day", "Date", "date"),
    Column("amount", "Amount", "money"),
    Column("rate", "Rate", "decimal"),
    Column("memo", "Memo", "text"),
)


def rows(n: int) -> Iterator[Row]:
    """N rows in JPY, KWD and CHF in turn; generated, never held in a list."""
    codes = ("JPY", "KWD", "CHF")
    for i in range(1, n + 1):
        code = codes[i % 3]
        amount = {"JPY": Decimal(i * 100), "KWD": Decimal(i) / 1000, "CHF": Decimal(i) / 100}
        yield (i, dt.date(2024, 1, 1) + dt.timedelta(days=i % 300), money(amount[code], code),
               Decimal("0.0058") if code == "JPY" else None, f"=line {i}")  # fmt: skip


def test_streamed_csv_is_the_csv_of_the_same_table() -> None:
    streamed = io.StringIO(newline="")
    assert write_csv_rows(COLUMNS, rows(30), streamed) == 30
    whole = io.StringIO(newline="")
    write_csv(Table(title="t", columns=COLUMNS, rows=list(rows(30))), whole)
    assert streamed.getvalue() == whole.getvalue()


def test_a_bad_row_is_refused_where_it_is() -> None:
    def bad() -> Iterator[tuple[object, ...]]:
        yield from rows(2)
        yield (3, dt.date(2024, 1, 1), money("1", "CHF"), 1.5, "x")  # a float: never exact

    with pytest.raises(InvalidCellType, match=r"column 'rate' row 3.*float"):
        write_csv_rows(COLUMNS, bad(), io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(InvalidTable, match="row 1"):
        write_xlsx_rows("t", COLUMNS, iter([(1, None, None)]), io.BytesIO())


def read(data: bytes) -> list[Worksheet]:
    out: list[Worksheet] = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        assert isinstance(sheet, Worksheet)
        out.append(sheet)
    return out


def test_streamed_xlsx_holds_numbers_dates_and_iso_currency_formats() -> None:
    target = io.BytesIO()
    assert write_xlsx_rows("Journal", COLUMNS, rows(6), target) == 6
    (sheet,) = read(target.getvalue())
    assert [c.value for c in sheet[1]] == ["Entry", "Date", "Amount", "Rate", "Memo"]
    formats = {"JPY": '#,##0 "JPY"', "KWD": '#,##0.000 "KWD"', "CHF": '#,##0.00 "CHF"'}
    for r, row in enumerate(rows(6), start=2):
        amount = row[2]
        assert amount is not None
        assert not isinstance(amount, str | int | Decimal | dt.date)
        code = amount.currency.code
        cell = sheet.cell(row=r, column=3)
        assert Decimal(str(cell.value)) == amount.amount
        assert cell.number_format == formats[code]
        assert sheet.cell(row=r, column=2).value == dt.datetime.combine(row[1], dt.time())  # type: ignore[arg-type]
        assert sheet.cell(row=r, column=5).value == row[4]  # text stays text, not a formula
    assert sheet.cell(row=4, column=4).number_format == "#,##0.0000"  # entry 3, in JPY
    assert Decimal(str(sheet.cell(row=4, column=4).value)) == Decimal("0.0058")
    assert sheet.auto_filter.ref == "A1:E7"
    assert sheet.freeze_panes == "A2"


def test_streamed_xlsx_goes_on_in_a_new_sheet_when_one_is_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(streaming, "SHEET_ROWS", 4)
    target = io.BytesIO()
    assert write_xlsx_rows("Journal", COLUMNS, rows(10), target) == 10
    sheets = read(target.getvalue())
    assert [s.title for s in sheets] == ["Journal", "Journal (2)", "Journal (3)"]
    assert [s.max_row for s in sheets] == [5, 5, 3]
    entries = [s.cell(row=r, column=1).value for s in sheets for r in range(2, s.max_row + 1)]
    assert entries == list(range(1, 11))


def test_streamed_files_are_the_same_bytes_twice_and_report_progress() -> None:
    seen: list[int] = []
    first, second = io.BytesIO(), io.BytesIO()
    write_xlsx_rows("J", COLUMNS, rows(25_000), first, progress=seen.append)
    write_xlsx_rows("J", COLUMNS, rows(25_000), second)
    assert first.getvalue() == second.getvalue()
    assert seen == [10_000, 20_000, 25_000]
    csv_seen: list[int] = []
    write_csv_rows(COLUMNS, rows(3), io.StringIO(), progress=csv_seen.append)
    assert csv_seen == [3]
