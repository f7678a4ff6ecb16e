"""Every bad row of an import is reported where the user finds it, and nothing is written.

Each case is a file of three rows whose middle one (row 3) is bad, in CSV and in XLSX; the
import is refused with exactly one problem naming the file, sheet (none for CSV), row,
column, value and what is wrong, and the books are exactly as they were. The cases cover
what the file itself gets wrong and what only the books can refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import pytest

from tests.factories import Books, snapshot
from tests.unit.imports import table, write_csv, write_xlsx
from wsis_funding.errors import SpreadsheetRejected
from wsis_funding.imports.sheets import Problem

Row = Mapping[str, object]
TOTO_PA = "\U0001e290"  # no installed font draws it

PARTNER = {
    "legal_name": "Globex AG",
    "short_name": "GLOBEX",
    "country": "CH",
    "stakeholder_type": "private_sector",
    "language": "en",
    "street": "Bahnhofstrasse",
    "building_number": "1",
    "postcode": "8001",
    "town": "Zürich",
    "address_country": "CH",
}
PLEDGE = {
    "ref": "P",
    "partner": "ACME",
    "edition": "WSIS2024",
    "amount": "20000.00",
    "currency": "CHF",
    "signed_on": "2024-03-01",
    "tier": "supporting",
}
ACME = {  # the books' partner ACME (tests.factories), field for field
    "legal_name": "ACME Corporation",
    "short_name": "ACME",
    "country": "CH",
    "stakeholder_type": "private_sector",
    "language": "fr",
    "street": "Place des Nations",
    "building_number": "1",
    "postcode": "1211",
    "town": "Geneve",
    "address_country": "CH",
    "tax_id": "CHE-123.456.789",
    "contact_email": "finance@example.org",
}
RATE = {
    "from_currency": "USD",
    "to_currency": "CHF",
    "rate": "0.91",
    "effective": "2024-05-01",
    "source": "UN operational rate 2024-05",
}


@attrs.frozen
class Case:
    """Three rows of ``kind`` (the middle one bad) and the problem expected on row 3."""

    kind: str
    rows: Sequence[Row]
    column: str
    value: str
    message: str
    instalments: Sequence[Row] = ()
    sheet: str | None = None  # the XLSX sheet of the problem, when not the kind's own


def partners(bad: Row) -> list[Row]:
    return [
        {**PARTNER, "short_name": "GLOBEX", "legal_name": "Globex AG"},
        {**PARTNER, **bad},
        {**PARTNER, "short_name": "INITECH", "legal_name": "Initech SA"},
    ]


def pledges(bad: Row, first: Row | None = None) -> list[Row]:
    return [
        {**PLEDGE, "ref": "P1", **(first or {})},
        {**PLEDGE, "ref": "P2", **bad},
        {**PLEDGE, "ref": "P3"},
    ]


def rates(bad: Row) -> list[Row]:
    return [
        {**RATE, "effective": "2024-06-01"},
        {**RATE, **bad},
        {**RATE, "effective": "2024-07-01"},
    ]


NO_TIER = {"tier": ""}
CASES = {
    # what the file gets wrong
    "partner country not ISO": Case(
        "partners", partners({"short_name": "X", "country": "Switzerland"}),
        "country", "Switzerland", "not an ISO 3166 two-letter country code",
    ),
    "pledge amount with too many decimals": Case(
        "pledges", pledges({"amount": "20000.005"}),
        "amount", "20000.005", "CHF has 2 decimal(s); 20000.005 has more",
    ),
    "pledge signed on no real date": Case(
        "pledges", pledges({"signed_on": "2024-02-30"}),
        "signed_on", "2024-02-30", "not a real date: 2024-02-30",
    ),
    "instalment due before signing": Case(
        "pledges", pledges({}),
        "due_on", "2024-02-01", "due before the pledge was signed (2024-03-01, pledges row 3)",
        instalments=[
            {"pledge_ref": "P1", "due_on": "2024-03-01", "amount": "20000.00"},
            {"pledge_ref": "P2", "due_on": "2024-02-01", "amount": "20000.00"},
        ],
        sheet="instalments",
    ),
    "rate of zero": Case(
        "rates", rates({"rate": "0"}), "rate", "0", "an exchange rate must be above zero",
    ),
    # what only the books can refuse
    "partner short name held by another partner": Case(
        "partners", partners({**ACME, "legal_name": "Acme Holding"}),
        "short_name", "ACME",
        "partner 1 'ACME' (ACME Corporation) in the books has this short name, with other "
        "legal_name; correct a stored partner with update_partner",
    ),
    "partner short name twice once width is ignored": Case(
        "partners", partners({"short_name": "ＧＬＯＢＥＸ"}),
        "short_name", "ＧＬＯＢＥＸ",
        "short name already used on row 2 (the same once case, spacing and width are ignored)",
    ),
    "partner name no font draws": Case(
        "partners", partners({"short_name": "UMBRELLA", "legal_name": f"Umbrella {TOTO_PA}"}),
        "legal_name", f"Umbrella {TOTO_PA}", "U+1E290",
    ),
    "pledge of an unknown partner": Case(
        "pledges", pledges({"partner": "NOBODY"}),
        "partner", "NOBODY", "no partner in the books has this short name",
    ),
    "pledge to an unknown edition": Case(
        "pledges", pledges({"edition": "WSIS2099"}),
        "edition", "WSIS2099", "no edition in the books has this code",
    ),
    "pledge for a package the edition does not offer": Case(
        "pledges", pledges({**NO_TIER, "package": "BALLOON"}),
        "package", "BALLOON", "edition WSIS2024 offers no package 'BALLOON'",
    ),
    "package pledge below its price without a reason": Case(
        "pledges", pledges({**NO_TIER, "package": "HACKATHON", "amount": "30000.00"}),
        "amount", "30000.00",
        "activity package 'HACKATHON' is priced 40000.00 CHF; a pledge below its price needs a "
        "discount_reason",
    ),
    "package sold beyond its capacity": Case(
        "pledges",
        pledges(
            {**NO_TIER, "package": "HACKATHON", "amount": "40000.00"},
            first={**NO_TIER, "package": "HACKATHON", "amount": "40000.00"},
        ),
        "package", "HACKATHON",
        "sold out with the rows above: activity package 'HACKATHON' has capacity 1; 2 would "
        "be sold",
    ),
    "pledge to confirm without a rate": Case(
        "pledges", pledges({"currency": "JPY", "amount": "5000000"}),
        "currency", "JPY",
        "cannot confirm the pledge: no exchange rate JPY->CHF in force on 2024-03-01",
    ),
    "pledge to confirm with a stale rate": Case(
        "pledges", pledges({"currency": "EUR", "signed_on": "2024-06-15"}),
        "currency", "EUR",
        "cannot confirm the pledge: the latest EUR->CHF rate in force on 2024-06-15 is dated "
        "2024-03-01, 106 days old (the books allow 31); add a newer rate or pass a dated rate",
    ),
    "declared tier the partner does not reach": Case(
        "pledges", pledges({"tier": "gold"}),
        "tier", "gold",
        # ACME's three pledges of 20000.00 CHF: 60000.00, Contributing Partner; Gold is 150000.
        "the partner's confirmed pledges in WSIS2024, this file's included, come to 60000.00 "
        "CHF and reach Contributing Partner: 90000.00 CHF short of Strategic Partner Gold",
    ),
    "rate contradicting a stored one": Case(
        "rates", rates({"effective": "2024-03-01", "rate": "0.91"}),
        "rate", "0.91",
        "the books hold 0.88 for USD->CHF effective 2024-03-01 (UN operational rate of "
        "exchange); a stored rate is never changed",
    ),
}  # fmt: skip


def write(kind: str, fmt: str, folder: Path, case: Case) -> tuple[Path, Path | None]:
    """Write the case's rows (and instalments) as ``fmt``; return the file(s) to import."""
    main = folder / f"{kind}.{fmt}"
    if fmt == "xlsx":
        sheets = {kind: table(kind, *case.rows)}
        if case.instalments:
            sheets["instalments"] = table("instalments", *case.instalments)
        return write_xlsx(main, sheets), None
    write_csv(main, table(kind, *case.rows))
    if not case.instalments:
        return main, None
    return main, write_csv(folder / "instalments.csv", table("instalments", *case.instalments))


def run_import(books: Books, kind: str, path: Path, instalments: Path | None) -> object:
    t = books.tracker
    if kind == "partners":
        return t.import_partners(path)
    if kind == "rates":
        return t.import_rates(path)
    return t.import_pledges(path, instalments=instalments)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_row_is_reported_with_its_coordinates_and_nothing_is_written(
    books: Books, tmp_path: Path, name: str, fmt: str
) -> None:
    case = CASES[name]
    path, instalments = write(case.kind, fmt, tmp_path, case)
    before = snapshot(books.tracker)
    with pytest.raises(SpreadsheetRejected) as info:
        run_import(books, case.kind, path, instalments)
    (problem,) = info.value.problems
    in_instalments = case.sheet == "instalments"
    expected_file = "instalments.csv" if in_instalments and fmt == "csv" else path.name
    sheet = (case.sheet or case.kind) if fmt == "xlsx" else None
    assert isinstance(problem, Problem)
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        expected_file,
        sheet,
        3,
        case.column,
        case.value,
    )
    assert case.message in problem.message
    assert snapshot(books.tracker) == before


def test_every_bad_row_is_reported_not_only_the_first(books: Books, tmp_path: Path) -> None:
    rows = [
        {**PLEDGE, "ref": "P1", "partner": "NOBODY"},
        {**PLEDGE, "ref": "P2"},
        {**PLEDGE, "ref": "P3", "edition": "WSIS2099", "currency": "JPY", "amount": "100"},
        {**PLEDGE, "ref": "P4", "amount": "1.001"},
    ]
    path = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": table("pledges", *rows)})
    before = snapshot(books.tracker)
    with pytest.raises(SpreadsheetRejected) as info:
        books.tracker.import_pledges(path)
    # The file's own problem comes alone: rows are checked against the books only once the
    # file is good, so that the two lists never mix half-read rows.
    assert [(p.row, p.column) for p in info.value.problems] == [(5, "amount")]
    rows[3]["amount"] = "1.00"
    path = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": table("pledges", *rows)})
    with pytest.raises(SpreadsheetRejected) as info:
        books.tracker.import_pledges(path)
    assert [(p.row, p.column) for p in info.value.problems] == [
        (2, "partner"),
        (4, "edition"),
        (4, "currency"),
    ]
    assert snapshot(books.tracker) == before
