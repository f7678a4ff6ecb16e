"""``wsis-funding report ...``: each report written whole from the command line (both engines).

A file written by the command line is the same bytes as the library's for the same books;
every failure is one line and exit status 2, and leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from tests.cli import ENV_VARS, assert_refused, run
from wsis_funding.examples import EXAMPLE_ISSUER
from wsis_funding.services import Tracker


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, and no settings from the environment."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_each_report_is_written_as_the_library_writes_it(
    cwd: Path,
    season_url: str,
    books: Tracker,
    ids: dict[str, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ("--database", season_url, "--issuer", str(EXAMPLE_ISSUER), "report")
    cases = [
        (("statement", "ACME", "WSIS2024", "--out", "acme.pdf"),
         books.statement_file(ids["ACME"], "WSIS2024")),
        (("statement", str(ids["KUW"]), "--format", "xlsx", "--out", "kuw.data"),
         books.statement_file(ids["KUW"], format="xlsx")),
        (("ageing", "--as-of", "2024-07-01", "--out", "ageing.csv"),
         books.ageing_file(dt.date(2024, 7, 1), format="csv")),
        (("ageing", "--as-of", "2024-07-01", "--edition", "WSIS2023", "--out", "old.xlsx"),
         books.ageing_file(dt.date(2024, 7, 1), edition="WSIS2023")),
        (("revenue", "WSIS2024", "--as-of", "2024-03-31", "--out", "revenue.xlsx"),
         books.revenue_file("WSIS2024", as_of=dt.date(2024, 3, 31))),
        (("roster", "WSIS2024", "--out", "roster.json"), books.roster_file("WSIS2024")),
        (("roster", "WSIS2024", "--amounts", "--out", "roster.csv"),
         books.roster_file("WSIS2024", amounts=True, format="csv")),
        (("funding", "WSIS2024", "--language", "fr", "--out", "funding.pdf"),
         books.funding_file("WSIS2024", language="fr")),
    ]  # fmt: skip
    for args, expected in cases:
        result = run(capsys, *base, *args)
        out = Path(args[args.index("--out") + 1])
        assert result.code == 0, result
        assert result.out == f"wrote {out} ({len(expected)} bytes)\n"
        assert out.read_bytes() == expected, args


def test_the_journal_is_streamed_into_its_file(
    cwd: Path, season_url: str, books: Tracker, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = io.BytesIO()
    count = books.write_journal(expected, since=dt.date(2024, 3, 1))
    result = run(capsys, "--database", season_url, "report", "journal", "--from", "2024-03-01",
                 "--out", "journal.csv")  # fmt: skip
    assert result.code == 0, result
    assert result.out == f"wrote journal.csv ({count:,} postings)\n"
    assert Path("journal.csv").read_bytes() == expected.getvalue()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("revenue", "WSIS2024", "--out", "revenue.pdf"), "not written as pdf"),
        (("statement", "ACME", "--out", "acme.pdf"), "--issuer"),
        (("statement", "NOBODY", "--out", "x.csv"), "unknown partner 'NOBODY'"),
        (("roster", "WSIS1999", "--out", "x.json"), "unknown edition 'WSIS1999'"),
        (("roster", "WSIS2024", "--format", "pdf", "--out", "x.pdf"), "'pdf' is not one of"),
        (("ageing", "--out", "x.csv"), "--as-of"),
        (("statement", "ACME", "WSIS2024", "--date", "2024-04-30", "--format", "csv",
          "--out", "x.csv"), "dated 2024-04-30, before its latest movement on 2024-05-01"),
        (("funding", "WSIS2024", "--out", "missing/f.pdf"), "does not exist"),
    ],
    ids=["suffix", "issuer", "partner", "edition", "format", "as-of", "date", "folder"],
)  # fmt: skip
def test_a_report_that_cannot_be_written_is_one_line_and_no_file(
    cwd: Path,
    season_url: str,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    fragment: str,
) -> None:
    result = run(capsys, "--database", season_url, "report", *args)
    assert_refused(result, fragment)
    assert list(cwd.iterdir()) == []


def test_report_without_books_is_refused(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_refused(run(capsys, "report", "roster", "WSIS2024", "--out", "r.json"), "--database")
    missing = f"sqlite:///{cwd}/none.db"
    assert_refused(
        run(capsys, "--database", missing, "report", "roster", "WSIS2024", "--out", "r.json"),
        "none.db",
    )
    assert list(cwd.iterdir()) == []
