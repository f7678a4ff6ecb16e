"""Spreadsheet imports: partners, pledges with instalments, and exchange rates, CSV or XLSX.

The readers turn a finance officer's files into frozen, validated records, or report every
bad cell (file, sheet, row, column, value, what is wrong) and return no record at all::

    imported = read_pledges("pledges.xlsx")
    if not imported.ok:
        for problem in imported.problems:
            print(problem)
    pledges = imported.or_raise()  # or raise SpreadsheetRejected with every problem

The writers write the same kinds back (a file read, written and read again gives equal
records), and :func:`write_templates` writes empty, documented files to fill in. The column
specs are :data:`PARTNERS`, :data:`PLEDGES`, :data:`INSTALMENTS` and :data:`RATES`.
Nothing here reaches into the books: whether a partner or edition exists is the caller's check.
openpyxl and XlsxWriter are imported only when an XLSX file is read or written.
"""

from wsis_funding.imports.sheets.errors import SpreadsheetRejected
from wsis_funding.imports.sheets.kinds import (
    INSTALMENTS,
    PARTNERS,
    PLEDGES,
    RATES,
    Column,
    SheetSpec,
    describe,
)
from wsis_funding.imports.sheets.model import (
    Imported,
    InstalmentRow,
    PartnerRow,
    PledgeRow,
    Problem,
    RateRow,
    Source,
)
from wsis_funding.imports.sheets.reading import read_partners, read_pledges, read_rates
from wsis_funding.imports.sheets.writing import (
    write_partners,
    write_pledges,
    write_rates,
    write_templates,
)

__all__ = [
    "INSTALMENTS",
    "PARTNERS",
    "PLEDGES",
    "RATES",
    "Column",
    "Imported",
    "InstalmentRow",
    "PartnerRow",
    "PledgeRow",
    "Problem",
    "RateRow",
    "SheetSpec",
    "Source",
    "SpreadsheetRejected",
    "describe",
    "read_partners",
    "read_pledges",
    "read_rates",
    "write_partners",
    "write_pledges",
    "write_rates",
    "write_templates",
]
