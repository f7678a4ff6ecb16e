"""The spreadsheet imports stay light: no database, and the XLSX libraries only when used."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("openpyxl", "xlsxwriter", "sqlalchemy", "weasyprint", "jinja2", "psycopg")


def test_importing_the_sheet_readers_loads_no_xlsx_library_or_database() -> None:
    code = (
        "import sys, wsis_funding.imports.sheets\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
