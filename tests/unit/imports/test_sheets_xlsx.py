"""XLSX specifics: number cells arrive as floats, dates as datetimes, sheets are picked by name."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from moneyed import Money
from openpyxl import Workbook

from tests.unit.imports import GOLD, GOLD_INSTALMENTS, PLEDGE_HEADER, table, write_csv, write_xlsx
from wsis_funding.imports.sheets import PLEDGES, read_partners, read_pledges, read_rates
from wsis_funding.money import currency

HEADER = ["ref", "partner", "edition", "amount", "currency", "signed_on", "tier"]
MARCH = dt.date(2024, 3, 1)


def pledge(ref: str, amount: object, code: str = "CHF", signed: object = MARCH) -> list[object]:
    return [ref, "ITU", "WSIS2024", amount, code, signed, "gold"]


def pledges_file(tmp_path: Path, *rows: list[object]) -> Path:
    return write_xlsx(tmp_path / "pledges.xlsx", {"pledges": [HEADER, *rows]})


def test_float_cells_are_read_through_their_shortest_repr(tmp_path: Path) -> None:
    path = pledges_file(
        tmp_path,
        pledge("a", 1234.5),
        pledge("b", 12.345, "KWD"),
        pledge("c", 1234.0, "JPY"),
        pledge("d", 250000, "JPY"),
        pledge("e", 0.1, "EUR"),
        pledge("f", 99999999999.99),
    )
    result = read_pledges(path)
    assert result.problems == ()
    expected = [
        ("1234.50", "CHF"),
        ("12.345", "KWD"),
        ("1234", "JPY"),
        ("250000", "JPY"),
        ("0.10", "EUR"),
        ("99999999999.99", "CHF"),
    ]
    assert [r.amount for r in result.records] == [
        Money(Decimal(a), currency(c)) for a, c in expected
    ]
    assert str(result.records[0].amount.amount) == "1234.50"


def store_exact_numbers(path: Path, numbers: dict[str, str]) -> None:
    """Put number texts into the sheet XML as Excel stores them (17 digits when needed).

    openpyxl writes a float with 15 significant digits (0.1 + 0.2 as 0.3); Excel writes the
    shortest text that gives back the double, 0.30000000000000004.
    """
    original = path.read_bytes()
    path.unlink()
    source_path = path.with_suffix(".orig.xlsx")
    source_path.write_bytes(original)
    with zipfile.ZipFile(source_path) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            for placeholder, text in numbers.items():
                data = data.replace(f"<v>{placeholder}</v>".encode(), f"<v>{text}</v>".encode())
            target.writestr(item, data)


def test_floats_with_more_decimals_than_the_currency_are_refused_with_the_stored_digits(
    tmp_path: Path,
) -> None:
    path = pledges_file(
        tmp_path,
        pledge("a", 777.777),
        pledge("b", 12.345),
        pledge("c", 1234.5, "JPY"),
        pledge("d", 1.0005, "KWD"),
        pledge("e", 888.888),
    )
    store_exact_numbers(path, {"777.777": repr(0.1 + 0.2), "888.888": repr(1.1 * 3)})
    result = read_pledges(path)
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (2, "amount", "0.30000000000000004"),
        (3, "amount", "12.345"),
        (4, "amount", "1234.5"),
        (5, "amount", "1.0005"),
        (6, "amount", "3.3000000000000003"),
    ]
    assert "CHF has 2 decimal(s); 0.30000000000000004 has more" in result.problems[0].message
    assert "round it in the spreadsheet" in result.problems[0].message
    assert "KWD has 3 decimal(s)" in result.problems[3].message


def test_booleans_errors_and_dates_are_not_amounts(tmp_path: Path) -> None:
    path = pledges_file(
        tmp_path, pledge("a", True), pledge("b", "#DIV/0!"), pledge("c", dt.date(2024, 1, 1))
    )
    result = read_pledges(path)
    assert [(p.row, p.value, p.message) for p in result.problems] == [
        (2, "TRUE", "a TRUE/FALSE cell, not a number"),
        (3, "#DIV/0!", "not a number: write digits with a point for decimals, such as 1234.50"),
        (4, "2024-01-01 00:00:00", "a date, not a number"),
    ]


def test_date_cells_must_be_whole_days_and_numbers_are_not_dates(tmp_path: Path) -> None:
    path = pledges_file(
        tmp_path,
        pledge("a", 10, signed=dt.datetime(2024, 3, 1)),
        pledge("b", 10, signed=dt.datetime(2024, 3, 1, 9, 30)),
        pledge("c", 10, signed=45352),
        pledge("d", 10, signed="2024-03-01"),
    )
    result = read_pledges(path)
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (3, "signed_on", "2024-03-01 09:30:00"),
        (4, "signed_on", "45352"),
    ]
    assert "give the date only" in result.problems[0].message
    assert "a number, not a date" in result.problems[1].message


def test_a_formula_cell_gives_the_value_the_spreadsheet_computed(tmp_path: Path) -> None:
    path = tmp_path / "pledges.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("pledges")
    for col, name in enumerate(HEADER):
        sheet.write_string(0, col, name)
    for col, value in enumerate(pledge("a", 0, signed="2024-03-01")):
        sheet.write(1, col, value)
    sheet.write_formula(1, 3, "=1000+0.25", None, 1000.25)
    book.close()
    (record,) = read_pledges(path).or_raise()
    assert record.amount == Money(Decimal("1000.25"), currency("CHF"))


def test_whole_number_cells_in_text_columns_are_text(tmp_path: Path) -> None:
    rows = table("partners", {"legal_name": "Ville de Genève", "short_name": "GE"})
    rows[1][2:] = ["CH", "government", "fr", "Rue de l'Hôtel-de-Ville", 2, 1204, "Genève", "CH"]
    result = read_partners(write_xlsx(tmp_path / "partners.xlsx", {"partners": rows}))
    assert result.problems == ()
    (record,) = result.records
    assert (record.address.building_number, record.address.postcode) == ("2", "1204")


def test_blank_and_merely_formatted_trailing_rows_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "pledges.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "pledges"
    rows: list[list[object]] = [list(HEADER), pledge("a", 10), [None, "  ", None, " "]]
    for row in rows:
        sheet.append(row)
    sheet.cell(row=40, column=4).number_format = "0.00"
    book.save(path)
    (record,) = read_pledges(path).or_raise()
    assert record.row == 2


def test_a_workbook_whose_stored_used_range_is_wrong_is_read_in_full(tmp_path: Path) -> None:
    path = pledges_file(tmp_path, pledge("a", 10), pledge("b", 20), pledge("c", 30))
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
                assert count == 1
            target.writestr(item, data)
    assert [r.ref for r in read_pledges(broken).or_raise()] == ["a", "b", "c"]


def test_the_only_sheet_is_read_whatever_its_name_and_names_ignore_case(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [HEADER, pledge("a", 10)]})
    assert [r.ref for r in read_pledges(path).or_raise()] == ["a"]
    path = write_xlsx(
        tmp_path / "q.xlsx",
        {
            "About": [["notes"]],
            "Pledges": [HEADER, pledge("a", 10)],
            "INSTALMENTS": table("instalments", {"pledge_ref": "a", "due_on": "2024-04-01",
                                                 "amount": 10}),
        },
    )  # fmt: skip
    (record,) = read_pledges(path).or_raise()
    assert record.instalments[0].row == 2


def test_a_sheet_the_import_does_not_read_is_a_problem(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "pledges.xlsx", {"pledges": [HEADER, pledge("a", 10)], "Notes": [["x"]]}
    )
    (problem,) = read_pledges(path).problems
    assert (problem.file, problem.sheet, problem.row) == ("pledges.xlsx", "Notes", None)
    assert "reads only the sheets pledges, instalments (and about)" in problem.message


def test_a_workbook_without_the_kinds_sheet_says_which_sheets_it_has(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "rates.xlsx", {"Jan": [["x"]], "Feb": [["y"]]})
    (problem,) = read_rates(path).problems
    assert (problem.sheet, problem.row) == (None, None)
    assert problem.message == "no sheet named 'rates'; the workbook's sheets are Jan, Feb"


def test_instalments_given_both_on_a_sheet_and_in_a_file_is_a_problem(tmp_path: Path) -> None:
    instalments = table("instalments", *GOLD_INSTALMENTS)
    book = write_xlsx(
        tmp_path / "pledges.xlsx",
        {"pledges": table("pledges", GOLD), "instalments": instalments},
    )
    second = write_csv(tmp_path / "instalments.csv", instalments)
    (problem,) = read_pledges(book, second).problems
    assert problem.sheet == "instalments"
    assert "reads only the sheets pledges (and about)" in problem.message
    assert read_pledges(book).ok


def test_instalments_may_come_from_a_separate_workbook(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": table("pledges", GOLD)})
    second = write_xlsx(
        tmp_path / "due.xlsx", {"instalments": table("instalments", *GOLD_INSTALMENTS)}
    )
    (record,) = read_pledges(book, second).or_raise()
    assert [i.due_on for i in record.instalments] == [dt.date(2024, 4, 1), dt.date(2024, 6, 1)]


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_a_problem(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "pledges.xlsx"
    path.write_bytes(content)
    (problem,) = read_pledges(path).problems
    assert (problem.file, problem.sheet, problem.row) == ("pledges.xlsx", None, None)
    assert problem.message.startswith("not a readable XLSX workbook")


def test_the_pledge_header_of_the_samples_is_the_spec() -> None:
    """The sample files of these tests use exactly the documented pledge columns."""
    assert PLEDGES.names == PLEDGE_HEADER
