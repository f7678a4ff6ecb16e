"""A whole season driven only through the command line, on a fresh SQLite file and PostgreSQL.

Books created, an edition, partners and rates imported from spreadsheets and added by hand,
pledges imported and created, confirmed, invoiced, paid against an invoice, acknowledged,
reduced by a credit note; then every look-up read as JSON and checked against figures
computed here with Decimal, ``books verify``, and every report written as a file (ageing,
revenue, roster, statement, journal, funding) with the same figures. Nothing but
``wsis-funding`` arguments.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.cli import ENV_VARS, Result, run
from tests.unit.imports import table, write_csv, write_xlsx
from wsis_funding.examples import EXAMPLE_ISSUER

CENT = Decimal("0.01")


def chf(amount: str | Decimal) -> dict[str, str]:
    return {"amount": str(Decimal(amount).quantize(CENT)), "currency": "CHF"}


def usd(amount: str | Decimal) -> dict[str, str]:
    return {"amount": str(Decimal(amount).quantize(CENT)), "currency": "USD"}


class Season:
    """``wsis-funding --database URL --issuer ISSUER ...`` run in this process."""

    def __init__(self, capsys: pytest.CaptureFixture[str], url: str) -> None:
        self.capsys = capsys
        self.url = url

    def __call__(self, *args: str) -> str:
        result = self.result(*args)
        assert (result.code, result.err) == (0, ""), (args, result)
        return result.out

    def result(self, *args: str) -> Result:
        return run(self.capsys, "--database", self.url, "--issuer", str(EXAMPLE_ISSUER), *args)

    def json(self, *args: str) -> Any:
        answer = json.loads(self(*args, "--json"))
        assert answer["format"] == 1
        return answer


@pytest.fixture
def season(
    capsys: pytest.CaptureFixture[str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Season:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return Season(capsys, db_url)


def write_sheets(folder: Path) -> None:
    """The season's spreadsheets, as a finance officer's tools would write them."""
    partners = [
        {"legal_name": "Acme Telecom SA", "short_name": "ACME", "country": "CH",
         "stakeholder_type": "private_sector", "language": "fr", "street": "Rue du Rhône",
         "building_number": "12", "postcode": "1204", "town": "Genève",
         "address_country": "CH"},
    ]  # fmt: skip
    write_csv(folder / "partners.csv", table("partners", *partners), delimiter=";", bom=True)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "rates"
    sheet.append(["from_currency", "to_currency", "rate", "effective", "source"])
    sheet.append(["USD", "CHF", 0.9, dt.datetime(2024, 1, 1), "UN operational rate 2024-01"])
    sheet.append(["USD", "CHF", 0.88, dt.datetime(2024, 3, 1), "UN operational rate 2024-03"])
    book.save(folder / "rates.xlsx")
    pledges = [
        {"ref": "A", "partner": "ACME", "edition": "WSIS2024", "amount": "160000.00",
         "currency": "CHF", "signed_on": "2024-01-22", "tier": "gold"},
        {"ref": "B", "partner": "GLOBEX", "edition": "WSIS2024", "amount": "30000.00",
         "currency": "CHF", "signed_on": "2024-02-01", "tier": "supporting", "confirm": "no"},
    ]  # fmt: skip
    instalments = [
        {"pledge_ref": "A", "due_on": "2024-03-01", "amount": "80000.00"},
        {"pledge_ref": "A", "due_on": "2024-06-01", "amount": "80000.00"},
    ]
    write_xlsx(
        folder / "pledges.xlsx",
        {"pledges": table("pledges", *pledges), "instalments": table("instalments", *instalments)},
    )


def test_a_whole_season_through_the_command_line(season: Season, tmp_path: Path) -> None:
    assert season("init") == "created the books, base currency CHF\n"
    season("edition", "add", "WSIS2024", "--title", "WSIS+20 Forum High-Level Event",
           "--start", "2024-05-27", "--end", "2024-05-31", "--psc-rate", "0.07",
           "--invoice-prefix", "WSIS")  # fmt: skip
    out = season("templates", str(tmp_path / "templates"))
    assert "pledges.xlsx" in out
    assert (tmp_path / "templates" / "README.md").is_file()
    write_sheets(tmp_path)
    assert "1 partners read, added 1" in season(
        "import", "partners", str(tmp_path / "partners.csv")
    )
    season("partner", "add", "--legal-name", "Globex AG", "--short-name", "GLOBEX",
           "--country", "CH", "--type", "private_sector", "--language", "en",
           "--street", "Bahnhofstrasse", "--building-number", "1", "--postcode", "8001",
           "--town", "Zürich")  # fmt: skip
    season("partner", "update", "globex", "--on", "2024-01-10", "--email", "ap@globex.example")
    assert season.json("partner", "show", "GLOBEX")["partner"]["contact_email"] == (
        "ap@globex.example"
    )
    found = season.json("partner", "search", "telecom")["partners"]
    assert [(p["id"], p["short_name"], p["language"]) for p in found] == [(1, "ACME", "fr")]
    assert "2 rates read, added 2" in season("rate", "import", str(tmp_path / "rates.xlsx"))
    dry = season("import", "pledges", str(tmp_path / "pledges.xlsx"), "--dry-run")
    assert "would add 2, would confirm 1 (dry run: nothing written)" in dry
    assert season.json("pledge", "list", "ACME")["pledges"] == []
    season("import", "pledges", str(tmp_path / "pledges.xlsx"), "--yes")
    season("pledge", "create", "GLOBEX", "WSIS2024", "60000", "USD", "--signed-on", "2024-03-05",
           "--tier", "contributing", "--confirm", "--yes")  # fmt: skip
    pledges = season.json("pledge", "list", "GLOBEX")["pledges"]
    assert [p["status"] for p in pledges] == ["draft", "confirmed"]
    # (Ids come from the books: a dry run draws PostgreSQL sequence values it never returns.)
    draft, in_usd = (str(p["id"]) for p in pledges)
    (gold,) = (str(p["id"]) for p in season.json("pledge", "list", "ACME")["pledges"])
    # USD 60000.00 signed 2024-03-05 at the rate in force, 0.88 from 2024-03-01.
    usd_base = Decimal("60000.00") * Decimal("0.88")
    assert pledges[1]["base_amount"] == chf(usd_base)
    assert pledges[1]["rate"] == {
        "rate": "0.88", "effective": "2024-03-01", "source": "UN operational rate 2024-03",
    }  # fmt: skip
    season("pledge", "confirm", draft, "--yes")

    out = season("invoice", "issue", gold, "--on", "2024-02-01", "--due", "2024-03-02", "--yes")
    assert out.startswith("issued invoice WSIS-2024-0001 for CHF160,000.00")
    season("payment", "record", "ACME", "80000", "CHF", "--received-on", "2024-03-05",
           "--reference", "UBS 2024-03-05 line 7", "--invoice", "WSIS-2024-0001",
           "--key", "ubs-7", "--yes")  # fmt: skip
    (paid,) = season.json("payment", "list", "ACME")["payments"]
    assert (paid["invoice"], paid["settled"], paid["unapplied"]) == (
        "WSIS-2024-0001", chf("80000"), chf("0"),
    )  # fmt: skip
    assert season("letter", "issue", str(paid["id"]), "--on", "2024-03-06").startswith(
        "issued letter WSIS-ACK-2024-0001"
    )
    season("invoice", "issue", in_usd, "--on", "2024-03-10", "--due", "2024-04-09", "--yes")
    out = season(
        "invoice", "credit", "WSIS-2024-0002", "--on", "2024-03-20", "--kind", "reduction",
        "--amount", "10000", "--reason", "agreed", "--yes",
    )  # fmt: skip
    assert out.startswith("issued credit note WSIS-CN-2024-0001 for $10,000.00")
    assert season.json("invoice", "show", "WSIS-2024-0002") == {
        "format": 1, "kind": "invoice", "number": "WSIS-2024-0002", "asked": usd("60000"),
        "credited": usd("10000"), "paid": usd("0"), "open": usd("50000"), "state": "open",
    }  # fmt: skip

    # The look-ups, against figures computed here.
    psc = Decimal("80000.00") * Decimal("0.07")
    reduced_base = usd_base - Decimal("10000.00") * Decimal("0.88")  # at the carrying rate
    acme = season.json("standing", "ACME", "WSIS2024")
    assert (acme["committed"], acme["paid"], acme["owed"], acme["tier"], acme["shortfall"]) == (
        chf("160000"), chf("80000"), chf("80000"), "gold", chf(Decimal(300000) - 160000),
    )  # fmt: skip
    globex = season.json("standing", "GLOBEX", "WSIS2024")
    committed = reduced_base + Decimal("30000.00")
    assert (globex["committed"], globex["tier"], globex["next_tier"], globex["shortfall"]) == (
        chf(committed), "contributing", "gold", chf(Decimal(150000) - committed),
    )  # fmt: skip
    revenue = season.json("revenue", "WSIS2024")
    assert revenue["by_currency"] == {
        "CHF": {"gross": chf("190000"), "psc": chf(psc), "net": chf(Decimal(190000) - psc)},
        "USD": {"gross": usd("50000"), "psc": usd("0"), "net": usd("50000")},
    }
    base_gross = Decimal("190000.00") + reduced_base
    assert revenue["base"] == {
        "gross": chf(base_gross), "psc": chf(psc), "net": chf(base_gross - psc),
    }  # fmt: skip
    ageing = season.json("receivables", "--as-of", "2024-07-01")
    # ACME's second instalment is on WSIS-2024-0001, due 2024-03-02: 121 days before 2024-07-01.
    # GLOBEX's USD pledge is on WSIS-2024-0002, due 2024-04-09: 83 days. Its CHF pledge is on
    # no invoice and was due on signing, 2024-02-01: 151 days.
    assert (dt.date(2024, 7, 1) - dt.date(2024, 3, 2)).days == 121
    assert (dt.date(2024, 7, 1) - dt.date(2024, 4, 9)).days == 83
    zero_chf, zero_usd = chf("0"), usd("0")
    assert ageing["by_currency"] == {
        "CHF": {"not_due": zero_chf, "0-30": zero_chf, "31-60": zero_chf, "61-90": zero_chf,
                "over_90": chf(Decimal(80000) + 30000)},
        "USD": {"not_due": zero_usd, "0-30": zero_usd, "31-60": zero_usd,
                "61-90": usd("50000"), "over_90": zero_usd},
    }  # fmt: skip
    assert [(a["short_name"], a["currency"], a["total"]) for a in ageing["by_partner"]] == [
        ("ACME", "CHF", chf("80000")), ("GLOBEX", "CHF", chf("30000")),
        ("GLOBEX", "USD", usd("50000")),
    ]  # fmt: skip
    statement = season.json("statement", "ACME")["currencies"]["CHF"]
    assert [(x["kind"], x["balance"]) for x in statement["lines"]] == [
        ("pledge", chf("160000")), ("invoice", chf("160000")), ("payment", chf("80000")),
    ]  # fmt: skip
    assert statement["summary"] == {
        "owed": chf("80000"), "credit": chf("0"), "invoiced": chf("160000"),
        "credited": chf("0"), "paid_on_invoices": chf("80000"),
        "open_on_invoices": chf("80000"),
    }  # fmt: skip
    globex_id = season.json("partner", "show", "GLOBEX")["partner"]["id"]
    assert season.json("balance", f"receivable:{globex_id}")["amounts"] == {
        "CHF": chf("30000"), "USD": usd("50000"),
    }  # fmt: skip
    docs = season.json("documents", "GLOBEX")["documents"]
    assert [(d["number"], d["kind"], d["total"]) for d in docs] == [
        ("WSIS-2024-0002", "invoice", usd("60000")),
        ("WSIS-CN-2024-0001", "credit_note", usd("10000")),
    ]
    assert season("books", "verify") == "the books are sound\n"
    # The tables people read name the same figures.
    assert "CHF80,000.00" in season("statement", "ACME")
    assert "Strategic Partner Gold" in season("standing", "ACME", "WSIS2024")

    # Every report, as files, gives the same figures.
    reports = tmp_path / "reports"
    reports.mkdir()

    def report(name: str, *args: str) -> list[dict[str, str]]:
        path = reports / f"{name}.csv"
        out = season("report", name, *args, "--format", "csv", "--out", str(path))
        assert out.startswith(f"wrote {path}"), out
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    ageing_rows = report("ageing", "--as-of", "2024-07-01")
    assert [(r["partner"], r["currency"], r["days_61_90"], r["over_90"], r["total"])
            for r in ageing_rows] == [
        ("ACME", "CHF", "0.00", "80000.00", "80000.00"),
        ("GLOBEX", "CHF", "0.00", "30000.00", "30000.00"),
        ("GLOBEX", "USD", "50000.00", "0.00", "50000.00"),
    ]  # fmt: skip
    revenue_rows = {(r["currency"], r["basis"]): r for r in report("revenue", "WSIS2024")}
    base_psc = psc  # the only PSC is on CHF money
    base_row = revenue_rows[("CHF", "base")]
    assert (base_row["gross"], base_row["psc"], base_row["net"]) == (
        str(base_gross.quantize(CENT)), str(base_psc.quantize(CENT)),
        str((base_gross - base_psc).quantize(CENT)),
    )  # fmt: skip
    usd_row = revenue_rows[("USD", "original")]
    assert (usd_row["gross"], usd_row["psc"]) == ("50000.00", "0.00")
    roster = {r["short_name"]: r["tier"] for r in report("roster", "WSIS2024")}
    assert roster == {"ACME": "gold", "GLOBEX": "contributing"}
    lines = report("statement", "ACME")
    assert [line["balance"] for line in lines][-1] == "80000.00"
    journal = season("report", "journal", "--out", str(reports / "journal.csv"))
    assert journal.startswith(f"wrote {reports / 'journal.csv'}")
    with (reports / "journal.csv").open(encoding="utf-8", newline="") as f:
        per_entry: dict[str, Decimal] = {}
        for row in csv.DictReader(f):
            per_entry[row["entry"]] = per_entry.get(row["entry"], Decimal(0)) + Decimal(
                row["base_amount"]
            )
    assert per_entry
    assert set(per_entry.values()) == {Decimal(0)}
    season("report", "funding", "WSIS2024", "--out", str(reports / "funding.pdf"))
    assert (reports / "funding.pdf").read_bytes().startswith(b"%PDF-")
