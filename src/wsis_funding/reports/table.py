"""The typed table that every report writer takes: columns with a kind, rows of exact cells.

A :class:`Table` is plain data, checked once when it is made, so that the CSV, JSON, XLSX and
chart writers never meet a float, a bool posing as an int, or a money amount finer than its
currency's ISO 4217 minor unit. Cells by column kind:

========  ==========================================================================
text      ``str``
integer   ``int`` (not ``bool``)
decimal   finite :class:`~decimal.Decimal`
percent   finite :class:`~decimal.Decimal` holding a fraction: ``Decimal("0.125")`` is 12.5 %
date      :class:`datetime.date` (not ``datetime.datetime``)
money     :class:`Money` in whole minor units of its currency (its currency decides decimals)
========  ==========================================================================

Any cell may be ``None`` (empty). Rows are numbered from 1 in error messages.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final, TypeAlias

import attrs
from moneyed import Money

from wsis_funding.errors import WsisFundingError
from wsis_funding.money import CONTEXT, from_minor, to_minor
from wsis_funding.money.errors import InvalidAmount, UnknownCurrency

__all__ = [
    "Cell",
    "Column",
    "InvalidCellType",
    "InvalidTable",
    "Kind",
    "Row",
    "Table",
    "check_columns",
    "check_row",
    "exact_amount",
    "plain_decimal",
    "totals_rows",
]

Cell: TypeAlias = "str | int | Decimal | dt.date | Money | None"
Row: TypeAlias = "tuple[Cell, ...]"

_KEY: Final = re.compile(r"[a-z][a-z0-9_]*\Z")


class Kind(enum.StrEnum):
    """What a column holds; it decides the cell type and each writer's number format."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    MONEY = "money"
    PERCENT = "percent"


#: Kinds whose cells a totals row adds up (percentages are not additive).
SUMMED: Final = frozenset({Kind.INTEGER, Kind.DECIMAL, Kind.MONEY})


class InvalidTable(WsisFundingError, ValueError):
    """A table whose shape or values are wrong: bad keys, row length, inexact amounts."""

    def __init__(self, reason: str, *, row: int | None = None, column: str | None = None) -> None:
        self.reason = reason
        self.row = row
        self.column = column
        where = _where(row, column)
        super().__init__(f"invalid table{where}: {reason}")


class InvalidCellType(WsisFundingError, TypeError):
    """A cell whose Python type does not fit its column's kind (a float, always)."""

    def __init__(self, column: str, row: int, kind: Kind, value: object) -> None:
        self.column = column
        self.row = row
        self.kind = kind
        self.value = value
        hint = " (floats are not exact; pass a Decimal or an int)" if type(value) is float else ""
        super().__init__(
            f"column {column!r} row {row}: a {kind.value} cell cannot be "
            f"{type(value).__name__} {value!r}{hint}"
        )


def _where(row: int | None, column: str | None) -> str:
    parts = []
    if column is not None:
        parts.append(f"column {column!r}")
    if row is not None:
        parts.append(f"row {row}")
    return f" ({' '.join(parts)})" if parts else ""


@attrs.frozen
class Column:
    """One column: a machine ``key`` (``[a-z][a-z0-9_]*``), a human ``title`` and a ``kind``."""

    key: str
    title: str
    kind: Kind = attrs.field(converter=Kind)

    def __attrs_post_init__(self) -> None:
        """Check the key, which becomes a CSV header and a JSON member name."""
        if not isinstance(self.key, str) or not _KEY.match(self.key):
            raise InvalidTable(f"column key {self.key!r} must match [a-z][a-z0-9_]*")
        if not isinstance(self.title, str):
            raise InvalidTable(f"column title must be str, not {type(self.title).__name__}")


def _columns(value: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(value)


def _rows(value: Iterable[Iterable[Cell]]) -> tuple[Row, ...]:
    return tuple(tuple(row) for row in value)


def _notes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Table:
    """A titled table of typed rows, with optional notes and an optional totals row.

    ``totals_label`` (for instance ``"Total"``) asks the writers that show totals (XLSX,
    JSON) for the rows of :func:`totals_rows`; None means no totals. Construction raises
    :class:`InvalidCellType` for a cell of the wrong type (any float) and
    :class:`InvalidTable` for duplicate keys, a row of the wrong length, a non-finite
    decimal or a money amount finer than its currency's minor unit.
    """

    title: str
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    rows: tuple[Row, ...] = attrs.field(converter=_rows)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_notes)
    totals_label: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check the columns, then every cell against its column's kind."""
        check_columns(self.columns)
        for number, row in enumerate(self.rows, start=1):
            check_row(self.columns, number, row)

    def index(self, key: str) -> int:
        """Return the position of the column ``key``; raises ``KeyError`` if there is none."""
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)


def check_columns(columns: tuple[Column, ...]) -> None:
    """Check a table's columns: at least one, all :class:`Column`, keys unique.

    A money column ``amount`` also takes the key ``amount_currency`` (its CSV currency
    column). Raises :class:`InvalidTable`.
    """
    if not columns:
        raise InvalidTable("a table needs at least one column")
    keys: set[str] = set()
    for column in columns:
        if not isinstance(column, Column):
            raise InvalidTable(f"columns must be Column values, not {column!r}")
        names = [column.key]
        if column.kind is Kind.MONEY:
            names.append(f"{column.key}_currency")  # the CSV currency column
        for name in names:
            if name in keys:
                raise InvalidTable(f"duplicate column key {name!r}", column=column.key)
            keys.add(name)


def check_row(columns: tuple[Column, ...], number: int, row: Row) -> None:
    """Check row ``number`` (from 1) against ``columns``: its length and every cell's type.

    Raises :class:`InvalidTable` and :class:`InvalidCellType` as :class:`Table` does.
    """
    if len(row) != len(columns):
        raise InvalidTable(f"{len(row)} cells for {len(columns)} columns", row=number)
    for column, value in zip(columns, row, strict=True):
        _check_cell(column, number, value)


def _check_cell(column: Column, row: int, value: object) -> None:
    if value is None:
        return
    kind = column.kind
    if kind is Kind.TEXT:
        ok = isinstance(value, str)
    elif kind is Kind.INTEGER:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is Kind.DATE:
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    elif kind is Kind.MONEY:
        ok = isinstance(value, Money)
        if isinstance(value, Money):
            try:
                to_minor(value)
            except (InvalidAmount, UnknownCurrency) as exc:
                raise InvalidTable(str(exc), row=row, column=column.key) from None
    else:
        ok = isinstance(value, Decimal)
        if isinstance(value, Decimal) and not value.is_finite():
            raise InvalidTable(f"{value!r} is not a finite number", row=row, column=column.key)
    if not ok:
        raise InvalidCellType(column.key, row, kind, value)


def exact_amount(m: Money) -> Decimal:
    """Return the amount of ``m`` with exactly its currency's ISO 4217 decimals (JPY 0, KWD 3)."""
    result: Decimal = from_minor(to_minor(m), m.currency.code).amount
    return result


def plain_decimal(value: Decimal) -> str:
    """Return ``value`` in positional notation with its own digits (``1E+3`` -> ``1000``)."""
    return format(value, "f")


def totals_rows(table: Table) -> tuple[Row, ...]:
    """Return the totals rows of ``table``: empty without ``totals_label``.

    Integer, decimal and money columns are summed; other cells are empty, except the first
    column, which carries the label when it is a text column. Amounts of different
    currencies are never added: with one currency (or none) there is one row; with several,
    a row for the integer and decimal sums (left out if there are none) and then one row
    per currency in code order, labelled ``"<label> <code>"``, holding only that currency.
    """
    label = table.totals_label
    if label is None:
        return ()
    money_cols = [i for i, c in enumerate(table.columns) if c.kind is Kind.MONEY]
    number_cols = [i for i, c in enumerate(table.columns) if c.kind in SUMMED - {Kind.MONEY}]
    codes = sorted({m.currency.code for i in money_cols for m in _moneys(table, i)})
    width = len(table.columns)

    def labelled(text: str) -> list[Cell]:
        cells: list[Cell] = [None] * width
        if table.columns[0].kind is Kind.TEXT:
            cells[0] = text
        return cells

    def add_numbers(cells: list[Cell]) -> None:
        for i in number_cols:
            ints = [v for row in table.rows if isinstance(v := row[i], int)]
            decimals = [v for row in table.rows if isinstance(v := row[i], Decimal)]
            if ints:
                cells[i] = sum(ints)
            elif decimals:
                cells[i] = functools.reduce(CONTEXT.add, decimals, Decimal(0))

    def add_money(cells: list[Cell], code: str) -> None:
        for i in money_cols:
            minors = [to_minor(m) for m in _moneys(table, i) if m.currency.code == code]
            cells[i] = from_minor(sum(minors), code) if minors else None

    if len(codes) <= 1:
        cells = labelled(label)
        add_numbers(cells)
        for code in codes:
            add_money(cells, code)
        return (tuple(cells),)
    result: list[Row] = []
    if number_cols:
        cells = labelled(label)
        add_numbers(cells)
        result.append(tuple(cells))
    for code in codes:
        cells = labelled(f"{label} {code}")
        add_money(cells, code)
        result.append(tuple(cells))
    return tuple(result)


def _moneys(table: Table, index: int) -> list[Money]:
    return [v for row in table.rows if isinstance(v := row[index], Money)]
