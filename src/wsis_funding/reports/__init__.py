"""Reports: typed tables first, then files (CSV, JSON, XLSX) and deterministic SVG charts.

A :class:`Table` is rows a program can use; the writers turn it into files without
touching the books. Importing this package is cheap: XlsxWriter is imported only when a
workbook is written, and nothing here needs lxml or WeasyPrint.
"""

from wsis_funding.reports.charts import (
    Bar,
    DatedAmount,
    FundingRow,
    bar_chart,
    cumulative_chart,
    funding_chart,
)
from wsis_funding.reports.csvjson import JSON_FORMAT, to_json, write_csv
from wsis_funding.reports.table import (
    Column,
    InvalidCellType,
    InvalidTable,
    Kind,
    Table,
    totals_rows,
)
from wsis_funding.reports.xlsx import write_xlsx

__all__ = [
    "JSON_FORMAT",
    "Bar",
    "Column",
    "DatedAmount",
    "FundingRow",
    "InvalidCellType",
    "InvalidTable",
    "Kind",
    "Table",
    "bar_chart",
    "cumulative_chart",
    "funding_chart",
    "to_json",
    "totals_rows",
    "write_csv",
    "write_xlsx",
]
