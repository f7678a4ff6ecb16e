"""``wsis-funding bank`` on real books (both engines): import, queue, assign, dismiss, report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.banking import invoice, rows
from tests.cli import assert_refused, run
from tests.factories import Books, example_issuer, snapshot
from tests.statements import DEBTOR_IBAN, IBAN, entry, statement, tx, valid
from wsis_funding.examples import EXAMPLE_ISSUER
from wsis_funding.services import open_tracker


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        yield Books(tracker)


@pytest.fixture
def files(books: Books, tmp_path: Path) -> tuple[Path, Path]:
    """A statement paying the partner's invoice and queuing a stranger's 12.00, and a bad one."""
    bill = invoice(books, "500")
    good = tmp_path / "june.xml"
    good.write_bytes(
        valid(
            statement(
                IBAN, "CHF",
                [entry("500.00", details=tx(scor=bill.payment_reference)),
                 entry("12.00", details=tx(debtor="Stranger", debtor_iban=DEBTOR_IBAN)),
                 entry("3.00", credit=False)],
            )
        )
    )  # fmt: skip
    bad = tmp_path / "cut.xml"
    bad.write_bytes(good.read_bytes()[:-60])
    return good, bad


def _args(books: Books, *args: str) -> list[str]:
    url = books.tracker.engine.url.render_as_string(hide_password=False)
    return ["--database", url, "--issuer", str(EXAMPLE_ISSUER), *args]


def test_import_shows_a_summary_and_a_second_import_says_it_was_done(
    capsys: pytest.CaptureFixture[str], books: Books, files: tuple[Path, Path]
) -> None:
    good, _ = files
    result = run(capsys, *_args(books, "bank", "import", str(good)))
    assert result.code == 0, result.err
    assert result.err == ""
    summary = {line.split("│")[1].strip(): line for line in result.out.splitlines() if "│" in line}
    assert "│     1 │ CHF500.00 │" in summary["Matched by reference (RF)"]
    assert "│     1 │  CHF12.00 │" in summary["Queued for a person"]
    assert "│     1 │   CHF3.00 │" in summary["Debit entries (not imported)"]
    again = run(capsys, *_args(books, "bank", "import", str(good)))
    assert again.code == 0
    assert "this very file was imported before (import 1)" in again.out
    assert (
        next(line for line in again.out.splitlines() if "Already imported" in line)
        .split("│")[2]
        .strip()
        == "2"
    )


def test_a_dry_run_shows_the_summary_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], books: Books, files: tuple[Path, Path]
) -> None:
    good, _ = files
    before = snapshot(books.tracker)
    result = run(capsys, *_args(books, "bank", "import", "--dry-run", str(good)))
    assert result.code == 0
    assert "Matched by reference (RF)" in result.out
    assert result.out.rstrip().endswith("dry run: nothing was written")
    assert snapshot(books.tracker) == before


def test_a_bad_file_among_good_ones_is_one_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], books: Books, files: tuple[Path, Path]
) -> None:
    good, bad = files
    before = snapshot(books.tracker)
    result = run(capsys, *_args(books, "bank", "import", str(good), str(bad)))
    assert_refused(result, f"bank statement refused: {bad}")
    assert snapshot(books.tracker) == before


def test_import_without_issuer_settings_is_refused(
    capsys: pytest.CaptureFixture[str], books: Books, files: tuple[Path, Path]
) -> None:
    url = books.tracker.engine.url.render_as_string(hide_password=False)
    result = run(capsys, "--database", url, "bank", "import", str(files[0]))
    assert_refused(result, "no issuer settings: pass --issuer FILE")


def test_the_queue_is_worked_from_the_command_line(
    capsys: pytest.CaptureFixture[str], books: Books, files: tuple[Path, Path], tmp_path: Path
) -> None:
    good, _ = files
    assert run(capsys, *_args(books, "bank", "import", str(good))).code == 0
    queued = run(capsys, *_args(books, "bank", "queue"))
    assert queued.code == 0
    assert "Stranger" in queued.out
    assert "CHF12.00" in queued.out
    line = next(x["id"] for x in rows(books.tracker, "bank_lines") if x["status"] == "queued")
    done = run(capsys, *_args(books, "bank", "assign", str(line), "acme"))
    assert done.code == 0, done.err
    assert f"line {line} is payment 2 of ACME: CHF12.00" in done.out
    assert f"remembered: {DEBTOR_IBAN} pays for ACME" in done.out
    assert run(capsys, *_args(books, "bank", "queue")).out.strip() == "no bank line waits"
    payers = run(capsys, *_args(books, "bank", "payers", "ACME"))
    assert payers.out.strip() == f"iban {DEBTOR_IBAN}"
    assert_refused(
        run(capsys, *_args(books, "bank", "dismiss", str(line), "--reason", "x")),
        f"cannot dismiss bank line {line}: it is assigned",
    )
    assert_refused(run(capsys, *_args(books, "bank", "assign", "99", "ACME")), "unknown bank line")
    assert_refused(
        run(capsys, *_args(books, "bank", "assign", str(line), "NOBODY")), "unknown partner"
    )
    listed = run(capsys, *_args(books, "bank", "statements"))
    assert "STMT-1" in listed.out
    csv_file = tmp_path / "rec.csv"
    report = run(capsys, *_args(books, "bank", "report", "1", "--csv", str(csv_file)))
    assert report.code == 0, report.err
    assert "Opening balance: CHF1,000.00" in report.out
    assert "NO" not in report.out.split("The bank's own figures")[1]
    text = csv_file.read_text(encoding="utf-8").splitlines()
    assert len(text) == 3
    assert ",12.00,CHF,0.00,CHF,12.00,CHF,Stranger,," in text[2]
    assert ",assigned,person,ACME,2,," in text[2]


def test_dismiss_and_payers_from_the_command_line(
    capsys: pytest.CaptureFixture[str], books: Books, files: tuple[Path, Path]
) -> None:
    good, _ = files
    run(capsys, *_args(books, "bank", "import", str(good)))
    line = next(x["id"] for x in rows(books.tracker, "bank_lines") if x["status"] == "queued")
    done = run(capsys, *_args(books, "bank", "dismiss", str(line), "--reason", "bank interest"))
    assert done.out.strip() == f"line {line} dismissed: bank interest"
    added = run(capsys, *_args(books, "bank", "add-payer", "ACME", "--alias", "Acme Agency"))
    assert added.out.strip() == f"alias Acme Agency pays for partner {books.pid}"
    assert_refused(
        run(capsys, *_args(books, "bank", "add-payer", "ACME", "--iban", "DE00")), "not an IBAN"
    )
    assert_refused(run(capsys, *_args(books, "bank", "add-payer", "ACME")), "exactly one")
