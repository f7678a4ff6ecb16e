"""Import, export, import again: the same books, and the same books give the same bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.databases import database
from tests.factories import make_edition
from tests.unit.imports import table, write_csv, write_xlsx
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker

PARTNERS = [
    {
        "legal_name": name, "short_name": short, "country": country,
        "stakeholder_type": kind, "language": lang, "street": street,
        "building_number": number, "postcode": postcode, "town": town,
        "address_country": country, "tax_id": tax, "contact_email": email,
    }
    for name, short, country, kind, lang, street, number, postcode, town, tax, email in (
        ("International Telecommunication Union", "ITU", "CH", "international_organization",
         "fr", "Place des Nations", "2", "1211", "Genève", "", "wsis@itu.int"),
        ("وزارة الاتصالات", "MCIT", "EG", "government", "ar", "Smart Village", "B4", "12577",
         "Giza", "EG-100-200", ""),
        ("数字丝路科技有限公司", "DSR", "CN", "private_sector", "zh", "Jianguo Road", "88",
         "100022", "Beijing", "", "finance@dsr.example"),
    )
]  # fmt: skip
RATES = [
    {"from_currency": code, "to_currency": "CHF", "rate": rate, "effective": day,
     "source": f"UN operational rate {day[:7]}"}
    for code, rate, day in (
        ("USD", "0.8840", "2024-01-01"), ("USD", "0.9015", "2024-02-01"),
        ("JPY", "0.005912", "2024-02-01"), ("KWD", "2.8734", "2024-02-01"),
    )
]  # fmt: skip
PLEDGES = [
    {"ref": "itu", "partner": "ITU", "edition": "WSIS2024", "amount": "160000.00",
     "currency": "CHF", "signed_on": "2024-01-22", "tier": "gold"},
    {"ref": "mcit", "partner": "MCIT", "edition": "WSIS2024", "amount": "12500.250",
     "currency": "KWD", "signed_on": "2024-02-05", "tier": "supporting"},
    {"ref": "dsr", "partner": "DSR", "edition": "WSIS2024", "amount": "9000000",
     "currency": "JPY", "signed_on": "2024-02-10", "package": "HACKATHON",
     "discount_reason": "first sponsor"},
    {"ref": "draft", "partner": "DSR", "edition": "WSIS2024", "amount": "30000.00",
     "currency": "USD", "signed_on": "2024-02-12", "tier": "contributing", "confirm": "no"},
]  # fmt: skip
INSTALMENTS = [
    {"pledge_ref": "itu", "due_on": "2024-03-01", "amount": "80000.00"},
    {"pledge_ref": "itu", "due_on": "2024-06-01", "amount": "80000.00"},
    {"pledge_ref": "mcit", "due_on": "2024-04-30", "amount": "12500.250"},
]


@pytest.fixture(params=["sqlite", "postgresql"])
def two_books(request: pytest.FixtureRequest) -> Iterator[tuple[Tracker, Tracker]]:
    """Two empty books on one engine, each with the edition WSIS2024."""
    with (
        database(request.param) as first,
        database(request.param) as second,
        open_tracker(first) as a,
        open_tracker(second) as b,
    ):
        a.add_edition(make_edition())
        b.add_edition(make_edition())
        yield a, b


def state(t: Tracker) -> dict[str, Any]:
    """What the books hold of partners, rates and pledges, and the balances they posted."""
    names = {p.id: p.short_name for p in t.partners() if p.id is not None}
    pledges = []
    for pid in names:
        for p in t.partner_pledges(pid):
            pledges.append(
                (names[p.partner_id], p.edition_code, p.amount, p.base_amount, p.status,
                 p.signed_on, p.rate, p.tier, p.package, p.discount_reason,
                 [(i.due_on, i.amount, i.seq) for i in p.instalments])
            )  # fmt: skip
    return {
        "partners": [(p.id, p.short_name, p) for p in t.partners()],
        "pledges": sorted(pledges, key=repr),
        "receivables": {n: t.balance(f"receivable:{i}").amounts for i, n in names.items()},
        "revenue": t.revenue("WSIS2024"),
        "standing": {n: t.standing(i, "WSIS2024").committed for i, n in names.items()},
    }


def exports(t: Tracker, folder: Path, fmt: str) -> dict[str, bytes]:
    folder.mkdir()
    if fmt == "xlsx":
        files = [t.export_partners(folder / "partners.xlsx"), t.export_rates(folder / "rates.xlsx")]
        files += t.export_pledges(folder / "pledges.xlsx")
    else:
        files = [t.export_partners(folder / "partners.csv"), t.export_rates(folder / "rates.csv")]
        files += t.export_pledges(folder / "pledges.csv", folder / "instalments.csv")
    return {f.name: f.read_bytes() for f in files}


def import_folder(t: Tracker, folder: Path, fmt: str) -> None:
    t.import_partners(folder / f"partners.{fmt}")
    t.import_rates(folder / f"rates.{fmt}")
    second = folder / "instalments.csv" if fmt == "csv" else None
    t.import_pledges(folder / f"pledges.{fmt}", instalments=second)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_then_export_then_import_gives_the_same_books(
    two_books: tuple[Tracker, Tracker], tmp_path: Path, fmt: str
) -> None:
    first, second = two_books
    source = tmp_path / "source"
    source.mkdir()
    write_csv(source / "partners.csv", table("partners", *PARTNERS))
    write_xlsx(source / "rates.xlsx", {"rates": table("rates", *RATES)})
    write_xlsx(
        source / "pledges.xlsx",
        {"pledges": table("pledges", *PLEDGES), "instalments": table("instalments", *INSTALMENTS)},
    )
    first.import_partners(source / "partners.csv")
    first.import_rates(source / "rates.xlsx")
    assert first.import_pledges(source / "pledges.xlsx").confirmed == 3
    exported = exports(first, tmp_path / "a", fmt)
    import_folder(second, tmp_path / "a", fmt)
    assert state(second) == state(first)
    assert first.verify() == second.verify() == []
    # The same books give the same bytes: exported again, and from the second books.
    assert exports(first, tmp_path / "b", fmt) == exported
    assert exports(second, tmp_path / "c", fmt) == exported


def test_an_export_leaves_out_cancelled_pledges_and_keeps_amended_schedules(
    two_books: tuple[Tracker, Tracker], tmp_path: Path
) -> None:
    first, second = two_books
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "partners.csv", table("partners", *PARTNERS))
    write_xlsx(tmp_path / "in" / "rates.xlsx", {"rates": table("rates", *RATES)})
    rows = [PLEDGES[0], {**PLEDGES[0], "ref": "gone", "tier": "supporting"}]
    write_xlsx(tmp_path / "in" / "pledges.xlsx", {"pledges": table("pledges", *rows)})
    first.import_partners(tmp_path / "in" / "partners.csv")
    first.import_rates(tmp_path / "in" / "rates.xlsx")
    kept, gone = first.import_pledges(tmp_path / "in" / "pledges.xlsx").ids
    first.cancel(gone, on=dt.date(2024, 2, 1))
    first.amend(
        kept,
        money("170000.00", "CHF"),
        instalments=[
            (dt.date(2024, 3, 1), money("100000.00", "CHF")),
            (dt.date(2024, 5, 1), money("70000.00", "CHF")),
        ],
        on=dt.date(2024, 2, 1),
    )
    exports(first, tmp_path / "out", "xlsx")
    import_folder(second, tmp_path / "out", "xlsx")
    (only,) = second.partner_pledges(1)
    assert only.amount == money("170000.00", "CHF")
    assert [(i.due_on, i.amount) for i in only.instalments] == [
        (dt.date(2024, 3, 1), money("100000.00", "CHF")),
        (dt.date(2024, 5, 1), money("70000.00", "CHF")),
    ]
