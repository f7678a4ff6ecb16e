"""``wsis-funding batch`` on both engines: invoices, letters and reminders, reruns, failures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from tests.cli import ENV_VARS, assert_refused, run
from tests.factories import SIGNED, Books, example_issuer, make_partner
from wsis_funding.examples import EXAMPLE_ISSUER
from wsis_funding.ledger.model import Language
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import partner_to_row


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, and no settings from the environment."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def season(db_url: str) -> str:
    """Books with two confirmed pledges (A, B) due in March; A pays 1,000 on 5 March."""
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        Books(tracker)
        for n, short in enumerate(("A", "B")):
            partner = tracker.add_partner(attrs.evolve(make_partner(short), language=Language.EN))
            assert partner.id is not None
            total = money("10000", "CHF")
            due = [(dt.date(2024, 3, 1 + n), total)]
            pledge = tracker.create_pledge(
                partner.id, "WSIS2024", amount=total, signed_on=SIGNED, instalments=due
            )
            tracker.confirm(pledge)
    return db_url


def batch(db: str, *args: str) -> tuple[str, ...]:
    return ("--database", db, "--issuer", str(EXAMPLE_ISSUER), "batch", *args)


def test_invoices_letters_and_reminders_from_the_command_line_and_a_rerun_skips(
    capsys: pytest.CaptureFixture[str], cwd: Path, season: str
) -> None:
    out = cwd / "pdf"
    args = batch(season, "invoices", "--edition", "WSIS2024", "--up-to", "2024-03-15",
                 "--on", "2024-02-01", "--workers", "2", "--out", str(out))  # fmt: skip
    result = run(capsys, *args)
    assert result.code == 0, result
    assert "│ issued  │         2 │" in result.out
    assert "│ failed  │         0 │" in result.out
    assert sorted(p.name for p in out.iterdir()) == ["WSIS-2024-0001.pdf", "WSIS-2024-0002.pdf"]
    assert result.err == ""

    again = run(capsys, *args)
    assert again.code == 0
    assert "│ issued  │         0 │" in again.out
    assert "│ skipped │         2 │" in again.out

    with open_tracker(season, issuer=example_issuer()) as tracker:
        a = tracker.partner_by_short_name("A")
        assert a.id is not None
        tracker.record_payment(a.id, money("1000", "CHF"), received_on=dt.date(2024, 3, 5),
                               reference="A-1", idempotency_key="a-1")  # fmt: skip
    letters = run(capsys, *batch(season, "letters", "--edition", "WSIS2024",
                                 "--up-to", "2024-03-31", "--out", str(out)))  # fmt: skip
    assert letters.code == 0
    assert "│ issued  │         1 │" in letters.out
    assert (out / "WSIS-ACK-2024-0001.pdf").is_file()
    reminders = run(capsys, *batch(season, "reminders", "--edition", "WSIS2024",
                                   "--up-to", "2024-04-15", "--repeat-after", "10"))  # fmt: skip
    assert reminders.code == 0
    assert "│ issued  │         2 │" in reminders.out
    with open_tracker(season) as tracker:
        assert tracker.document("WSIS-REM-2024-0002").kind == "reminder"
        assert tracker.verify() == []


def test_a_document_that_fails_is_listed_with_its_reason_and_the_exit_status_is_1(
    capsys: pytest.CaptureFixture[str], cwd: Path, season: str
) -> None:
    # A partner stored before names were checked: no font draws its name.
    row = partner_to_row(attrs.evolve(make_partner("TOTO"), language=Language.EN))
    row |= {"legal_name": "Toto \U0001e290", "short_name_key": identity_key("TOTO")}
    with open_tracker(season) as tracker:
        with tracker.engine.begin() as conn:
            toto = conn.execute(t.partners.insert().values(row).returning(t.partners.c.id))
            toto_id = int(toto.scalar_one())
        total = money("5000", "CHF")
        due = [(dt.date(2024, 3, 1), total)]
        pledge = tracker.create_pledge(
            toto_id, "WSIS2024", amount=total, signed_on=SIGNED, instalments=due
        )
        tracker.confirm(pledge)
    result = run(capsys, *batch(season, "invoices", "--edition", "WSIS2024",
                                "--up-to", "2024-03-15", "--on", "2024-02-01"))  # fmt: skip
    assert result.code == 1
    assert "│ issued  │         2 │" in result.out
    assert "│ failed  │         1 │" in result.out
    (line,) = [line for line in result.out.splitlines() if line.startswith("failed:")]
    assert line.startswith("failed: TOTO: pledge 3, instalment 1 of 1 due 2024-03-01: ")
    assert line.endswith("U+1E290 (MissingGlyphs)")
    assert result.err == ""


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("invoices", "--edition", "WSIS1999", "--up-to", "2024-03-15"), "WSIS1999"),
        (("invoices", "--edition", "WSIS2024", "--up-to", "15.3.2024"), "--up-to"),
        (("invoices", "--edition", "WSIS2024", "--up-to", "2024-03-15", "--workers", "0"),
         "--workers"),
        (("letters", "--edition", "WSIS2024", "--up-to", "2024-03-15", "--on", "2024-03-14"),
         "2024-03-14"),
        (("reminders", "--edition", "WSIS2024", "--up-to", "2024-03-15", "--repeat-after", "0"),
         "--repeat-after"),
        (("invoices", "--edition", "WSIS2024", "--up-to", "2024-03-15", "--out", "a-file"),
         "is a file, not a folder"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], cwd: Path, season: str, args: tuple[str, ...], fragment: str
) -> None:
    (cwd / "a-file").write_text("not a folder")
    assert_refused(run(capsys, *batch(season, *args)), fragment)


def test_batch_runs_need_the_issuer_settings(
    capsys: pytest.CaptureFixture[str], cwd: Path, season: str
) -> None:
    args = ("--database", season, "batch", "invoices", "--edition", "WSIS2024",
            "--up-to", "2024-03-15")  # fmt: skip
    assert_refused(run(capsys, *args), "no issuer settings given: pass --issuer FILE")
