"""Report files: the formats a report is written in, and tables turned into file bytes.

CSV and JSON hold one table (the report's main one): they are data for programs. XLSX holds
every table of the report, one sheet each. The same tables give the same bytes.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Sequence

from wsis_funding.reports.csvjson import to_json, write_csv
from wsis_funding.reports.errors import UnsupportedFormat
from wsis_funding.reports.table import Table
from wsis_funding.reports.xlsx import write_xlsx

__all__ = ["ReportFormat", "report_format", "tables_file"]


class ReportFormat(enum.StrEnum):
    """A report file's format."""

    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


def report_format(value: object, report: str, supported: Sequence[ReportFormat]) -> ReportFormat:
    """Return ``value`` as one of the ``supported`` formats of ``report``.

    Raises :class:`UnsupportedFormat` naming the report and the formats it is written in.
    """
    for fmt in supported:
        if value == fmt.value:
            return fmt
    raise UnsupportedFormat(report, value, [f.value for f in supported])


def tables_file(tables: Sequence[Table], fmt: ReportFormat) -> bytes:
    """Return ``tables`` as a CSV, JSON (the first table) or XLSX (all tables) file.

    Raises ``ValueError`` for PDF (a report renders its own) and the writers' errors.
    """
    if fmt is ReportFormat.CSV:
        text = io.StringIO(newline="")
        write_csv(tables[0], text)
        return text.getvalue().encode("utf-8")
    if fmt is ReportFormat.JSON:
        return to_json(tables[0]).encode("utf-8")
    if fmt is ReportFormat.XLSX:
        stream = io.BytesIO()
        write_xlsx(tables, stream)
        return stream.getvalue()
    raise ValueError(f"tables are not written as {fmt.value}")
