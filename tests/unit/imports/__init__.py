"""Tests of the spreadsheet imports; this module holds their sample rows and file writers.

The sample files are written here with the csv module and openpyxl (standing in for the other
tools that finance officers' files come from), never with the writers under test.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

PARTNER_HEADER = (
    "legal_name",
    "short_name",
    "country",
    "stakeholder_type",
    "language",
    "street",
    "building_number",
    "postcode",
    "town",
    "address_country",
    "tax_id",
    "contact_email",
)
PLEDGE_HEADER = (
    "ref",
    "partner",
    "edition",
    "amount",
    "currency",
    "signed_on",
    "tier",
    "package",
    "discount_reason",
    "confirm",
)
INSTALMENT_HEADER = ("pledge_ref", "due_on", "amount")
RATE_HEADER = ("from_currency", "to_currency", "rate", "effective", "source")

ITU = {
    "legal_name": "International Telecommunication Union",
    "short_name": "ITU",
    "country": "CH",
    "stakeholder_type": "international_organization",
    "language": "fr",
    "street": "Place des Nations",
    "building_number": "2",
    "postcode": "1211",
    "town": "Genève",
    "address_country": "CH",
    "tax_id": "",
    "contact_email": "wsis@itu.int",
}
MINISTRY = {
    "legal_name": "وزارة الاتصالات",
    "short_name": "MCIT",
    "country": "EG",
    "stakeholder_type": "government",
    "language": "ar",
    "street": "Smart Village",
    "building_number": "B4",
    "postcode": "12577",
    "town": "Giza",
    "address_country": "EG",
    "tax_id": "EG-100-200",
    "contact_email": "",
}
GOLD = {
    "ref": "P1",
    "partner": "ITU",
    "edition": "WSIS2024",
    "amount": "1000.00",
    "currency": "CHF",
    "signed_on": "2024-03-01",
    "tier": "gold",
    "package": "",
    "discount_reason": "",
    "confirm": "",
}
HACKATHON = {
    "ref": "P2",
    "partner": "MCIT",
    "edition": "WSIS2024",
    "amount": "250000",
    "currency": "JPY",
    "signed_on": "2024-03-15",
    "tier": "",
    "package": "hackathon",
    "discount_reason": "early sponsor",
    "confirm": "no",
}
GOLD_INSTALMENTS = (
    {"pledge_ref": "P1", "due_on": "2024-04-01", "amount": "600.00"},
    {"pledge_ref": "P1", "due_on": "2024-06-01", "amount": "400.00"},
)
USD_CHF = {
    "from_currency": "USD",
    "to_currency": "CHF",
    "rate": "0.8912",
    "effective": "2024-05-01",
    "source": "UN operational rate 2024-05",
}
EUR_CHF = {
    "from_currency": "EUR",
    "to_currency": "CHF",
    "rate": "0.9743",
    "effective": "2024-05-01",
    "source": "UN operational rate 2024-05",
}

HEADERS = {
    "partners": PARTNER_HEADER,
    "pledges": PLEDGE_HEADER,
    "instalments": INSTALMENT_HEADER,
    "rates": RATE_HEADER,
}


def table(kind: str, *rows: Mapping[str, object]) -> list[list[object]]:
    """The header of ``kind`` and ``rows`` in its column order (a missing key is empty)."""
    header = HEADERS[kind]
    return [list(header), *([row.get(name, "") for name in header] for row in rows)]


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",", bom: bool = False
) -> Path:
    """Write ``rows`` as a UTF-8 CSV file, as a spreadsheet program would."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """Write a workbook with one sheet per entry, with openpyxl ("" cells are left empty)."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
    book.save(path)
    return path
