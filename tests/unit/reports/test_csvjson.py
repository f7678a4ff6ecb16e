"""CSV and JSON writers: exact text for a small table, exact amounts, never floats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from wsis_funding.money import money
from wsis_funding.reports import Column, Table, to_json, write_csv

COLUMNS = (
    Column("partner", "Partner", "text"),
    Column("pledged", "Pledged on", "date"),
    Column("amount", "Amount", "money"),
    Column("share", "Share", "percent"),
    Column("lines", "Lines", "integer"),
)
ROWS = (
    ('Acme, "Intl"', dt.date(2025, 3, 1), money("1500.5", "CHF"), Decimal("0.125"), 2),
    ("日本", dt.date(2025, 4, 30), money(150000, "JPY"), None, None),
    ("Kuwait", None, money("12.3", "KWD"), Decimal("1E+0"), 1),
    ("Nobody", None, None, None, 0),
)


def small_table(totals: str | None = None) -> Table:
    return Table(title="Pledges", columns=COLUMNS, rows=ROWS, notes=("Draft",), totals_label=totals)


def csv_text(table: Table) -> str:
    stream = io.StringIO(newline="")
    write_csv(table, stream)
    return stream.getvalue()


def test_csv_has_key_header_money_in_iso_decimals_with_a_currency_column_and_iso_dates() -> None:
    expected = (
        "partner,pledged,amount,amount_currency,share,lines\r\n"
        '"Acme, ""Intl""",2025-03-01,1500.50,CHF,0.125,2\r\n'
        "日本,2025-04-30,150000,JPY,,\r\n"
        "Kuwait,,12.300,KWD,1,1\r\n"
        "Nobody,,,,,0\r\n"
    )
    assert csv_text(small_table()) == expected


def test_csv_holds_data_rows_only_even_when_totals_are_asked() -> None:
    assert csv_text(small_table("Total")) == csv_text(small_table())


def test_csv_reads_back_into_the_same_exact_values() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(small_table()), newline="")))
    assert [Decimal(r["amount"]) for r in rows[:3]] == [
        Decimal("1500.50"),
        Decimal("150000"),
        Decimal("12.300"),
    ]
    assert [r["amount_currency"] for r in rows] == ["CHF", "JPY", "KWD", ""]


def test_json_is_the_documented_versioned_shape_with_decimal_strings() -> None:
    expected = {
        "format": 1,
        "title": "Pledges",
        "columns": [
            {"key": "partner", "title": "Partner", "kind": "text"},
            {"key": "pledged", "title": "Pledged on", "kind": "date"},
            {"key": "amount", "title": "Amount", "kind": "money"},
            {"key": "share", "title": "Share", "kind": "percent"},
            {"key": "lines", "title": "Lines", "kind": "integer"},
        ],
        "rows": [
            {
                "partner": 'Acme, "Intl"',
                "pledged": "2025-03-01",
                "amount": {"amount": "1500.50", "currency": "CHF"},
                "share": "0.125",
                "lines": 2,
            },
            {
                "partner": "日本",
                "pledged": "2025-04-30",
                "amount": {"amount": "150000", "currency": "JPY"},
                "share": None,
                "lines": None,
            },
            {
                "partner": "Kuwait",
                "pledged": None,
                "amount": {"amount": "12.300", "currency": "KWD"},
                "share": "1",
                "lines": 1,
            },
            {"partner": "Nobody", "pledged": None, "amount": None, "share": None, "lines": 0},
        ],
        "totals": [],
        "notes": ["Draft"],
    }
    text = to_json(small_table())
    assert json.loads(text) == expected
    assert text == json.dumps(expected, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_json_contains_no_float_anywhere() -> None:
    def no_float(value: object) -> None:
        assert not isinstance(value, float)
        if isinstance(value, dict):
            for item in value.values():
                no_float(item)
        if isinstance(value, list):
            for item in value:
                no_float(item)

    no_float(json.loads(to_json(small_table("Total")), parse_float=lambda s: float(s)))


def test_json_totals_are_per_currency_rows() -> None:
    totals = json.loads(to_json(small_table("Total")))["totals"]
    assert [t["partner"] for t in totals] == ["Total", "Total CHF", "Total JPY", "Total KWD"]
    assert totals[0]["lines"] == 2 + 1 + 0
    assert [t["amount"] for t in totals[1:]] == [
        {"amount": "1500.50", "currency": "CHF"},
        {"amount": "150000", "currency": "JPY"},
        {"amount": "12.300", "currency": "KWD"},
    ]


def test_json_text_is_stable_for_equal_tables() -> None:
    assert to_json(small_table("Total")) == to_json(small_table("Total"))
