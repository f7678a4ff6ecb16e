r"""Streaming writers: CSV and XLSX of rows that never all sit in memory (the journal export).

A :class:`~wsis_funding.reports.table.Table` holds its rows; an export of a million journal
postings must not. These writers take the columns and an iterable of rows, check each row as
a :class:`Table` would (types, amounts exact to their currency) when it arrives, and write
it at once:

CSV
    exactly what :func:`~wsis_funding.reports.csvjson.write_csv` writes for a table of the
    same columns and rows (key header, ``<key>_currency`` after each money column, ``\r\n``).

XLSX
    XlsxWriter in ``constant_memory`` mode: each row is flushed to a temporary file as soon as
    the next one starts, so memory stays flat. Header row, frozen panes, an autofilter and
    the cell types and number formats of :mod:`~wsis_funding.reports.xlsx` (a decimal cell
    shows its own decimals, as a column's widest cell cannot be known in advance). Column
    widths are fixed by kind. A sheet holds at most 1,048,575 data rows (Excel's limit); the
    rows go on in a sheet named ``<title> (2)``, and so on. The creation date is fixed and
    XlsxWriter stamps every zip entry with the same date, so the same rows give the same bytes.

A bad row raises after the rows before it were written: write to a temporary file and keep it
only when the writer returns (the command line does).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any, Final, TextIO

from moneyed import Money

from wsis_funding.reports.csvjson import csv_fields, csv_header
from wsis_funding.reports.table import Column, Kind, Row, check_columns, check_row
from wsis_funding.reports.xlsx import (
    FIXED_CREATED,
    CellFormats,
    check_digits,
    number_format,
    safe_sheet_names,
    write_cell,
)

__all__ = ["SHEET_ROWS", "Progress", "write_csv_rows", "write_xlsx_rows"]

SHEET_ROWS: Final = 1_048_575
"""Data rows per worksheet: Excel's 1,048,576 rows less the header."""

Progress = Callable[[int], None]
"""Called with the number of rows written so far, every :data:`_EVERY` rows and at the end."""

_EVERY: Final = 10_000
_WIDTHS: Final = {
    Kind.TEXT: 24,
    Kind.INTEGER: 10,
    Kind.DECIMAL: 14,
    Kind.PERCENT: 10,
    Kind.DATE: 12,
    Kind.MONEY: 20,
}


def write_csv_rows(
    columns: Sequence[Column],
    rows: Iterable[Row],
    stream: TextIO,
    *,
    progress: Progress | None = None,
) -> int:
    """Write ``rows`` under ``columns`` as CSV to ``stream``; return how many were written.

    Each row is checked as :class:`~wsis_funding.reports.table.Table` checks its rows and
    raises the same errors. ``progress`` is called with the count so far.
    """
    cols = tuple(columns)
    check_columns(cols)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(csv_header(cols))
    kinds = [column.kind for column in cols]
    count = 0
    for count, row in enumerate(rows, start=1):
        check_row(cols, count, row)
        fields: list[str] = []
        for kind, value in zip(kinds, row, strict=True):
            fields.extend(csv_fields(kind, value))
        writer.writerow(fields)
        if progress is not None and count % _EVERY == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count


def _cell_format(kind: Kind, value: object) -> str:
    if value is None:
        return "General"
    if isinstance(value, Money):
        return number_format(kind, currency=value.currency.code)
    if isinstance(value, Decimal):
        decimals = max(0, -int(value.as_tuple().exponent))
        return number_format(kind, decimals=max(0, decimals - 2) if kind is Kind.PERCENT
                             else decimals)  # fmt: skip
    return number_format(kind)


class _Sheets:
    """The worksheets of one streamed table: a new one each time one is full."""

    def __init__(
        self, workbook: Any, formats: CellFormats, title: str, columns: tuple[Column, ...]
    ):
        self._workbook = workbook
        self._formats = formats
        self._title = title
        self._columns = columns
        self._names: list[str] = []
        self.sheet: Any = None
        self.rows = 0  # data rows on the current sheet

    def next(self) -> None:
        """Close the current sheet (filter over its rows) and start the next one."""
        self.finish()
        n = len(self._names) + 1
        title = self._title if n == 1 else f"{self._title} ({n})"
        name = safe_sheet_names([*self._names, title])[-1]
        self._names.append(name)
        self.sheet = self._workbook.add_worksheet(name)
        header = self._formats.get("General", "header")
        for c, column in enumerate(self._columns):
            self.sheet.write_string(0, c, column.title, header)
            width = max(_WIDTHS[column.kind], min(len(column.title) + 4, 60))
            self.sheet.set_column(c, c, width)
        self.sheet.freeze_panes(1, 0)
        self.sheet.repeat_rows(0)
        self.sheet.set_header("&C" + self._title.replace("&", "&&")[:200])
        self.rows = 0

    def finish(self) -> None:
        """Set the autofilter of the current sheet over the rows it got."""
        if self.sheet is not None and self.rows:
            self.sheet.autofilter(0, 0, self.rows, len(self._columns) - 1)


def write_xlsx_rows(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Row],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    created: dt.datetime = FIXED_CREATED,
    progress: Progress | None = None,
) -> int:
    """Write ``rows`` under ``columns`` as an XLSX workbook to ``target``; return the count.

    ``title`` names the sheets and the document. Each row is checked as a table's rows are,
    and so that a spreadsheet holds its numbers exactly (see
    :func:`~wsis_funding.reports.xlsx.check_digits`). ``created`` (naive means UTC) is the
    document's creation date, fixed by default. ``progress`` is called with the count so far.
    """
    cols = tuple(columns)
    check_columns(cols)
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)

    import xlsxwriter  # heavy: imported only when writing

    destination = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    workbook = xlsxwriter.Workbook(destination, {"constant_memory": True})
    count = 0
    try:
        workbook.set_properties({"created": created, "title": title})
        formats = CellFormats(workbook)
        sheets = _Sheets(workbook, formats, title, cols)
        sheets.next()
        kinds = [column.kind for column in cols]
        for count, row in enumerate(rows, start=1):
            check_row(cols, count, row)
            check_digits(cols, count, row)
            if sheets.rows == SHEET_ROWS:
                sheets.next()
            sheets.rows += 1
            for c, value in enumerate(row):
                fmt = formats.get(_cell_format(kinds[c], value))
                write_cell(sheets.sheet, sheets.rows, c, kinds[c], value, fmt)
            if progress is not None and count % _EVERY == 0:
                progress(count)
        sheets.finish()
    finally:
        workbook.close()  # also on failure: it removes its temporary files
    if progress is not None:
        progress(count)
    return count
