"""From raw rows to cells by column name: the header checked against a spec, problems kept.

Row 1 is the header. Its names are matched after trimming, lower-casing and turning spaces
and hyphens into underscores. An unknown column, a column given twice and a missing required
column are problems on row 1. A fully blank row is skipped (trailing blank rows are common);
a value under no header is a problem. Row numbers are as the user sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final, TypeVar

from wsis_funding.imports.sheets import cells
from wsis_funding.imports.sheets.kinds import SheetSpec
from wsis_funding.imports.sheets.model import Problem

__all__ = ["Cells", "Table", "column_letter", "normalise"]

T = TypeVar("T")

_NOT_UTF8: Final = 'not UTF-8 text: save the file as "CSV UTF-8"'


def normalise(header: str) -> str:
    """Return the canonical form of a header: trimmed, lower case, ``_`` for spaces and ``-``."""
    return "_".join(header.strip().lower().replace("-", " ").split())


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of the 0-based column ``index`` (0 is A, 26 is AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _blank(values: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class Table:
    """The rows of one sheet of a spec'd kind; ``problems`` collects every problem found.

    Iterating yields a :class:`Cells` for each row that is not blank, from row 2.
    """

    def __init__(
        self,
        spec: SheetSpec,
        file: str,
        sheet: str | None,
        rows: Iterable[Sequence[object]],
        *,
        check_utf8: bool = False,
        problems: list[Problem] | None = None,
    ) -> None:
        """Read the header of ``rows``; the other rows are read when iterating."""
        self.spec = spec
        self.file = file
        self.sheet = sheet
        self.problems: list[Problem] = [] if problems is None else problems
        self.check_utf8 = check_utf8
        self._rows = iter(rows)
        self.index: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self._width = 0
        self._unnamed: tuple[int, ...] = ()
        self._read_header()

    def problem(self, row: int | None, column: str | None, value: object, message: str) -> None:
        """Record a problem of this sheet; ``value`` is the raw cell value."""
        self.problems.append(
            Problem(
                file=self.file,
                sheet=self.sheet,
                row=row,
                column=column,
                value=cells.shown(value),
                message=message,
            )
        )

    def _read_header(self) -> None:
        header: Sequence[object] = ()
        for values in self._rows:
            header = values
            break
        if _blank(header):
            names = ", ".join(self.spec.names)
            self.problem(
                1, None, "", f"row 1 must hold the column headers of {self.spec.name}: {names}"
            )
            return
        unnamed: list[int] = []
        for i, value in enumerate(header):
            if cells.is_blank(value):
                unnamed.append(i)
                continue
            written = cells.shown(value)
            if self.check_utf8 and isinstance(value, str) and cells.has_invalid_utf8(value):
                self.problem(1, written, value, _NOT_UTF8)
                continue
            name = normalise(written)
            if name not in self.spec.names:
                allowed = ", ".join(self.spec.names)
                self.problem(
                    1, written, value, f"unknown column; the {self.spec.name} columns are {allowed}"
                )
            elif name in self.index:
                where = column_letter(self.index[name])
                self.problem(1, written, value, f"column given twice (also in column {where})")
            else:
                self.index[name] = i
                self.headers[name] = written.strip()
        for column in self.spec.columns:
            if column.required and column.name not in self.index:
                self.problem(1, column.name, "", "required column is missing")
        self._width = len(header)
        self._unnamed = tuple(unnamed)

    def __iter__(self) -> Iterator[Cells]:
        """Yield each non-blank data row as :class:`Cells`, with its row number."""
        if not self.index:
            return
        width = self._width
        unnamed = self._unnamed
        number = 1
        for values in self._rows:
            number += 1
            if _blank(values):
                continue
            if len(values) > width or unnamed:
                self._stray(number, values)
            yield Cells(self, number, values)

    def _stray(self, number: int, values: Sequence[object]) -> None:
        extra = range(self._width, len(values))
        for i in (*self._unnamed, *extra):
            if i < len(values) and not cells.is_blank(values[i]):
                self.problem(
                    number, f"column {column_letter(i)}", values[i], "a value under no header"
                )


class Cells:
    """The cells of one row, read by column name; each bad cell is recorded as a problem.

    ``failed`` is true once any cell of the row had a problem (then no record is made).
    """

    # Every cell of an import passes through here: the table's index and UTF-8 flag are kept
    # on the row, so that reading a cell is a dict look-up and an index, not four.
    __slots__ = ("_index", "_table", "_utf8", "_values", "failed", "row")

    def __init__(self, table: Table, row: int, values: Sequence[object]) -> None:
        """Wrap ``values``, the cells of row ``row`` of ``table``."""
        self._table = table
        self._index = table.index
        self._utf8 = table.check_utf8
        self._values = values
        self.row = row
        self.failed = False

    def raw(self, column: str) -> object:
        """Return the raw value under ``column`` (None if the column or the cell is absent)."""
        i = self._index.get(column)
        if i is None or i >= len(self._values):
            return None
        return self._values[i]

    def flag(self, column: str, message: str, value: object = None) -> None:
        """Record a problem in ``column`` of this row (with its raw value unless given)."""
        self.failed = True
        shown = self.raw(column) if value is None else value
        self._table.problem(self.row, self._table.headers.get(column, column), shown, message)

    def _convert(
        self, column: str, value: object, convert: Callable[[object], T | None]
    ) -> T | None:
        """Convert a present cell; a bad one is recorded and gives None."""
        if self._utf8 and isinstance(value, str) and cells.has_invalid_utf8(value):
            self.flag(column, _NOT_UTF8)
            return None
        try:
            return convert(value)
        except cells.CellError as error:
            self.flag(column, error.message)
            return None

    def get(self, column: str, convert: Callable[[object], T | None]) -> T | None:
        """Convert the cell of an optional column; None if it is empty or bad (recorded)."""
        i = self._index.get(column)
        if i is None or i >= len(self._values):
            return None
        value = self._values[i]
        if value is None:
            return None
        return self._convert(column, value, convert)

    def need(self, column: str, convert: Callable[[object], T | None]) -> T | None:
        """Convert the cell of a required column; an empty cell is a problem too."""
        i = self._index.get(column)
        if i is None:
            # The header problem says the column is missing; one problem, not one per row.
            self.failed = True
            return None
        value = self._values[i] if i < len(self._values) else None
        if value is None:
            self.flag(column, "required: the cell is empty")
            return None
        failed = self.failed
        self.failed = False
        result = self._convert(column, value, convert)
        if result is None and not self.failed:
            self.flag(column, "required: the cell is empty")
        self.failed = self.failed or failed
        return result
