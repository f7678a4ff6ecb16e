"""The typed table: what each column kind accepts, what it refuses, and the totals rows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from moneyed import Money

from wsis_funding.errors import WsisFundingError
from wsis_funding.money import money
from wsis_funding.reports import Column, InvalidCellType, InvalidTable, Kind, Table, totals_rows
from wsis_funding.reports.table import exact_amount

ALL_KINDS = (
    Column("name", "Name", "text"),
    Column("count", "Count", "integer"),
    Column("rate", "Rate", "decimal"),
    Column("day", "Day", "date"),
    Column("amount", "Amount", "money"),
    Column("share", "Share", "percent"),
)
GOOD_ROW = ("ITU", 3, Decimal("1.25"), dt.date(2025, 7, 1), money("1500.50", "CHF"), Decimal("0.1"))


def test_a_table_accepts_one_cell_of_each_kind_and_empty_cells() -> None:
    table = Table(title="All kinds", columns=ALL_KINDS, rows=[GOOD_ROW, (None,) * 6])
    assert table.rows == (GOOD_ROW, (None,) * 6)
    assert [c.kind for c in table.columns] == list(Kind)


def test_column_kind_may_be_given_as_its_name() -> None:
    assert Column("amount", "Amount", "money").kind is Kind.MONEY


@pytest.mark.parametrize("position", range(6))
def test_a_float_in_any_column_is_refused_naming_the_column_and_row(position: int) -> None:
    bad: list[Any] = list(GOOD_ROW)
    bad[position] = 1.5
    with pytest.raises(TypeError) as info:
        Table(title="t", columns=ALL_KINDS, rows=[GOOD_ROW, tuple(bad)])
    key = ALL_KINDS[position].key
    assert isinstance(info.value, InvalidCellType)
    assert isinstance(info.value, WsisFundingError)
    assert (info.value.column, info.value.row) == (key, 2)
    assert f"column {key!r} row 2" in str(info.value)
    assert "float" in str(info.value)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("text", 5),
        ("integer", True),
        ("integer", Decimal("1")),
        ("decimal", 1),
        ("date", dt.datetime(2025, 7, 1, 12, 0)),
        ("date", "2025-07-01"),
        ("money", Decimal("10.00")),
        ("percent", "10%"),
    ],
)
def test_a_cell_of_the_wrong_type_for_its_kind_is_refused(kind: str, value: Any) -> None:
    with pytest.raises(InvalidCellType, match=r"column 'c' row 1"):
        Table(title="t", columns=[Column("c", "C", kind)], rows=[(value,)])


def test_a_row_of_the_wrong_length_is_refused_with_its_number() -> None:
    with pytest.raises(InvalidTable, match=r"row 2.*2 cells for 6 columns") as info:
        Table(title="t", columns=ALL_KINDS, rows=[GOOD_ROW, ("x", 1)])
    assert info.value.row == 2


def test_a_non_finite_decimal_is_refused() -> None:
    with pytest.raises(InvalidTable, match="not a finite number"):
        Table(title="t", columns=[Column("r", "R", "decimal")], rows=[(Decimal("NaN"),)])


def test_money_finer_than_its_currency_minor_unit_is_refused() -> None:
    raw = Money(Decimal("1.005"), "CHF")  # built around money(), which would refuse it
    with pytest.raises(InvalidTable, match=r"column 'amount'.*row 1"):
        Table(title="t", columns=[Column("amount", "A", "money")], rows=[(raw,)])


@pytest.mark.parametrize("key", ["", "Amount", "1st", "with space", "a-b"])
def test_a_column_key_that_is_not_a_plain_identifier_is_refused(key: str) -> None:
    with pytest.raises(InvalidTable, match="must match"):
        Column(key, "Title", "text")


def test_a_key_that_clashes_with_a_money_currency_column_is_refused() -> None:
    columns = [Column("amount", "A", "money"), Column("amount_currency", "Code", "text")]
    with pytest.raises(InvalidTable, match="duplicate column key 'amount_currency'"):
        Table(title="t", columns=columns, rows=[])


def test_exact_amount_has_the_iso_decimals_of_the_currency() -> None:
    assert str(exact_amount(money(1500, "JPY"))) == "1500"
    assert str(exact_amount(money("1500.5", "CHF"))) == "1500.50"
    assert str(exact_amount(money("1.5", "KWD"))) == "1.500"


def test_no_totals_label_means_no_totals_rows() -> None:
    assert totals_rows(Table(title="t", columns=ALL_KINDS, rows=[GOOD_ROW])) == ()


def test_one_currency_gives_one_totals_row_with_every_summed_column() -> None:
    rows = [
        ("A", 2, Decimal("1.25"), None, money("100.10", "CHF"), Decimal("0.5")),
        ("B", 5, Decimal("2"), None, money("0.95", "CHF"), Decimal("0.5")),
        ("C", None, None, None, None, None),
    ]
    table = Table(title="t", columns=ALL_KINDS, rows=rows, totals_label="Total")
    expected_money = Money(Decimal("100.10") + Decimal("0.95"), "CHF")
    assert totals_rows(table) == (("Total", 2 + 5, Decimal("3.25"), None, expected_money, None),)


def test_several_currencies_are_totalled_apart_and_never_added() -> None:
    rows = [
        ("A", 1, None, None, money("100.10", "CHF"), None),
        ("B", 1, None, None, money(5000, "JPY"), None),
        ("C", 1, None, None, money("0.95", "CHF"), None),
    ]
    table = Table(title="t", columns=ALL_KINDS, rows=rows, totals_label="Sum")
    totals = totals_rows(table)
    assert totals == (
        ("Sum", 3, None, None, None, None),
        ("Sum CHF", None, None, None, money("101.05", "CHF"), None),
        ("Sum JPY", None, None, None, money(5000, "JPY"), None),
    )


def test_a_zero_amount_still_makes_its_currency_totals_row() -> None:
    table = Table(
        title="t",
        columns=[Column("amount", "A", "money")],
        rows=[(money(0, "CHF"),), (money(7, "JPY"),)],
        totals_label="Total",
    )
    assert totals_rows(table) == ((money(0, "CHF"),), (money(7, "JPY"),))


def test_importing_reports_loads_no_xlsxwriter_lxml_or_weasyprint() -> None:
    heavy = {"xlsxwriter", "lxml", "weasyprint", "openpyxl"}
    code = (
        "import sys, wsis_funding.reports\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
