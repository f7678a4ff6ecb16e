"""Write partners, pledges and rates to XLSX or CSV, so that reading them gives equal records.

XLSX (XlsxWriter): amounts are real numbers with a number format showing the currency's
decimals, dates are real dates formatted YYYY-MM-DD, text is always a text cell (never turned
into a number or formula). Each data sheet has a note on every header cell, a drop-down list
for each column with fixed choices, and an ``about`` sheet that documents every column. The
output is byte-identical for the same records: the workbook's created date is fixed and
XlsxWriter's in-memory mode stamps every zip entry 1980-01-01.

CSV: UTF-8 with a byte-order mark (so that spreadsheet programs show accents right), comma
separated, CRLF line ends, quoted where needed; amounts with exactly the currency's decimals.

Spreadsheet numbers are binary floats with 15 significant decimal digits: an amount or rate
with more significant digits cannot be written to XLSX exactly and is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from moneyed import Money

from wsis_funding.imports.sheets.kinds import (
    INSTALMENTS,
    PARTNERS,
    PLEDGES,
    RATES,
    RULES,
    SheetSpec,
    describe,
)
from wsis_funding.imports.sheets.model import PartnerRow, PledgeRow, RateRow
from wsis_funding.money.core import from_minor, minor_unit_exponent, to_minor
from wsis_funding.money.errors import InvalidAmount

__all__ = ["CREATED", "write_partners", "write_pledges", "write_rates", "write_templates"]

PathLike = str | os.PathLike[str]
Value = str | Money | Decimal | dt.date | None
Rows = list[tuple[Value, ...]]

#: The created date stamped in every workbook, so the same records give the same bytes.
CREATED: Final = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_EXCEL_DIGITS: Final = 15
_LAST_ROW: Final = 1_048_575


def _partner(r: PartnerRow) -> tuple[Value, ...]:
    a = r.address
    return (
        r.legal_name,
        r.short_name,
        r.country,
        r.stakeholder_type.value,
        r.language.value,
        a.street,
        a.building_number,
        a.postcode,
        a.town,
        a.country,
        r.tax_id,
        r.contact_email,
    )


def _pledge(r: PledgeRow) -> tuple[Value, ...]:
    tier = None if r.tier is None else r.tier.value
    confirm = "yes" if r.confirm else "no"
    return (r.ref, r.partner, r.edition, r.amount, r.currency, r.signed_on, tier, r.package,
            r.discount_reason, confirm)  # fmt: skip


def _instalments(records: Sequence[PledgeRow]) -> Rows:
    # The single instalment implied by a pledge without instalment rows is not written.
    return [
        (r.ref, i.due_on, i.amount) for r in records for i in r.instalments if i.row is not None
    ]


def _rate(r: RateRow) -> tuple[Value, ...]:
    return (r.from_currency, r.to_currency, r.rate, r.effective, r.source)


def _exact_text(value: Money | Decimal) -> str:
    """Return the amount with exactly its currency's decimals (a rate as is), never 1E+3."""
    if isinstance(value, Money):
        code = str(value.currency.code)
        return format(from_minor(to_minor(value), code).amount, "f")
    return format(value, "f")


def _float(value: Money | Decimal) -> float:  # float-ok: XLSX numbers are floats
    number = value.amount if isinstance(value, Money) else value
    if isinstance(value, Money):
        to_minor(value)  # refuses more decimals than the currency has
    if len(number.normalize().as_tuple().digits) > _EXCEL_DIGITS:
        raise InvalidAmount(
            number, "more than 15 significant digits: a spreadsheet number cannot hold it exactly"
        )
    return float(number)  # float-ok: exact for 15 significant digits (read back via repr)


# --- CSV -------------------------------------------------------------------------------


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return _exact_text(value)


def _write_csv(path: Path, spec: SheetSpec, rows: Rows) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(spec.names)
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return path


# --- XLSX ------------------------------------------------------------------------------


def _note(spec: SheetSpec, name: str) -> str:
    column = spec.column(name)
    need = "Required" if column.required else "Optional"
    return f"{need}. {column.type}.\n{column.meaning}"


class _Formats:
    """The workbook's cell formats, made once each (XlsxWriter numbers formats in order)."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.rate = book.add_format({"num_format": "0.0#########"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._amounts: dict[int, Any] = {}

    def amount(self, code: str) -> Any:
        exponent = minor_unit_exponent(code)
        if exponent not in self._amounts:
            decimals = "." + "0" * exponent if exponent else ""
            self._amounts[exponent] = self._book.add_format({"num_format": f"#,##0{decimals}"})
        return self._amounts[exponent]


def _write_sheet(book: Any, formats: _Formats, spec: SheetSpec, rows: Rows) -> None:
    sheet = book.add_worksheet(spec.name)
    sheet.freeze_panes(1, 0)
    for col, column in enumerate(spec.columns):
        sheet.set_column(col, col, max(14, len(column.name) + 4))
        sheet.write_string(0, col, column.name, formats.header)
        sheet.write_comment(0, col, _note(spec, column.name), {"x_scale": 2.5, "y_scale": 1.5})
        if column.choices:
            sheet.data_validation(
                1,
                col,
                _LAST_ROW,
                col,
                {
                    "validate": "list",
                    "source": list(column.choices),
                    "error_title": column.name,
                    "error_message": f"One of: {', '.join(column.choices)}",
                },
            )
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, col, value)
            elif isinstance(value, Money):
                sheet.write_number(r, col, _float(value), formats.amount(str(value.currency.code)))
            elif isinstance(value, Decimal):
                sheet.write_number(r, col, _float(value), formats.rate)
            else:
                sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), formats.date)


def _write_about(book: Any, formats: _Formats, specs: Sequence[SheetSpec]) -> None:
    sheet = book.add_worksheet("about")
    widths = (14, 18, 10, 48, 60)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, formats.wrap)
    for col, title in enumerate(("sheet", "column", "required", "type", "meaning")):
        sheet.write_string(0, col, title, formats.header)
    r = 1
    for spec in specs:
        sheet.write_string(r, 0, spec.name)
        sheet.write_string(r, 4, spec.summary)
        r += 1
        for column in spec.columns:
            cells = (spec.name, column.name, "yes" if column.required else "no")
            for col, text in enumerate((*cells, column.type, column.meaning)):
                sheet.write_string(r, col, text)
            r += 1
    r += 1
    sheet.write_string(r, 0, " ".join(RULES))


def _write_xlsx(path: Path, sheets: Sequence[tuple[SheetSpec, Rows]]) -> Path:
    import xlsxwriter  # XlsxWriter ships no type hints: see [tool.mypy] overrides

    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    book = xlsxwriter.Workbook(str(path), options)
    book.set_properties({"title": f"WSIS Fund in Trust: {sheets[0][0].name}", "created": CREATED})
    formats = _Formats(book)
    for spec, rows in sheets:
        _write_sheet(book, formats, spec, rows)
    _write_about(book, formats, [spec for spec, _ in sheets])
    book.close()
    return path


def _is_xlsx(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{path.name}: write to a .csv or .xlsx file")
    return suffix == ".xlsx"


def _write(
    path: PathLike, spec: SheetSpec, items: Iterable[Any], cells: Callable[[Any], tuple[Value, ...]]
) -> Path:
    target = Path(path)
    rows = [cells(item) for item in items]
    if _is_xlsx(target):
        return _write_xlsx(target, [(spec, rows)])
    return _write_csv(target, spec, rows)


def write_partners(records: Iterable[PartnerRow], path: PathLike) -> Path:
    """Write partner records to ``path`` (.xlsx or .csv, by its suffix); return the path.

    Raises ``ValueError`` for another suffix and ``OSError`` if the file cannot be written.
    """
    return _write(path, PARTNERS, records, _partner)


def write_rates(records: Iterable[RateRow], path: PathLike) -> Path:
    """Write exchange rate records to ``path`` (.xlsx or .csv); return the path.

    Raises ``ValueError`` for another suffix and :class:`InvalidAmount` for a rate of more
    than 15 significant digits in an XLSX file.
    """
    return _write(path, RATES, records, _rate)


def write_pledges(
    records: Iterable[PledgeRow], path: PathLike, instalments: PathLike | None = None
) -> tuple[Path, ...]:
    """Write pledge records with their instalments; return the paths written.

    To .xlsx: one workbook with a pledges and an instalments sheet (``instalments`` must be
    None). To .csv: the pledges to ``path`` and the instalments to ``instalments``, which is
    then required. Only instalments that came from instalment rows are written: the single
    instalment implied by a pledge without them is implied again when the file is read.
    Raises ``ValueError`` for a wrong suffix or instalments argument, and
    :class:`InvalidAmount` for an amount that a spreadsheet number cannot hold exactly.
    """
    target = Path(path)
    items = list(records)
    rows = [_pledge(r) for r in items]
    if _is_xlsx(target):
        if instalments is not None:
            raise ValueError("an .xlsx pledges file holds its instalments on its own sheet")
        return (_write_xlsx(target, [(PLEDGES, rows), (INSTALMENTS, _instalments(items))]),)
    if instalments is None:
        raise ValueError("a .csv pledges file needs a second .csv file for its instalments")
    second = Path(instalments)
    if _is_xlsx(second):
        raise ValueError("write the instalments of a .csv pledges file to a .csv file")
    return (_write_csv(target, PLEDGES, rows), _write_csv(second, INSTALMENTS, _instalments(items)))


def write_templates(folder: PathLike) -> tuple[Path, ...]:
    """Write empty, documented template files for every kind into ``folder``; return them.

    For each kind an XLSX workbook (header row with a note on each column, drop-down lists
    for columns with fixed choices, an ``about`` sheet) and CSV files with the header line
    (``pledges.csv`` with ``instalments.csv``), plus ``README.md`` with the column specs.
    Reading any of them gives no record and no problem. Creates ``folder`` if needed.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = [
        write_partners([], target / "partners.xlsx"),
        write_partners([], target / "partners.csv"),
        *write_pledges([], target / "pledges.xlsx"),
        *write_pledges([], target / "pledges.csv", target / "instalments.csv"),
        write_rates([], target / "rates.xlsx"),
        write_rates([], target / "rates.csv"),
    ]
    readme = target / "README.md"
    readme.write_text(describe(), encoding="utf-8")
    return (*written, readme)
