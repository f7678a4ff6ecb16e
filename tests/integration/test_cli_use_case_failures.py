"""The use-case commands refuse bad input in one line, ask before money moves, never hang.

Every refusal is exactly one line ``error: ...`` on stderr, nothing on stdout, exit status 2,
on both engines, and the books are unchanged. A write that changes money asks first: without
a terminal and without ``--yes`` it is refused (it never waits for an answer); on a terminal
it says what it will do and does it only when the answer is yes.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli import ENV_VARS, Result, assert_refused, run
from tests.factories import DUE, ISSUED, Books, example_issuer, snapshot
from tests.unit.imports import table, write_xlsx
from wsis_funding.examples import EXAMPLE_ISSUER
from wsis_funding.services import Tracker, open_tracker


@pytest.fixture
def books(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Books]:
    """Books with ACME (id 1), WSIS2024, the test rates and a confirmed pledge (id 1)."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        b = Books(tracker)
        b.confirmed_pledge()
        yield b


def cli(capsys: pytest.CaptureFixture[str], t: Tracker, *args: str) -> Result:
    url = t.engine.url.render_as_string(hide_password=False)
    return run(capsys, "--database", url, "--issuer", str(EXAMPLE_ISSUER), *args)


REFUSED = {
    "unknown partner": (("partner", "show", "NOBODY"), "NOBODY"),
    "unknown partner id": (("standing", "99", "WSIS2024"), "99"),
    "unknown edition": (("standing", "ACME", "WSIS2099"), "WSIS2099"),
    "unknown pledge": (("pledge", "show", "77"), "77"),
    "pledge id not a number": (("pledge", "show", "seven"), "not a PLEDGE id"),
    "amount with too many decimals": (
        ("pledge", "create", "ACME", "WSIS2024", "12.345", "CHF", "--signed-on", "2024-01-01"),
        "12.345",
    ),
    "amount with grouping": (
        (
            "payment",
            "record",
            "ACME",
            "80,000",
            "CHF",
            "--received-on",
            "2024-03-05",
            "--reference",
            "x",
            "--yes",
        ),
        "no grouping",
    ),
    "unknown currency": (
        ("pledge", "create", "ACME", "WSIS2024", "100", "XYZ", "--signed-on", "2024-01-01"),
        "XYZ",
    ),
    "not a real date": (("receivables", "--as-of", "2024-02-30"), "not a real date"),
    "date in another format": (("revenue", "WSIS2024", "--as-of", "01.03.2024"), "YYYY-MM-DD"),
    "missing option": (("receivables",), "--as-of"),
    "confirmed twice": (("pledge", "confirm", "1", "--yes"), "already confirmed"),
    "unknown invoice": (
        (
            "payment",
            "record",
            "ACME",
            "100",
            "CHF",
            "--received-on",
            "2024-03-05",
            "--reference",
            "x",
            "--invoice",
            "WSIS-2099-0001",
            "--yes",
        ),
        "WSIS-2099-0001",
    ),
    "credit without a kind": (
        ("invoice", "credit", "WSIS-2024-0001", "--on", "2024-03-01"),
        "--kind",
    ),
    "instalments that do not sum": (
        (
            "pledge",
            "create",
            "ACME",
            "WSIS2024",
            "100",
            "CHF",
            "--signed-on",
            "2024-01-15",
            "--instalment",
            "2024-02-01=60",
        ),
        "100",
    ),
    "instalment not DATE=AMOUNT": (
        (
            "pledge",
            "create",
            "ACME",
            "WSIS2024",
            "100",
            "CHF",
            "--signed-on",
            "2024-01-15",
            "--instalment",
            "2024-02-01",
        ),
        "DUE-DATE=AMOUNT",
    ),
    "write-off dated before signing": (
        ("pledge", "write-off", "1", "--reason", "gone", "--on", "2023-12-31", "--yes"),
        "2023-12-31",
    ),
    "money moved without a terminal or --yes": (
        (
            "payment",
            "record",
            "ACME",
            "100",
            "CHF",
            "--received-on",
            "2024-03-05",
            "--reference",
            "x",
        ),
        "pass --yes",
    ),
    "base currency changed": (("init", "--base-currency", "EUR"), "kept in CHF"),
    "export pledges to csv without instalments file": (
        ("export", "pledges", "out.csv"),
        "--instalments",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_refused_command_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], books: Books, name: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    args, fragment = REFUSED[name]
    before = snapshot(books.tracker)
    assert_refused(cli(capsys, books.tracker, *args), fragment)
    assert snapshot(books.tracker) == before


def test_issuing_without_issuer_settings_is_one_line(
    capsys: pytest.CaptureFixture[str], books: Books
) -> None:
    url = books.tracker.engine.url.render_as_string(hide_password=False)
    result = run(capsys, "--database", url, "invoice", "issue", "1", "--on", "2024-02-01",
                 "--due", "2024-03-01", "--yes")  # fmt: skip
    assert_refused(result, "--issuer FILE")
    # Cancelling a pledge with an open invoice issues a credit note: it needs them too.
    books.tracker.issue_invoice(1, ISSUED, due_on=DUE)
    before = snapshot(books.tracker)
    result = run(capsys, "--database", url, "pledge", "cancel", "1", "--on", "2024-02-02", "--yes")
    assert_refused(result, "--issuer FILE")
    assert snapshot(books.tracker) == before


class Terminal(io.StringIO):
    """A standard input that says it is a terminal, with the user's answers in it."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_payment_says_what_it_will_settle_and_waits_for_yes(
    capsys: pytest.CaptureFixture[str], books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("payment", "record", "ACME", "70000", "CHF", "--received-on", "2024-03-05",
            "--reference", "UBS 9")  # fmt: skip
    before = snapshot(books.tracker)
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    declined = cli(capsys, books.tracker, *args)
    assert (declined.code, declined.out) == (1, "")
    # The pledge is CHF 60000: the payment settles it all and keeps 10000 as credit.
    assert "settled CHF60,000.00, kept as credit CHF10,000.00" in declined.err
    assert snapshot(books.tracker) == before
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    accepted = cli(capsys, books.tracker, *args)
    assert accepted.code == 0
    assert accepted.out.startswith("recorded payment")
    assert [p.reference for p in books.tracker.partner_payments(books.pid)] == ["UBS 9"]


def test_an_issued_invoice_is_announced_with_its_number_before_it_is_issued(
    capsys: pytest.CaptureFixture[str], books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    result = cli(capsys, books.tracker, "invoice", "issue", "1", "--on", ISSUED.isoformat(),
                 "--due", "2024-03-02")  # fmt: skip
    assert result.code == 1
    assert "issue invoice WSIS-2024-0001 for CHF60,000.00" in result.err
    assert books.tracker.partner_documents(books.pid) == []


def test_a_refused_import_lists_every_problem_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], books: Books, tmp_path: Path
) -> None:
    rows = [
        {"ref": "1", "partner": "NOBODY", "edition": "WSIS2024", "amount": "100.00",
         "currency": "CHF", "signed_on": "2024-03-01", "package": "", "tier": "supporting"},
        {"ref": "2", "partner": "ACME", "edition": "WSIS2099", "amount": "100.00",
         "currency": "CHF", "signed_on": "2024-03-01", "tier": "supporting"},
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "pledges.xlsx", {"pledges": table("pledges", *rows)})
    before = snapshot(books.tracker)
    result = cli(capsys, books.tracker, "import", "pledges", str(path), "--yes")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        "error: pledges.xlsx, sheet pledges, row 2, column partner 'NOBODY': no partner in the "
        "books has this short name",
        "error: pledges.xlsx, sheet pledges, row 3, column edition 'WSIS2099': no edition in "
        "the books has this code",
        "error: pledges.xlsx refused: 2 problem(s); nothing written",
    ]
    assert snapshot(books.tracker) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_the_same_bytes_as_the_library(
    capsys: pytest.CaptureFixture[str], books: Books, tmp_path: Path, fmt: str
) -> None:
    second = [] if fmt == "xlsx" else ["--instalments", str(tmp_path / "i.csv")]
    result = cli(capsys, books.tracker, "export", "pledges", str(tmp_path / f"p.{fmt}"), *second)
    assert result.code == 0, result
    expected = tmp_path / "lib"
    expected.mkdir()
    lib_second = None if fmt == "xlsx" else expected / "i.csv"
    books.tracker.export_pledges(expected / f"p.{fmt}", lib_second)
    assert (tmp_path / f"p.{fmt}").read_bytes() == (expected / f"p.{fmt}").read_bytes()


def test_amending_writing_off_cancelling_and_applying_credit_through_the_command_line(
    capsys: pytest.CaptureFixture[str], books: Books
) -> None:
    def ok(*args: str) -> str:
        result = cli(capsys, books.tracker, *args)
        assert (result.code, result.err) == (0, ""), (args, result)
        return result.out

    def pledge(number: str) -> dict[str, Any]:
        answer: dict[str, Any] = json.loads(ok("pledge", "show", number, "--json"))["pledge"]
        return answer

    # Pledge 1 is CHF 60000: 70000 received settles it and keeps 10000 as credit.
    out = ok("payment", "record", "ACME", "70000", "CHF", "--received-on", "2024-03-05",
             "--reference", "UBS 1", "--yes")  # fmt: skip
    assert "settled CHF60,000.00, kept as credit CHF10,000.00" in out
    ok("pledge", "create", "ACME", "WSIS2024", "5000", "CHF", "--signed-on", "2024-01-15",
       "--tier", "supporting", "--confirm", "--yes")  # fmt: skip
    second = str(json.loads(ok("pledge", "list", "ACME", "--json"))["pledges"][1]["id"])
    out = ok("payment", "apply-credit", "ACME", "CHF", "--on", "2024-04-01", "--amount", "3000",
             "--yes")  # fmt: skip
    assert "settled CHF3,000.00" in out
    ok("pledge", "amend", second, "4000", "--on", "2024-04-02", "--instalment",
       "2024-05-01=1000", "--yes")  # fmt: skip
    amended = pledge(second)
    assert (amended["amount"], amended["settled"], amended["outstanding"]) == (
        {"amount": "4000.00", "currency": "CHF"},
        {"amount": "3000.00", "currency": "CHF"},
        {"amount": "1000.00", "currency": "CHF"},
    )
    ok("pledge", "write-off", second, "--reason", "will not pay", "--on", "2024-06-01", "--yes")
    written_off = pledge(second)
    assert (written_off["status"], written_off["written_off"]) == (
        "written_off", {"amount": "1000.00", "currency": "CHF"},
    )  # fmt: skip
    ok("pledge", "create", "ACME", "WSIS2024", "20000", "CHF", "--signed-on", "2024-01-15",
       "--tier", "supporting", "--confirm", "--yes")  # fmt: skip
    third = str(json.loads(ok("pledge", "list", "ACME", "--json"))["pledges"][2]["id"])
    ok("pledge", "cancel", third, "--on", "2024-02-01", "--yes")
    assert pledge(third)["status"] == "cancelled"
    credit = json.loads(ok("balance", f"unapplied:{books.pid}", "--json"))["amounts"]
    assert credit == {"CHF": {"amount": "-7000.00", "currency": "CHF"}}  # 10000 kept, 3000 used
    assert ok("books", "verify") == "the books are sound\n"


def test_the_same_bank_line_twice_is_refused_unless_the_bank_really_credited_it_twice(
    capsys: pytest.CaptureFixture[str], books: Books
) -> None:
    args = ("payment", "record", "ACME", "100", "CHF", "--received-on", "2024-03-05",
            "--reference", "UBS 2024-03-05 7", "--yes")  # fmt: skip
    first = cli(capsys, books.tracker, *args)
    assert first.code == 0, first.err
    before = snapshot(books.tracker)
    assert_refused(cli(capsys, books.tracker, *args), "UBS 2024-03-05 7")
    assert snapshot(books.tracker) == before
    again = cli(capsys, books.tracker, *args, "--duplicate-ok")
    assert again.code == 0, again.err
    listed = cli(capsys, books.tracker, "payment", "list", "ACME", "--json")
    payments = [p for p in json.loads(listed.out)["payments"] if p["reference"] == args[8]]
    assert [p["amount"] for p in payments] == [{"amount": "100.00", "currency": "CHF"}] * 2
