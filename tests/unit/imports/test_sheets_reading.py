"""Reading CSV and XLSX imports: good files give typed records; every bad cell is reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from moneyed import Money

from tests.unit.imports import (
    EUR_CHF,
    GOLD,
    GOLD_INSTALMENTS,
    HACKATHON,
    ITU,
    MINISTRY,
    USD_CHF,
    table,
    write_csv,
    write_xlsx,
)
from wsis_funding.errors import WsisFundingError
from wsis_funding.imports.sheets import (
    Imported,
    InstalmentRow,
    PartnerRow,
    PledgeRow,
    Problem,
    RateRow,
    SpreadsheetRejected,
    read_partners,
    read_pledges,
    read_rates,
)
from wsis_funding.ledger.model import Address, Language, StakeholderType
from wsis_funding.money import ExchangeRate, currency
from wsis_funding.tiers.model import Tier

Row = Mapping[str, object]


def chf(amount: str) -> Money:
    return Money(Decimal(amount), currency("CHF"))


def read(
    kind: str,
    fmt: str,
    folder: Path,
    rows: Sequence[Row],
    instalments: Sequence[Row] | None = None,
) -> Imported[Any]:
    """Write ``rows`` (and instalments) as ``fmt`` files in ``folder`` and read them back."""
    main = folder / f"{kind}.{fmt}"
    second = None
    if fmt == "csv":
        write_csv(main, table(kind, *rows))
        if instalments is not None:
            second = write_csv(folder / "instalments.csv", table("instalments", *instalments))
    else:
        sheets = {kind: table(kind, *rows)}
        if instalments is not None:
            sheets["instalments"] = table("instalments", *instalments)
        write_xlsx(main, sheets)
    if kind == "partners":
        return read_partners(main)
    if kind == "pledges":
        return read_pledges(main, second)
    return read_rates(main)


def where(kind: str, fmt: str) -> tuple[str, str | None]:
    """The file and sheet a problem of ``kind`` is reported in."""
    if kind == "instalments":
        return ("instalments.csv", None) if fmt == "csv" else ("pledges.xlsx", "instalments")
    return (f"{kind}.{fmt}", None if fmt == "csv" else kind)


FORMATS = pytest.mark.parametrize("fmt", ["csv", "xlsx"])


@FORMATS
def test_good_partners_become_partner_records(fmt: str, tmp_path: Path) -> None:
    result = read("partners", fmt, tmp_path, [ITU, MINISTRY])
    assert result.problems == ()
    assert result.records == (
        PartnerRow(
            row=2,
            legal_name="International Telecommunication Union",
            short_name="ITU",
            country="CH",
            stakeholder_type=StakeholderType.INTERNATIONAL_ORGANIZATION,
            language=Language.FR,
            address=Address(
                street="Place des Nations",
                building_number="2",
                postcode="1211",
                town="Genève",
                country="CH",
            ),
            tax_id=None,
            contact_email="wsis@itu.int",
        ),
        PartnerRow(
            row=3,
            legal_name="وزارة الاتصالات",
            short_name="MCIT",
            country="EG",
            stakeholder_type=StakeholderType.GOVERNMENT,
            language=Language.AR,
            address=Address(
                street="Smart Village",
                building_number="B4",
                postcode="12577",
                town="Giza",
                country="EG",
            ),
            tax_id="EG-100-200",
            contact_email=None,
        ),
    )
    assert result.records[0].to_partner().billing_address.town == "Genève"


@FORMATS
def test_good_pledges_carry_their_instalments_or_one_implied_instalment(
    fmt: str, tmp_path: Path
) -> None:
    result = read("pledges", fmt, tmp_path, [GOLD, HACKATHON], list(GOLD_INSTALMENTS))
    assert result.problems == ()
    yen = Money(Decimal(250000), currency("JPY"))
    assert result.records == (
        PledgeRow(
            row=2,
            ref="P1",
            partner="ITU",
            edition="WSIS2024",
            amount=chf("1000.00"),
            signed_on=dt.date(2024, 3, 1),
            instalments=(
                InstalmentRow(row=2, due_on=dt.date(2024, 4, 1), amount=chf("600.00")),
                InstalmentRow(row=3, due_on=dt.date(2024, 6, 1), amount=chf("400.00")),
            ),
            tier=Tier.GOLD,
            confirm=True,
        ),
        PledgeRow(
            row=3,
            ref="P2",
            partner="MCIT",
            edition="WSIS2024",
            amount=yen,
            signed_on=dt.date(2024, 3, 15),
            instalments=(InstalmentRow(row=None, due_on=dt.date(2024, 3, 15), amount=yen),),
            package="hackathon",
            discount_reason="early sponsor",
            confirm=False,
        ),
    )
    assert result.records[1].currency == "JPY"


@FORMATS
def test_good_rates_become_rate_records(fmt: str, tmp_path: Path) -> None:
    result = read("rates", fmt, tmp_path, [USD_CHF, EUR_CHF])
    assert result.problems == ()
    assert result.records == (
        RateRow(
            row=2,
            from_currency="USD",
            to_currency="CHF",
            rate=Decimal("0.8912"),
            effective=dt.date(2024, 5, 1),
            source="UN operational rate 2024-05",
        ),
        RateRow(
            row=3,
            from_currency="EUR",
            to_currency="CHF",
            rate=Decimal("0.9743"),
            effective=dt.date(2024, 5, 1),
            source="UN operational rate 2024-05",
        ),
    )
    assert result.records[0].to_exchange_rate() == ExchangeRate(
        from_currency="USD",
        to_currency="CHF",
        rate=Decimal("0.8912"),
        effective=dt.date(2024, 5, 1),
        source="UN operational rate 2024-05",
    )


TIERS = "platinum, gold_plus, gold, contributing, supporting"
GROUPS = (
    "government, private_sector, civil_society, academia, technical_community, "
    "international_organization"
)
# (kind of the changed row, changes to it, sheet of the problem, row, column, value, says)
BAD_ROWS: list[tuple[str, dict[str, str], str, int, str, str, str]] = [
    ("partners", {"country": "Switzerland"}, "partners", 3, "country", "Switzerland",
     "not an ISO 3166 two-letter country code"),
    ("partners", {"address_country": "ch"}, "partners", 3, "address_country", "ch", "write CH"),
    ("partners", {"stakeholder_type": "ngo"}, "partners", 3, "stakeholder_type", "ngo",
     f"not one of: {GROUPS}"),
    ("partners", {"language": "de"}, "partners", 3, "language", "de",
     "not one of: ar, zh, en, fr, ru, es"),
    ("partners", {"legal_name": ""}, "partners", 3, "legal_name", "", "required"),
    ("partners", {"postcode": ""}, "partners", 3, "postcode", "", "required"),
    ("partners", {"short_name": "itu"}, "partners", 3, "short_name", "itu",
     "short name already used on row 2"),
    ("partners", {"contact_email": "wsis at itu"}, "partners", 3, "contact_email", "wsis at itu",
     "not an e-mail address"),
    ("pledges", {"amount": "1,234.50"}, "pledges", 3, "amount", "1,234.50",
     "thousands separators are not allowed: write 1234.50"),
    ("pledges", {"amount": "1'234.50"}, "pledges", 3, "amount", "1'234.50",
     "thousands separators are not allowed: write 1234.50"),
    ("pledges", {"amount": "12.345"}, "pledges", 3, "amount", "12.345",
     "CHF has 2 decimal(s); 12.345 has more"),
    ("pledges", {"amount": "1234,50"}, "pledges", 3, "amount", "1234,50",
     "decimals take a point, not a comma: write 1234.50"),
    ("pledges", {"amount": "0"}, "pledges", 3, "amount", "0", "above zero"),
    ("pledges", {"currency": "chf"}, "pledges", 3, "currency", "chf", "write CHF"),
    ("pledges", {"currency": "XYZ"}, "pledges", 3, "currency", "XYZ",
     "not an ISO 4217 currency code"),
    ("pledges", {"signed_on": "01/03/2024"}, "pledges", 3, "signed_on", "01/03/2024",
     "YYYY-MM-DD"),
    ("pledges", {"signed_on": "2024-02-30"}, "pledges", 3, "signed_on", "2024-02-30",
     "not a real date"),
    ("pledges", {"tier": "diamond"}, "pledges", 3, "tier", "diamond", f"not one of: {TIERS}"),
    ("pledges", {"package": "hackathon"}, "pledges", 3, "package", "hackathon",
     "a pledge is for a tier or for one activity package, never both"),
    ("pledges", {"tier": ""}, "pledges", 3, "tier", "",
     "give the tier or the activity package of the pledge"),
    ("pledges", {"discount_reason": "friend"}, "pledges", 3, "discount_reason", "friend",
     "activity package pledge only"),
    ("pledges", {"confirm": "maybe"}, "pledges", 3, "confirm", "maybe", "not one of: yes, no"),
    ("pledges", {"ref": "P1"}, "pledges", 3, "ref", "P1", "ref already used on row 2"),
    ("pledges", {"partner": ""}, "pledges", 3, "partner", "", "required"),
    ("instalments", {"due_on": "2024-02-01"}, "instalments", 3, "due_on", "2024-02-01",
     "due before the pledge was signed (2024-03-01, pledges row 2)"),
    ("instalments", {"amount": "400.001"}, "instalments", 3, "amount", "400.001",
     "CHF has 2 decimal(s); 400.001 has more"),
    ("instalments", {"due_on": ""}, "instalments", 3, "due_on", "", "required"),
    ("instalments", {"amount": "300.00"}, "pledges", 2, "amount", "1000.00",
     "its instalments (instalment rows 2, 3) sum to 900.00 CHF, not 1000.00 CHF"),
    ("rates", {"rate": "0"}, "rates", 3, "rate", "0", "an exchange rate must be above zero"),
    ("rates", {"rate": "-0.9"}, "rates", 3, "rate", "-0.9", "above zero"),
    ("rates", {"to_currency": "USD"}, "rates", 3, "to_currency", "USD",
     "the same currency as from_currency"),
    ("rates", {"from_currency": "EURO"}, "rates", 3, "from_currency", "EURO",
     "not an ISO 4217 currency code"),
    ("rates", {"effective": "2024-5-1"}, "rates", 3, "effective", "2024-5-1", "YYYY-MM-DD"),
    ("rates", {"effective": "2024-05-01"}, "rates", 3, "effective", "2024-05-01",
     "a USD->CHF rate effective 2024-05-01 is already given on row 2"),
    ("rates", {"source": ""}, "rates", 3, "source", "", "required"),
]  # fmt: skip


@FORMATS
@pytest.mark.parametrize(
    ("kind", "changes", "sheet", "row", "column", "value", "says"),
    BAD_ROWS,
    ids=[f"{case[0]}-{'-'.join(case[1])}-{case[6][:24]}" for case in BAD_ROWS],
)
def test_a_bad_cell_is_reported_with_its_sheet_row_column_and_value(
    fmt: str,
    kind: str,
    changes: dict[str, str],
    sheet: str,
    row: int,
    column: str,
    value: str,
    says: str,
    tmp_path: Path,
) -> None:
    """Row 2 is good; row 3 differs from a good row only by ``changes``: one problem, no record."""
    if kind == "partners":
        result = read("partners", fmt, tmp_path, [ITU, {**ITU, "short_name": "ITU2", **changes}])
    elif kind == "pledges":
        rows = [GOLD, {**GOLD, "ref": "P3", **changes}]
        result = read("pledges", fmt, tmp_path, rows, list(GOLD_INSTALMENTS))
    elif kind == "instalments":
        instalments = [GOLD_INSTALMENTS[0], {**GOLD_INSTALMENTS[1], **changes}]
        result = read("pledges", fmt, tmp_path, [GOLD, HACKATHON], instalments)
    else:
        result = read("rates", fmt, tmp_path, [USD_CHF, {**USD_CHF, "effective": "2024-06-01",
                                                         **changes}])  # fmt: skip
    assert result.records == ()
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    file, sheet_name = where(sheet, fmt)
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        file,
        sheet_name,
        row,
        column,
        value,
    )
    assert says in problem.message


def test_every_bad_cell_of_every_row_is_reported_in_file_order(tmp_path: Path) -> None:
    rows = [
        {**GOLD, "amount": "12.345", "signed_on": "2024-13-01"},
        GOLD | {"ref": "P2"},
        {**GOLD, "ref": "P3", "currency": "chf", "tier": "silver"},
    ]
    instalments = [{"pledge_ref": "P9", "due_on": "soon", "amount": "1"}]
    result = read("pledges", "csv", tmp_path, rows, instalments)
    assert result.records == ()
    assert [(p.file, p.row, p.column) for p in result.problems] == [
        ("pledges.csv", 2, "amount"),
        ("pledges.csv", 2, "signed_on"),
        ("pledges.csv", 4, "currency"),
        ("pledges.csv", 4, "tier"),
        ("instalments.csv", 2, "pledge_ref"),
        ("instalments.csv", 2, "due_on"),
    ]


@FORMATS
def test_an_instalment_naming_no_pledge_leaves_its_pledge_short_and_both_are_said(
    fmt: str, tmp_path: Path
) -> None:
    instalments = [GOLD_INSTALMENTS[0], {**GOLD_INSTALMENTS[1], "pledge_ref": "P9"}]
    result = read("pledges", fmt, tmp_path, [GOLD, HACKATHON], instalments)
    assert result.records == ()
    pledges_at = where("pledges", fmt)
    instalments_at = where("instalments", fmt)
    assert [((p.file, p.sheet), p.row, p.column, p.value, p.message) for p in result.problems] == [
        (
            pledges_at,
            2,
            "amount",
            "1000.00",
            "its instalments (instalment row 2) sum to 600.00 CHF, not 1000.00 CHF",
        ),
        (instalments_at, 3, "pledge_ref", "P9", "no pledge has this ref"),
    ]


def test_one_bad_row_among_500_good_ones_gives_no_record_and_exactly_that_problem(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [["ref", "partner", "edition", "amount", "currency", "signed_on",
                                 "tier"]]  # fmt: skip
    for i in range(501):
        amount: object = 1000 + i + 0.25 if i != 250 else 12.345
        rows.append([f"P{i}", f"partner {i}", "WSIS2024", amount, "CHF", dt.date(2024, 3, 1),
                     "gold"])  # fmt: skip
    path = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": rows})
    result = read_pledges(path)
    assert result.records == ()
    assert result.problems == (
        Problem(
            file="pledges.xlsx",
            sheet="pledges",
            row=252,
            column="amount",
            value="12.345",
            message="CHF has 2 decimal(s); 12.345 has more; if it is a computed value, "
            "round it in the spreadsheet (ROUND) first",
        ),
    )
    without_it = rows[:251] + rows[252:]
    assert len(without_it) == 501
    good = read_pledges(write_xlsx(tmp_path / "good.xlsx", {"pledges": without_it}))
    assert good.problems == ()
    assert [r.amount for r in good.records] == [
        chf(f"{1000 + i}.25") for i in range(501) if i != 250
    ]
    assert [r.row for r in good.records] == list(range(2, 502))


def test_a_semicolon_csv_with_a_byte_order_mark_and_quoted_fields_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "partners.csv"
    ministry = {**MINISTRY, "legal_name": 'Ministry "ICT"; Egypt', "street": 'Smart "Village"; B'}
    write_csv(path, table("partners", ITU, ministry), delimiter=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbflegal_name;short_name;")
    result = read_partners(path)
    assert result.problems == ()
    assert [r.legal_name for r in result.records] == [
        "International Telecommunication Union",
        'Ministry "ICT"; Egypt',
    ]
    assert result.records[1].address.street == 'Smart "Village"; B'
    assert result.records[0].address.town == "Genève"


def test_headers_are_matched_whatever_their_case_and_spacing(tmp_path: Path) -> None:
    rows = table("rates", USD_CHF)
    rows[0] = ["From Currency", " TO-CURRENCY ", "Rate", "effective", "Source"]
    result = read_rates(write_csv(tmp_path / "rates.csv", rows))
    assert result.problems == ()
    assert result.records[0].rate == Decimal("0.8912")


def test_a_file_that_is_not_utf8_names_the_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    write_csv(path, table("partners", ITU, {**MINISTRY, "town": "Gizeh"}))
    latin1 = path.read_bytes().replace("Genève".encode(), b"Gen\xe8ve")
    path.write_bytes(latin1)
    result = read_partners(path)
    assert result.records == ()
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "town", "Gen\\xe8ve")]
    assert 'not UTF-8 text: save the file as "CSV UTF-8"' in result.problems[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_utf16_or_utf32_file_is_refused_as_a_whole(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text("from_currency,to_currency,rate,effective,source\n", encoding=encoding)
    result = read_rates(path)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.row, problem.column) == ("rates.csv", None, None)
    assert f"{encoding.upper()} text, not UTF-8" in problem.message


def test_unknown_and_missing_columns_are_named_once_not_on_every_row(tmp_path: Path) -> None:
    rows = table("pledges", GOLD, {**GOLD, "ref": "P2"})
    currency_at = rows[0].index("currency")
    for row in rows:
        del row[currency_at]
    rows[0].append("amount_chf")
    rows[1].append("1000")
    result = read_pledges(write_csv(tmp_path / "pledges.csv", rows))
    assert result.records == ()
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (
            1,
            "amount_chf",
            "amount_chf",
            "unknown column; the pledges columns are ref, partner, edition, amount, currency, "
            "signed_on, tier, package, discount_reason, confirm",
        ),
        (1, "currency", "", "required column is missing"),
    ]


def test_a_column_given_twice_and_a_value_under_no_header_are_problems(tmp_path: Path) -> None:
    rows = table("rates", USD_CHF)
    rows[0] += ["", "Rate"]
    rows[1] += ["stray", "0.9"]
    result = read_rates(write_csv(tmp_path / "rates.csv", rows))
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (1, "Rate", "Rate", "column given twice (also in column C)"),
        (2, "column F", "stray", "a value under no header"),
    ]


def test_blank_rows_are_ignored_and_rows_keep_the_numbers_the_user_sees(tmp_path: Path) -> None:
    rows = table("rates", USD_CHF)
    rows += [["", " ", "", "", ""], table("rates", {**EUR_CHF, "rate": "zero"})[1], [], [" "]]
    result = read_rates(write_csv(tmp_path / "rates.csv", rows))
    assert [(p.row, p.column) for p in result.problems] == [(4, "rate")]
    rows[3][2] = "0.9743"
    result = read_rates(write_csv(tmp_path / "rates.csv", rows))
    assert [r.row for r in result.records] == [2, 4]


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_a_file_without_a_header_row_says_what_row_1_must_hold(
    content: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "rates.csv"
    path.write_bytes(content)
    result = read_rates(path)
    assert [(p.row, p.message) for p in result.problems] == [
        (
            1,
            "row 1 must hold the column headers of rates: "
            "from_currency, to_currency, rate, effective, source",
        )
    ]


def test_a_header_only_file_is_a_good_empty_import(tmp_path: Path) -> None:
    result = read_partners(write_csv(tmp_path / "partners.csv", table("partners")))
    assert result == Imported((), ())
    assert result.ok


@pytest.mark.parametrize(
    ("name", "says"),
    [("rates.xls", "save it as .xlsx"), ("rates.txt", "not a .csv or .xlsx file")],
)
def test_a_file_of_another_kind_is_a_problem(name: str, says: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")
    (problem,) = read_rates(path).problems
    assert (problem.file, problem.row) == (name, None)
    assert says in problem.message


def test_a_missing_file_raises_rather_than_being_a_problem(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_rates(tmp_path / "nowhere.csv")


def test_or_raise_lists_twenty_problems_then_says_how_many_more(tmp_path: Path) -> None:
    rows = [{**USD_CHF, "effective": f"2024-05-{d:02d}", "rate": "-1"} for d in range(1, 26)]
    result = read("rates", "csv", tmp_path, rows)
    assert len(result.problems) == 25
    with pytest.raises(SpreadsheetRejected) as info:
        result.or_raise()
    error = info.value
    assert isinstance(error, WsisFundingError)
    assert isinstance(error, ValueError)
    assert error.problems == result.problems
    lines = str(error).splitlines()
    assert lines[0] == "spreadsheet rejected: 25 problem(s)"
    assert lines[1] == (
        "  - rates.csv, row 2, column rate '-1': an exchange rate must be above zero"
    )
    assert len(lines) == 22
    assert lines[-1] == "  ... and 5 more"


def test_or_raise_returns_the_records_of_a_good_file(tmp_path: Path) -> None:
    result = read("rates", "csv", tmp_path, [USD_CHF])
    assert result.or_raise() == result.records
    assert len(result.records) == 1
