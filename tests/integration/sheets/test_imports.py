"""Spreadsheet imports into the books: all or nothing, dry runs, what they post, progress."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest

from tests.factories import Books, snapshot
from tests.unit.imports import table, write_csv, write_xlsx
from wsis_funding.errors import SpreadsheetRejected, TransactionInProgress
from wsis_funding.imports.sheets import Problem
from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.money import money
from wsis_funding.services import ImportReport
from wsis_funding.tiers import Tier

PLEDGE = {
    "partner": "ACME",
    "edition": "WSIS2024",
    "amount": "20000.00",
    "currency": "CHF",
    "signed_on": "2024-03-01",
    "tier": "supporting",
}


def partner_row(n: int) -> dict[str, object]:
    return {
        "legal_name": f"Partner {n} SA",
        "short_name": f"P{n:03d}",
        "country": "CH",
        "stakeholder_type": "private_sector",
        "language": ("en", "fr", "es", "ar", "zh", "ru")[n % 6],
        "street": "Route de Meyrin",
        "building_number": str(n),
        "postcode": "1217",
        "town": "Meyrin",
        "address_country": "CH",
    }


def pledge_rows(n: int) -> list[dict[str, object]]:
    return [{**PLEDGE, "ref": f"R{i}", "amount": f"{20000 + i}.50"} for i in range(n)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_bad_row_among_500_good_ones_writes_nothing(
    books: Books, tmp_path: Path, fmt: str
) -> None:
    partners = [partner_row(n) for n in range(500)]
    partners[321]["country"] = "Suisse"
    pledges = pledge_rows(500)
    pledges[444]["partner"] = "NOBODY"
    if fmt == "csv":
        p_file = write_csv(tmp_path / "partners.csv", table("partners", *partners))
        pl_file = write_csv(tmp_path / "pledges.csv", table("pledges", *pledges))
    else:
        p_file = write_xlsx(tmp_path / "partners.xlsx", {"partners": table("partners", *partners)})
        pl_file = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": table("pledges", *pledges)})
    before = snapshot(books.tracker)
    with pytest.raises(SpreadsheetRejected) as info:
        books.tracker.import_partners(p_file)
    assert [(p.row, p.column) for p in info.value.problems] == [(323, "country")]
    with pytest.raises(SpreadsheetRejected) as info:
        books.tracker.import_pledges(pl_file)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [(446, "partner", "NOBODY")]
    assert snapshot(books.tracker) == before


def test_a_dry_run_writes_nothing_and_reports_what_the_import_would_do(
    books: Books, tmp_path: Path
) -> None:
    partners = write_csv(
        tmp_path / "partners.csv", table("partners", *(partner_row(n) for n in range(3)))
    )
    before = snapshot(books.tracker)
    dry = books.tracker.import_partners(partners, dry_run=True)
    assert dry == ImportReport(kind="partners", file="partners.csv", rows=3, added=3, dry_run=True)
    assert snapshot(books.tracker) == before
    real = books.tracker.import_partners(partners)
    # (PostgreSQL's sequences do not roll back: the ids a dry run drew are not reused.)
    assert attrs.evolve(real, ids=()) == attrs.evolve(dry, dry_run=False)
    assert [books.tracker.partner(i).short_name for i in real.ids] == ["P000", "P001", "P002"]
    rows = [{**PLEDGE, "ref": "A", "partner": "P000"}, {**PLEDGE, "ref": "B", "confirm": "no"}]
    pledges = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": table("pledges", *rows)})
    before = snapshot(books.tracker)
    dry = books.tracker.import_pledges(pledges, dry_run=True)
    assert (dry.rows, dry.added, dry.confirmed, dry.dry_run, dry.ids) == (2, 2, 1, True, ())
    assert snapshot(books.tracker) == before
    # A dry run still refuses what the real import would refuse, and still writes nothing.
    rows[1]["partner"] = "NOBODY"
    bad = write_xlsx(tmp_path / "bad.xlsx", {"pledges": table("pledges", *rows)})
    with pytest.raises(SpreadsheetRejected):
        books.tracker.import_pledges(bad, dry_run=True)
    assert snapshot(books.tracker) == before


def test_imported_pledges_are_stored_confirmed_and_posted_as_the_file_says(
    books: Books, tmp_path: Path
) -> None:
    t = books.tracker
    rows = [
        {**PLEDGE, "ref": "usd", "amount": "60000.00", "currency": "USD", "tier": "contributing"},
        {**PLEDGE, "ref": "draft", "amount": "25000.00", "confirm": "no"},
        {**PLEDGE, "ref": "chf", "amount": "100000.00", "tier": "gold"},
    ]
    instalments = [
        {"pledge_ref": "chf", "due_on": "2024-04-01", "amount": "60000.00"},
        {"pledge_ref": "chf", "due_on": "2024-09-30", "amount": "40000.00"},
    ]
    path = write_xlsx(
        tmp_path / "pledges.xlsx",
        {"pledges": table("pledges", *rows), "instalments": table("instalments", *instalments)},
    )
    report = t.import_pledges(path)
    assert (report.rows, report.added, report.confirmed) == (3, 3, 2)
    usd, draft, chf = (t.pledge(i) for i in report.ids)
    # USD 60000.00 signed 2024-03-01, when the USD rate to CHF is 0.88 (tests.factories).
    usd_base = (Decimal("60000.00") * Decimal("0.88")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert usd_base == Decimal("52800.00")
    assert (usd.status, usd.amount, usd.base_amount) == (
        PledgeStatus.CONFIRMED,
        money("60000.00", "USD"),
        money(usd_base, "CHF"),
    )
    assert usd.rate is not None
    assert (usd.rate.rate, usd.rate.effective) == (Decimal("0.88"), dt.date(2024, 3, 1))
    assert draft.status is PledgeStatus.DRAFT
    assert [(i.due_on, i.amount) for i in chf.instalments] == [
        (dt.date(2024, 4, 1), money("60000.00", "CHF")),
        (dt.date(2024, 9, 30), money("40000.00", "CHF")),
    ]
    assert [(i.due_on, i.amount) for i in usd.instalments] == [
        (dt.date(2024, 3, 1), money("60000.00", "USD"))
    ]
    # Gold (150000) is reached by the file as a whole: 52800.00 + 100000.00 CHF confirmed.
    standing = t.standing(books.pid, "WSIS2024")
    assert standing.committed == money(usd_base + Decimal("100000.00"), "CHF")
    assert standing.tier is Tier.GOLD
    assert t.balance(f"receivable:{books.pid}").amounts == {
        "USD": money("60000.00", "USD"),
        "CHF": money("100000.00", "CHF"),
    }
    assert t.verify() == []


def test_a_declared_tier_counts_the_whole_file_whatever_the_row_order(
    books: Books, tmp_path: Path
) -> None:
    # The first row alone would not reach gold; with the second it does.
    rows = [
        {**PLEDGE, "ref": "small", "amount": "20000.00", "tier": "gold"},
        {**PLEDGE, "ref": "large", "amount": "130000.00", "tier": "supporting"},
    ]
    path = write_csv(tmp_path / "pledges.csv", table("pledges", *rows))
    report = books.tracker.import_pledges(path)
    assert report.confirmed == 2
    assert books.tracker.standing(books.pid, "WSIS2024").tier is Tier.GOLD


def test_a_partner_or_rate_the_books_hold_unchanged_is_skipped(
    books: Books, tmp_path: Path
) -> None:
    partners = write_csv(
        tmp_path / "partners.csv", table("partners", partner_row(1), partner_row(2))
    )
    assert books.tracker.import_partners(partners).added == 2
    again = write_csv(
        tmp_path / "again.csv", table("partners", partner_row(1), partner_row(2), partner_row(3))
    )
    report = books.tracker.import_partners(again)
    assert (report.added, report.skipped, len(report.ids)) == (1, 2, 1)
    rates = [
        # USD 0.88 from 2024-03-01 is in the books already (tests.factories).
        {"from_currency": "USD", "to_currency": "CHF", "rate": "0.88",
         "effective": "2024-03-01", "source": "UN operational rate of exchange"},
        {"from_currency": "USD", "to_currency": "CHF", "rate": "0.8912",
         "effective": "2024-05-01", "source": "UN operational rate 2024-05"},
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "rates.xlsx", {"rates": table("rates", *rates)})
    report = books.tracker.import_rates(path)
    assert (report.rows, report.added, report.skipped) == (2, 1, 1)


def test_csv_with_bom_and_semicolons_and_xlsx_numbers_and_dates_import_exactly(
    books: Books, tmp_path: Path
) -> None:
    rows = [{**PLEDGE, "ref": "a", "amount": "20000.10"}]
    path = write_csv(tmp_path / "p.csv", table("pledges", *rows), delimiter=";", bom=True)
    (pledge_id,) = books.tracker.import_pledges(path).ids
    assert books.tracker.pledge(pledge_id).amount == money("20000.10", "CHF")
    # A real XLSX number cell (a binary float) and a real date cell.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "pledges"
    sheet.append(list(table("pledges")[0]))
    values = {**PLEDGE, "ref": "b", "amount": 20000.1, "signed_on": dt.datetime(2024, 3, 1)}
    sheet.append([values.get(str(name)) for name in table("pledges")[0]])
    book.save(tmp_path / "p.xlsx")
    (pledge_id,) = books.tracker.import_pledges(tmp_path / "p.xlsx").ids
    pledge = books.tracker.pledge(pledge_id)
    assert (pledge.amount, pledge.signed_on) == (money("20000.10", "CHF"), dt.date(2024, 3, 1))


def test_progress_is_reported_while_checking_and_writing(books: Books, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pledges.csv", table("pledges", *pledge_rows(2500)))
    calls: list[tuple[str, int, int]] = []
    books.tracker.import_pledges(path, progress=lambda *call: calls.append(call))
    assert calls == [
        ("checking", 1000, 2500),
        ("checking", 2000, 2500),
        ("checking", 2500, 2500),
        ("writing", 1000, 2500),
        ("writing", 2000, 2500),
        ("writing", 2500, 2500),
    ]


def test_an_import_inside_a_transaction_undoes_only_itself_when_refused(
    books: Books, tmp_path: Path
) -> None:
    good = write_csv(tmp_path / "good.csv", table("partners", partner_row(7)))
    bad = write_csv(tmp_path / "bad.csv", table("partners", {**partner_row(8), "country": "??"}))
    with books.tracker.transaction() as tx:
        assert tx.import_partners(good).added == 1
        with pytest.raises(SpreadsheetRejected):
            tx.import_partners(bad)
        with pytest.raises(TransactionInProgress):
            books.tracker.import_partners(good)
    assert [p.short_name for p in books.tracker.partners()] == ["ACME", "P007"]


def test_a_rejection_carries_every_problem_and_names_them(books: Books, tmp_path: Path) -> None:
    rows = [{**PLEDGE, "ref": f"R{i}", "partner": f"NOBODY{i}"} for i in range(25)]
    path = write_csv(tmp_path / "pledges.csv", table("pledges", *rows))
    with pytest.raises(SpreadsheetRejected) as info:
        books.tracker.import_pledges(path)
    problems = info.value.problems
    assert len(problems) == 25
    assert problems[0] == Problem(
        file="pledges.csv", sheet=None, row=2, column="partner", value="NOBODY0",
        message="no partner in the books has this short name",
    )  # fmt: skip
    assert str(info.value).splitlines()[0] == "spreadsheet rejected: 25 problem(s)"
    assert str(info.value).splitlines()[-1] == "  ... and 5 more"
