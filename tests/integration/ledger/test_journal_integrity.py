"""The journal is append-only (database triggers) and tampering is reported by verify()."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import SIGNED, Books, snapshot
from tests.tampering import bypass_triggers
from wsis_funding import errors
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import money
from wsis_funding.services import open_tracker


def _some_books(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("100000", "USD"), signed_on=SIGNED)
    t.confirm(p)
    t.record_payment(
        books.pid, money("40000", "USD"), received_on=dt.date(2024, 3, 5), reference="A"
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE journal_postings SET amount_minor = amount_minor + 1",
        "DELETE FROM journal_postings",
        "UPDATE journal_entries SET memo = 'edited'",
        "DELETE FROM journal_entries",
    ],
)
def test_updates_and_deletes_of_journal_rows_are_refused_by_the_database(
    books: Books, statement: str
) -> None:
    _some_books(books)
    before = snapshot(books.tracker)
    with pytest.raises(DBAPIError, match="append-only"), books.tracker.engine.begin() as conn:
        conn.execute(text(statement))
    assert snapshot(books.tracker) == before


def _drop_triggers(books: Books) -> None:
    with books.tracker.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in ("journal_entries", "journal_postings"):
                conn.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
        else:
            for table in ("journal_entries", "journal_postings"):
                for action in ("update", "delete"):
                    conn.execute(text(f"DROP TRIGGER {table}_no_{action}"))


def test_a_posting_edited_around_the_triggers_is_reported(books: Books) -> None:
    _some_books(books)
    _drop_triggers(books)
    with books.tracker.engine.begin() as conn:
        conn.execute(
            text("UPDATE journal_postings SET amount_minor = amount_minor - 100 "
                 "WHERE entry_seq = 2 AND line_no = 1")
        )  # fmt: skip
    problems = [str(p) for p in books.tracker.verify()]
    assert any("entry 2: content does not match its hash" in p for p in problems)
    assert any("entry 2: unbalanced in USD" in p for p in problems)
    assert any("running total" in p for p in problems)


def test_a_deleted_entry_is_reported(books: Books) -> None:
    _some_books(books)
    bypass_triggers(books.tracker)
    with books.tracker.engine.begin() as conn:
        conn.execute(text("DELETE FROM settlements"))
        conn.execute(text("DELETE FROM payments"))
        conn.execute(text("DELETE FROM journal_postings WHERE entry_seq = 2"))
        conn.execute(text("DELETE FROM journal_entries WHERE seq = 2"))
    problems = [str(p) for p in books.tracker.verify()]
    assert any("chain head" in p for p in problems)


def test_a_rewritten_memo_is_reported(books: Books) -> None:
    _some_books(books)
    _drop_triggers(books)
    with books.tracker.engine.begin() as conn:
        conn.execute(text("UPDATE journal_entries SET memo = 'nothing to see' WHERE seq = 1"))
    assert [str(p) for p in books.tracker.verify()] == [
        "entry 1: content does not match its hash (tampered)"
    ]


def test_an_unbalanced_entry_is_refused_and_nothing_is_written(books: Books) -> None:
    bad = Entry(
        entry_date=SIGNED, kind="manual", memo="bad",
        postings=(
            Posting(account="bank:CHF", currency="CHF", amount_minor=100, base_minor=100),
            Posting(account="psc_income", currency="CHF", amount_minor=-99, base_minor=-99),
        ),
    )  # fmt: skip
    before = snapshot(books.tracker)
    with pytest.raises(errors.UnbalancedEntry):
        books.tracker.post_entries([bad])
    assert snapshot(books.tracker) == before


def test_entries_are_hash_chained_in_sequence(books: Books) -> None:
    _some_books(books)
    with books.tracker.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, prev_hash, hash FROM journal_entries ORDER BY seq")
        ).all()
    assert [r.seq for r in rows] == [1, 2]
    assert rows[0].prev_hash == "0" * 64
    assert rows[1].prev_hash == rows[0].hash
    assert books.tracker.verify() == []


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "wsis_funding.storage:migrations")
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_reopening_the_books_keeps_the_schema_and_their_own_version_table(db_url: str) -> None:
    with open_tracker(db_url) as t, t.engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('host-app-head')"))
    with open_tracker(db_url) as t, t.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == "host-app-head"
        )
        ours = conn.execute(text("SELECT version_num FROM wsis_funding_alembic_version")).scalar()
        assert ours == _head()
        assert t.verify() == []


def test_sqlite_books_run_with_foreign_keys_and_wal(sqlite_url: str) -> None:
    with open_tracker(sqlite_url) as t, t.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
