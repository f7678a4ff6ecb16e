"""XLSX writer, read back with openpyxl: real numbers and dates, currency formats, same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from wsis_funding.money import money
from wsis_funding.reports import Column, InvalidTable, Table, write_xlsx
from wsis_funding.reports.xlsx import safe_sheet_names

COLUMNS = (
    Column("partner", "Partner", "text"),
    Column("pledged", "Pledged on", "date"),
    Column("amount", "Amount", "money"),
    Column("share", "Share", "percent"),
    Column("lines", "Lines", "integer"),
    Column("rate", "Rate", "decimal"),
)
ROWS = (
    ("Acme", dt.date(2025, 3, 1), money("1234567.5", "CHF"), Decimal("0.125"), 2, Decimal("1.5")),
    ("=1+1", dt.date(2025, 4, 30), money(150000, "JPY"), Decimal("0.5"), 1, Decimal("0.9712")),
    ("Kuwait", None, money("12.3", "KWD"), None, None, None),
)


def pledges(totals: str | None = None, title: str = "Pledges 2025") -> Table:
    return Table(title=title, columns=COLUMNS, rows=ROWS, notes=("Draft", "Unaudited"),
                 totals_label=totals)  # fmt: skip


def xlsx_bytes(*tables: Table, **kwargs: dt.datetime) -> bytes:
    stream = io.BytesIO()
    write_xlsx(tables, stream, **kwargs)
    return stream.getvalue()


def read_sheet(data: bytes, index: int = 0) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[index]
    assert isinstance(sheet, Worksheet)
    return sheet


def exact(value: object) -> Decimal:
    """The number openpyxl read, as a Decimal through its shortest repr."""
    assert isinstance(value, int | float)
    assert not isinstance(value, bool)
    return Decimal(str(value))


def test_money_cells_are_numbers_with_their_currency_decimals_and_code() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    cells = [sheet.cell(row=r, column=3) for r in (2, 3, 4)]
    assert [exact(c.value) for c in cells] == [
        Decimal("1234567.50"),
        Decimal("150000"),
        Decimal("12.300"),
    ]
    assert [c.number_format for c in cells] == [
        '#,##0.00 "CHF"',
        '#,##0 "JPY"',
        '#,##0.000 "KWD"',
    ]
    assert all(c.data_type == "n" for c in cells)


def test_integers_decimals_and_percentages_are_numbers_with_fitting_formats() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    assert [sheet.cell(row=r, column=5).value for r in (2, 3)] == [2, 1]
    assert sheet.cell(row=2, column=5).number_format == "#,##0"
    assert [exact(sheet.cell(row=r, column=6).value) for r in (2, 3)] == [
        Decimal("1.5"),
        Decimal("0.9712"),
    ]
    # The most precise decimal cell has 4 decimals, so the whole column shows 4.
    assert sheet.cell(row=2, column=6).number_format == "#,##0.0000"
    # A fraction with 3 decimals (0.125) is a percentage with 1 (12.5 %).
    assert exact(sheet.cell(row=2, column=4).value) == Decimal("0.125")
    assert sheet.cell(row=2, column=4).number_format == "0.0%"


def test_dates_are_dates_with_an_iso_date_format() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    cell = sheet.cell(row=2, column=2)
    assert isinstance(cell.value, dt.datetime)
    assert cell.value.date() == dt.date(2025, 3, 1)
    assert cell.is_date
    assert cell.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=4, column=2).value is None


def test_text_that_looks_like_a_formula_stays_text() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    cell = sheet.cell(row=3, column=1)
    assert cell.value == "=1+1"
    assert cell.data_type == "s"


def test_header_is_the_bold_titles_in_a_frozen_first_row() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    header = [sheet.cell(row=1, column=c) for c in range(1, len(COLUMNS) + 1)]
    assert [c.value for c in header] == [column.title for column in COLUMNS]
    assert all(c.font.b for c in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"


def test_columns_are_wide_enough_for_their_longest_formatted_value() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    shown = "1,234,567.50 CHF"
    width = sheet.column_dimensions["C"].width
    assert len(shown) <= width <= 60


def test_totals_rows_are_bold_values_not_formulas_one_per_currency() -> None:
    sheet = read_sheet(xlsx_bytes(pledges("Total")))
    rows = list(sheet.iter_rows(min_row=5, max_row=8))
    assert [r[0].value for r in rows] == ["Total", "Total CHF", "Total JPY", "Total KWD"]
    assert rows[0][4].value == 2 + 1
    assert exact(rows[0][5].value) == Decimal("1.5") + Decimal("0.9712")
    assert [exact(r[2].value) for r in rows[1:]] == [
        Decimal("1234567.50"),
        Decimal("150000"),
        Decimal("12.300"),
    ]
    assert [r[2].number_format for r in rows[1:]] == [
        '#,##0.00 "CHF"',
        '#,##0 "JPY"',
        '#,##0.000 "KWD"',
    ]
    figures = [c for r in rows for c in r[1:] if c.value is not None]
    assert len(figures) == 2 + 3
    assert all(c.data_type == "n" and c.font.b for c in figures)
    assert all(r[0].font.b for r in rows)


def test_notes_follow_the_table_after_a_blank_row() -> None:
    sheet = read_sheet(xlsx_bytes(pledges()))
    assert [sheet.cell(row=r, column=1).value for r in (5, 6, 7)] == [None, "Draft", "Unaudited"]


def test_each_table_gets_its_own_sheet_with_a_safe_unique_name() -> None:
    data = xlsx_bytes(pledges(title="Q1/Q2: [draft]"), pledges(title="q1/q2: [DRAFT]"))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Q1_Q2_ _draft_", "q1_q2_ _DRAFT_ (2)"]


def test_two_writes_of_the_same_tables_are_byte_identical(tmp_path: Path) -> None:
    first = xlsx_bytes(pledges("Total"), pledges(title="Other"))
    second = xlsx_bytes(pledges("Total"), pledges(title="Other"))
    assert first == second
    path = tmp_path / "report.xlsx"
    assert write_xlsx([pledges("Total"), pledges(title="Other")], path) == [
        "Pledges 2025",
        "Other",
    ]
    assert path.read_bytes() == first


def test_zip_entries_and_document_dates_are_fixed() -> None:
    data = xlsx_bytes(pledges())
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z<' in core
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_a_passed_creation_date_is_written_in_utc() -> None:
    geneva = dt.timezone(dt.timedelta(hours=2))
    data = xlsx_bytes(pledges(), created=dt.datetime(2025, 7, 8, 10, 30, tzinfo=geneva))
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert "2025-07-08T08:30:00Z</dcterms:created>" in core


def test_a_number_beyond_fifteen_digits_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    table = Table(
        title="t",
        columns=[Column("amount", "Amount", "money")],
        rows=[(money("12345678901234.56", "CHF"),)],  # 16 significant digits
    )
    path = tmp_path / "never.xlsx"
    with pytest.raises(InvalidTable, match=r"column 'amount' row 1.*15 significant digits"):
        write_xlsx([table], path)
    assert not path.exists()


def test_no_tables_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one table"):
        write_xlsx([], io.BytesIO())


@pytest.mark.parametrize(
    ("titles", "names"),
    [
        (["a[b]c:d*e?f/g\\h"], ["a_b_c_d_e_f_g_h"]),
        (["x" * 40], ["x" * 31]),
        (["", "  "], ["Sheet", "Sheet (2)"]),
        (["'quoted'"], ["quoted"]),
        (["History"], ["History (2)"]),
        (["Report", "REPORT", "report"], ["Report", "REPORT (2)", "report (3)"]),
        (["y" * 31, "y" * 31], ["y" * 31, "y" * 27 + " (2)"]),
        (["line\nbreak\ttab"], ["line break tab"]),
        (["😀" * 20], ["😀" * 15]),  # an emoji is two UTF-16 units: 15 of them make 30
    ],
)
def test_sheet_names_are_made_valid_and_unique(titles: list[str], names: list[str]) -> None:
    assert safe_sheet_names(titles) == names
