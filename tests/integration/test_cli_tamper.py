"""The command line's anchor and key: `books head`, `books verify --head`, a keyed chain."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.cli import ENV_VARS, assert_refused, run
from tests.factories import Books
from tests.tampering import bypass_triggers, sql
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.services import open_tracker

KEY = "the auditors' key, kept elsewhere"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def _entry(minor: int) -> Entry:
    return Entry(
        entry_date=dt.date(2024, 4, 1), kind="manual", memo=f"m{minor}",
        postings=(
            Posting(account="bank:CHF", currency="CHF", amount_minor=minor, base_minor=minor),
            Posting(account="psc_income", currency="CHF", amount_minor=-minor,
                    base_minor=-minor),
        ),
    )  # fmt: skip


def test_head_prints_seq_and_hash_that_verify_head_accepts(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    with open_tracker(db_url) as tracker:
        Books(tracker).confirmed_pledge("5000")
        tracker.post_entries([_entry(100)])
    result = run(capsys, "--database", db_url, "books", "head")
    assert result.code == 0
    assert re.fullmatch(r"2:[0-9a-f]{64}\n", result.out)
    head = result.out.strip()
    with open_tracker(db_url) as tracker:
        tracker.post_entries([_entry(200), _entry(300)])
    result = run(capsys, "--database", db_url, "books", "verify", "--head", head)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "the books are sound: the chain passes through entry 2 and the 2 entries appended "
        "since are intact\n"
    )


def test_verify_head_reports_a_truncated_chain_with_status_1(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    with open_tracker(db_url) as tracker:
        Books(tracker).confirmed_pledge("5000")
        tracker.post_entries([_entry(100)])
        head = str(tracker.head())
        bypass_triggers(tracker)
        sql(
            tracker,
            "DELETE FROM journal_postings WHERE entry_seq = 2",
            "DELETE FROM journal_entries WHERE seq = 2",
        )
    result = run(capsys, "--database", db_url, "books", "verify", "--head", head)
    assert result.code == 1
    assert result.out.startswith("the journal ends at entry 1, before entry 2 of the head 2:")


def test_a_malformed_head_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    open_tracker(sqlite_url).close()
    result = run(capsys, "--database", sqlite_url, "books", "verify", "--head", "12:xyz")
    assert_refused(result, "Invalid value for --head: not a chain head: '12:xyz'")


def test_keyed_books_verify_with_the_key_from_a_file_or_the_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    tmp_path: Path,
) -> None:
    with open_tracker(db_url, chain_key=KEY) as tracker:
        Books(tracker).confirmed_pledge("5000")
    result = run(capsys, "--database", db_url, "books", "verify")
    assert result.code == 1
    assert "no key was given: the hashes of 2 entries were not checked" in result.out
    key_file = tmp_path / "chain.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    result = run(capsys, "--database", db_url, "books", "--chain-key-file", str(key_file), "verify")
    assert (result.code, result.out) == (0, "the books are sound\n")
    monkeypatch.setenv("WSIS_FUNDING_CHAIN_KEY", KEY)
    result = run(capsys, "--database", db_url, "books", "verify")
    assert (result.code, result.out) == (0, "the books are sound\n")
    monkeypatch.setenv("WSIS_FUNDING_CHAIN_KEY", "another key of sixteen bytes or more")
    result = run(capsys, "--database", db_url, "books", "verify")
    assert_refused(result, "is not the key of these books")
    assert "another key" not in result.err


def test_a_missing_key_file_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    open_tracker(sqlite_url).close()
    missing = tmp_path / "none.key"
    result = run(
        capsys, "--database", sqlite_url, "books", "--chain-key-file", str(missing), "verify"
    )
    assert_refused(result, "none.key")
