"""The XLSX writer: one worksheet per table, real numbers and dates, currency number formats.

Layout of each sheet: row 1 holds the column titles (bold, frozen, with an autofilter over
the data), then the data rows, then the totals rows of
:func:`~wsis_funding.reports.table.totals_rows` in bold (written as values, not formulas, so
every reader sees the figures without recalculating), then a blank row and one note per row
in italics. The table title is the sheet name (made safe) and the printed page header.

Cells are typed: integers and amounts are numbers, never text; dates are dates shown as
``yyyy-mm-dd``; a money cell is the exact amount with a number format of its own currency's
ISO 4217 decimals and code (``#,##0 "JPY"``, ``#,##0.00 "CHF"``, ``#,##0.000 "KWD"``);
decimal and percent columns show as many decimals as their most precise cell. Text is
always written as a string, so ``=1+1`` in a name stays text and never becomes a formula.

A spreadsheet holds numbers as binary doubles, exact to 15 significant digits; a number with
more is refused (:class:`~wsis_funding.reports.table.InvalidTable`) rather than rounded.

The same tables give byte-identical files: the document's creation date is fixed (or
passed in), the workbook is built in memory, so every zip entry carries XlsxWriter's fixed
1980-01-01 timestamp, and nothing else in the package depends on the clock or the machine.
XlsxWriter is imported when a workbook is written, not when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any, Final

from moneyed import Money

from wsis_funding.money import CONTEXT, minor_unit_exponent
from wsis_funding.reports.table import (
    Cell,
    Column,
    InvalidTable,
    Kind,
    Row,
    Table,
    exact_amount,
    totals_rows,
)

__all__ = [
    "FIXED_CREATED",
    "MAX_DIGITS",
    "CellFormats",
    "check_digits",
    "number_format",
    "safe_sheet_names",
    "write_cell",
    "write_xlsx",
]

FIXED_CREATED: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The document creation date written unless another is passed, so that output is stable."""

MAX_DIGITS: Final = 15
"""Significant digits a spreadsheet number keeps exactly."""

_SHEET_NAME_MAX: Final = 31  # UTF-16 code units, as Excel counts them
_BAD_SHEET_CHARS: Final = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH: Final = 8
_MAX_WIDTH: Final = 60
_DATE_FORMAT: Final = "yyyy-mm-dd"


def _utf16_len(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    out: list[str] = []
    used = 0
    for ch in text:
        used += _utf16_len(ch)
        if used > limit:
            break
        out.append(ch)
    return "".join(out).strip().strip("'").strip()


def safe_sheet_names(titles: Iterable[str]) -> list[str]:
    r"""Return a valid, unique worksheet name for each title, in order.

    ``[]:*?/\`` become ``_``, runs of whitespace one space, leading and trailing
    apostrophes go, names are cut to 31 UTF-16 units, an empty name becomes ``Sheet`` and a
    name already taken (ignoring case, as Excel does; ``History`` is reserved) gets a
    `` (2)``, `` (3)``... suffix within the 31 units.
    """
    used = {"history"}
    names: list[str] = []
    for title in titles:
        base = _clip(" ".join(_BAD_SHEET_CHARS.sub("_", title).split()), _SHEET_NAME_MAX)
        base = base or "Sheet"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            suffix = f" ({n})"
            name = _clip(base, _SHEET_NAME_MAX - len(suffix)) + suffix
        used.add(name.lower())
        names.append(name)
    return names


def _decimals(value: Decimal) -> int:
    return max(0, -int(value.as_tuple().exponent))


def number_format(kind: Kind, *, decimals: int = 0, currency: str = "") -> str:
    """Return the Excel number format for a cell of ``kind``.

    ``currency`` (an ISO code) decides a money format's decimals and suffix; ``decimals`` is
    the number of decimals shown by a decimal or percent (of the percentage) cell.
    """
    fraction = "." + "0" * decimals if decimals else ""
    if kind is Kind.MONEY:
        exponent = minor_unit_exponent(currency)
        digits = "." + "0" * exponent if exponent else ""
        return f'#,##0{digits} "{currency}"'
    if kind is Kind.INTEGER:
        return "#,##0"
    if kind is Kind.DECIMAL:
        return f"#,##0{fraction}"
    if kind is Kind.PERCENT:
        return f"0{fraction}%"
    if kind is Kind.DATE:
        return _DATE_FORMAT
    return "@"


def _column_decimals(kind: Kind, cells: Iterable[Cell]) -> int:
    found = [_decimals(c) for c in cells if isinstance(c, Decimal)]
    most = max(found, default=0)
    return max(0, most - 2) if kind is Kind.PERCENT else most


def check_digits(columns: Sequence[Column], number: int, row: Row) -> None:
    """Refuse a number in row ``number`` that a spreadsheet cannot hold exactly.

    Raises :class:`~wsis_funding.reports.table.InvalidTable` for an integer, decimal or
    amount with more than :data:`MAX_DIGITS` significant digits or out of range.
    """
    for column, value in zip(columns, row, strict=True):
        if isinstance(value, Money):
            value = exact_amount(value)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            normal = Decimal(value).normalize(CONTEXT)
            if len(normal.as_tuple().digits) > MAX_DIGITS or abs(normal.adjusted()) > 300:
                raise InvalidTable(
                    f"{value} has more than {MAX_DIGITS} significant digits or is out of "
                    "range; a spreadsheet cannot hold it exactly",
                    row=number,
                    column=column.key,
                )


def _check_digits(table: Table, rows: Sequence[Row]) -> None:
    for number, row in enumerate(rows, start=1):
        check_digits(table.columns, number, row)


def _display_width(kind: Kind, value: Cell, decimals: int) -> int:
    if value is None:
        return 0
    if isinstance(value, Money):
        e = minor_unit_exponent(value.currency.code)
        return len(f"{exact_amount(value):,.{e}f}") + 4
    if kind is Kind.PERCENT and isinstance(value, Decimal):
        return len(f"{value.scaleb(2, CONTEXT):,.{decimals}f}") + 1
    if isinstance(value, Decimal):
        return len(f"{value:,.{decimals}f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, dt.date):
        return len(_DATE_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


class CellFormats:
    """The workbook's cell formats, made once per distinct (number format, style).

    Styles: ``""`` (a data cell), ``"header"``, ``"total"`` and ``"note"``.
    """

    def __init__(self, workbook: Any) -> None:
        """Make formats in ``workbook`` (an XlsxWriter workbook)."""
        self._workbook = workbook
        self._cache: dict[tuple[str, str], Any] = {}

    def get(self, num_format: str, style: str = "") -> Any:
        """Return the format with ``num_format`` in ``style``, made on first use."""
        key = (num_format, style)
        if key not in self._cache:
            props: dict[str, object] = {"num_format": num_format}
            if style == "header":
                props.update(bold=True, bottom=1, valign="top", text_wrap=True)
            elif style == "total":
                props.update(bold=True, top=1)
            elif style == "note":
                props.update(italic=True)
            self._cache[key] = self._workbook.add_format(props)
        return self._cache[key]


def write_cell(sheet: Any, r: int, c: int, kind: Kind, value: Cell, fmt: Any) -> None:
    """Write one typed cell at (``r``, ``c``): text as a string, numbers and dates as such."""
    if value is None:
        sheet.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(r, c, value, fmt)
    elif isinstance(value, Money):
        # XlsxWriter writes a Decimal with its own digits ("1500.00"), no float round trip.
        sheet.write_number(r, c, exact_amount(value), fmt)
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, value, fmt)
    else:
        sheet.write_number(r, c, value, fmt)


def _write_sheet(workbook: Any, formats: CellFormats, name: str, table: Table) -> None:
    sheet = workbook.add_worksheet(name)
    totals = totals_rows(table)
    body = list(table.rows) + list(totals)
    kinds = [column.kind for column in table.columns]
    decimals = [_column_decimals(k, (row[i] for row in body)) for i, k in enumerate(kinds)]
    for c, column in enumerate(table.columns):
        sheet.write_string(0, c, column.title, formats.get("General", "header"))
    for r, row in enumerate(body, start=1):
        style = "total" if r > len(table.rows) else ""
        for c, value in enumerate(row):
            if value is None:
                num_format = "General"
            else:
                code = value.currency.code if isinstance(value, Money) else ""
                num_format = number_format(kinds[c], decimals=decimals[c], currency=code)
            fmt = formats.get(num_format, style)
            write_cell(sheet, r, c, kinds[c], value, fmt)
    for i, note in enumerate(table.notes):
        sheet.write_string(len(body) + 2 + i, 0, note, formats.get("General", "note"))
    for c, column in enumerate(table.columns):
        widest = max(
            [len(column.title) + 2]
            + [_display_width(kinds[c], row[c], decimals[c]) for row in body]
        )
        sheet.set_column(c, c, min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
    sheet.repeat_rows(0)
    sheet.set_header("&C" + table.title.replace("&", "&&")[:200])
    sheet.fit_to_pages(1, 0)


def write_xlsx(
    tables: Sequence[Table],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    created: dt.datetime = FIXED_CREATED,
) -> list[str]:
    """Write ``tables`` to ``target`` (a path or a binary stream), one sheet each.

    ``created`` is the document's creation date (naive means UTC); it defaults to
    :data:`FIXED_CREATED` so that the same tables give the same bytes. Returns the sheet
    names. Raises ``ValueError`` for an empty sequence and
    :class:`~wsis_funding.reports.table.InvalidTable` for a number a spreadsheet cannot
    hold exactly; nothing is written then.
    """
    if not tables:
        raise ValueError("write_xlsx needs at least one table")
    for table in tables:
        if not isinstance(table, Table):
            raise TypeError(f"tables must be Table values, not {type(table).__name__}")
        _check_digits(table, list(table.rows) + list(totals_rows(table)))
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    names = safe_sheet_names(table.title for table in tables)

    import xlsxwriter  # heavy: imported only when writing

    destination = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    # in_memory: every zip entry gets the fixed 1980-01-01 timestamp, whatever the time zone.
    workbook = xlsxwriter.Workbook(destination, {"in_memory": True})
    properties: dict[str, object] = {"created": created}
    if len(tables) == 1:
        properties["title"] = tables[0].title
    workbook.set_properties(properties)
    formats = CellFormats(workbook)
    for name, table in zip(names, tables, strict=True):
        _write_sheet(workbook, formats, name, table)
    workbook.close()  # the file is written here, and only if every sheet was built
    return names
