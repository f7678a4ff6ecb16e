r"""CSV and JSON writers for a :class:`~wsis_funding.reports.table.Table`, standard library only.

Both are data for programs, so they carry exact values and machine names:

CSV
    UTF-8 text without a byte order mark, comma separated, ``\r\n`` line ends (RFC 4180),
    minimal quoting. The header row holds the column *keys* (stable across languages; the
    titles are for people and go to XLSX and PDF). A money column ``amount`` becomes two
    columns, ``amount`` with the exact amount in the currency's ISO 4217 decimals
    (``1500`` JPY, ``1500.00`` CHF, ``1500.000`` KWD) and ``amount_currency`` with the code.
    Dates are ISO (``2025-07-01``), decimals and percentages (a fraction: ``0.125``) are
    positional decimals, an empty cell is an empty field. Text is written verbatim. Only
    the data rows are written: no title, notes or totals.

JSON (format 1)
    ``{"format": 1, "title": str, "columns": [{"key", "title", "kind"}], "rows": [{key:
    cell}], "totals": [{key: cell}], "notes": [str]}``, keys sorted, two-space indent, a
    final newline. Cells: text as a string, integer as a number, decimal and percent as a
    decimal string, date as an ISO string, money as ``{"amount": "1500.00", "currency":
    "CHF"}``, empty as null. No amount is ever a JSON number with a fraction.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, TextIO

from moneyed import Money

from wsis_funding.reports.table import (
    Cell,
    Column,
    Kind,
    Row,
    Table,
    exact_amount,
    plain_decimal,
    totals_rows,
)

__all__ = ["JSON_FORMAT", "csv_fields", "csv_header", "to_json", "write_csv"]

JSON_FORMAT: Final = 1
"""The version of the JSON shape; a change of shape gets a new number."""

JsonCell = str | int | dict[str, str] | None


def csv_header(table: Table | Sequence[Column]) -> list[str]:
    """Return the CSV header of a table (or columns): keys, ``<key>_currency`` after money."""
    columns = table.columns if isinstance(table, Table) else table
    header: list[str] = []
    for column in columns:
        header.append(column.key)
        if column.kind is Kind.MONEY:
            header.append(f"{column.key}_currency")
    return header


def csv_fields(kind: Kind, value: Cell) -> list[str]:
    """Return the CSV fields of one cell: two for a money column (amount, currency)."""
    if isinstance(value, Money):
        return [plain_decimal(exact_amount(value)), value.currency.code]
    if kind is Kind.MONEY:
        return ["", ""]
    return [_scalar_text(value)]


def _scalar_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(table: Table, stream: TextIO) -> None:
    r"""Write the data rows of ``table`` as CSV to ``stream``, a text stream.

    Open files with ``newline=""`` and ``encoding="utf-8"``: the writer emits ``\r\n``
    itself. See the module docstring for the columns and the cell rules.
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(csv_header(table))
    kinds = [column.kind for column in table.columns]
    for row in table.rows:
        fields: list[str] = []
        for kind, value in zip(kinds, row, strict=True):
            fields.extend(csv_fields(kind, value))
        writer.writerow(fields)


def _json_cell(value: Cell) -> JsonCell:
    if isinstance(value, Money):
        return {"amount": plain_decimal(exact_amount(value)), "currency": value.currency.code}
    if value is None or isinstance(value, str | int):
        return value
    return _scalar_text(value)


def _json_row(table: Table, row: Row) -> dict[str, JsonCell]:
    return {c.key: _json_cell(v) for c, v in zip(table.columns, row, strict=True)}


def to_json(table: Table) -> str:
    """Return ``table`` as JSON text in the versioned shape of the module docstring.

    The same table always gives the same text (sorted keys, fixed indent).
    """
    document = {
        "format": JSON_FORMAT,
        "title": table.title,
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind.value} for c in table.columns],
        "rows": [_json_row(table, row) for row in table.rows],
        "totals": [_json_row(table, row) for row in totals_rows(table)],
        "notes": list(table.notes),
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
