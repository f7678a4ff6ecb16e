"""Raw rows out of a CSV file or an XLSX workbook, before any column means anything.

CSV: UTF-8 with or without a byte-order mark, comma- or semicolon-separated (whichever the
header line uses more), quoted fields. Bytes that are not UTF-8 are kept as surrogate escapes
so that the reader can name the row and column that holds them; UTF-16 and UTF-32 files are
refused as a whole. XLSX: openpyxl in read-only mode (it streams the sheet XML, which keeps a
10,000-row import fast) with ``data_only`` so that a formula cell gives the value the
spreadsheet last computed. openpyxl is imported on first use: a CSV import does not need it.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Final

import attrs

from wsis_funding.imports.sheets.model import Problem

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["CsvFile", "XlsxBook", "read_csv"]

_WIDE_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SAVE_AS: Final = 'save it as "CSV UTF-8" (comma- or semicolon-separated)'


@attrs.frozen(kw_only=True)
class CsvFile:
    """The rows of a CSV file (row 1 is the header) and whether any byte was not UTF-8."""

    rows: tuple[Sequence[str], ...]
    invalid_utf8: bool
    problems: tuple[Problem, ...]


def _file_problem(path: Path, message: str) -> Problem:
    return Problem(file=path.name, sheet=None, row=None, column=None, value="", message=message)


def read_csv(path: Path) -> CsvFile:
    """Read and split a CSV file; a file that is not UTF-8 text is a problem, not an error.

    Raises ``OSError`` if the file cannot be read at all.
    """
    data = path.read_bytes()
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            problem = _file_problem(path, f"the file is {name} text, not UTF-8: {_SAVE_AS}")
            return CsvFile(rows=(), invalid_utf8=False, problems=(problem,))
    if b"\x00" in data:
        problem = _file_problem(
            path, f"the file holds NUL bytes, so it is not UTF-8 text (UTF-16?): {_SAVE_AS}"
        )
        return CsvFile(rows=(), invalid_utf8=False, problems=(problem,))
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text, invalid = data.decode("utf-8"), False
    except UnicodeDecodeError:
        text, invalid = data.decode("utf-8", "surrogateescape"), True
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows: list[list[str]] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows.extend(reader)
    except csv.Error as error:
        problems.append(
            Problem(
                file=path.name,
                sheet=None,
                row=len(rows) + 1,
                column=None,
                value="",
                message=f"cannot split this row into cells ({error}); the rest was not read",
            )
        )
    return CsvFile(rows=tuple(rows), invalid_utf8=invalid, problems=tuple(problems))


DAMAGED: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,  # not a zip archive, a bad CRC
    zlib.error,  # a damaged compressed part
    EOFError,  # a truncated part
    SyntaxError,  # bad XML (ElementTree's ParseError and lxml's XMLSyntaxError derive from it)
    ValueError,
    KeyError,  # a part the archive should hold is missing
    IndexError,
    TypeError,  # openpyxl reading a value of the wrong type from damaged XML
    AttributeError,
    OverflowError,  # a date serial far out of range
)
"""What openpyxl raises on a damaged or hostile workbook (found by tests/unit/test_file_fuzz.py);
each becomes a problem naming the file, never an exception."""


class XlsxBook:
    """An XLSX workbook opened read-only; use as a context manager so that it is closed.

    A file that cannot be opened, or a sheet that cannot be read to its end, is a problem
    appended to ``problems``; a workbook that could not be opened has no sheets.
    """

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        """Open ``path``; raise ``OSError`` if it cannot be read at all (missing, no permission).

        A damaged or hostile workbook is a problem appended to ``problems``.
        """
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.path = path
        self.problems = problems
        self._workbook: Workbook | None = None
        with path.open("rb"):  # missing or unreadable: OSError, not a problem of its content
            pass
        try:
            with warnings.catch_warnings():
                # openpyxl warns about parts it does not read (data validation, styles).
                warnings.simplefilter("ignore", UserWarning)
                self._workbook = load_workbook(
                    path, read_only=True, data_only=True, keep_links=False
                )
        except (InvalidFileException, OSError, *DAMAGED) as error:  # type: ignore[misc]
            # An OSError here is a damaged archive (a seek past its end), the file being readable.
            self.problems.append(
                _file_problem(path, f"not a readable XLSX workbook ({error or type(error)})")
            )

    @property
    def sheetnames(self) -> list[str]:
        """The names of the workbook's sheets, in order (none if it could not be opened)."""
        return [] if self._workbook is None else list(self._workbook.sheetnames)

    def rows(self, sheet: str) -> Iterator[Sequence[object]]:
        """Yield the values of each row of ``sheet`` from row 1, empty rows included."""
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        assert self._workbook is not None
        worksheet = self._workbook[sheet]
        if not isinstance(worksheet, ReadOnlyWorksheet):
            self.problems.append(
                Problem(
                    file=self.path.name,
                    sheet=sheet,
                    row=None,
                    column=None,
                    value="",
                    message="a chart sheet, not a worksheet",
                )
            )
            return
        # Some writers store a wrong used range; without it openpyxl reads every row there is.
        worksheet.reset_dimensions()
        try:
            yield from worksheet.iter_rows(values_only=True)
        except (OSError, *DAMAGED) as error:  # type: ignore[misc]
            # A damaged sheet (bad XML, a truncated archive: a seek past its end is an OSError).
            self.problems.append(
                Problem(
                    file=self.path.name,
                    sheet=sheet,
                    row=None,
                    column=None,
                    value="",
                    message=f"the sheet could not be read to its end ({error})",
                )
            )

    def close(self) -> None:
        """Close the file (read-only workbooks keep it open until then)."""
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def __enter__(self) -> XlsxBook:
        """Return the open workbook."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the workbook."""
        self.close()
