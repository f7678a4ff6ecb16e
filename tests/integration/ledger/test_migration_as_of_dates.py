"""Migration 0003 fills the new date columns of existing books from the journal."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.config import Config
from sqlalchemy import select

from tests.factories import SIGNED, Books
from wsis_funding.ledger.model import Pledge
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.storage import tables as t


def _migrate(url: str, target: str, downgrade: bool = False) -> None:
    with open_tracker(url) as tracker, tracker.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", "wsis_funding.storage:migrations")
        config.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(config, target)


def test_upgrading_books_from_0002_fills_the_dates_from_the_journal(db_url: str) -> None:
    with open_tracker(db_url) as tracker:
        books = Books(tracker)

        def p(amount: str) -> Pledge:
            new = tracker.create_pledge(
                books.pid, "WSIS2024", amount=money(amount, "CHF"), signed_on=SIGNED
            )
            return tracker.confirm(new)

        kept, cancelled, written_off = p("100"), p("200"), p("300")
        tracker.create_pledge(
            books.pid, "WSIS2024", amount=money("400", "CHF"), signed_on=SIGNED
        )  # a draft
        tracker.cancel(cancelled, on=dt.date(2024, 5, 1))
        tracker.write_off(written_off, "no longer reachable", on=dt.date(2024, 6, 1))
    _migrate(db_url, "0002", downgrade=True)
    _migrate(db_url, "head")
    with open_tracker(db_url) as tracker, tracker.engine.connect() as conn:
        rows = {
            r.id: (r.posted_on, r.cancelled_on, r.written_off_on)
            for r in conn.execute(select(t.pledges))
        }
        assert rows[kept.id] == (SIGNED, None, None)
        assert rows[cancelled.id] == (SIGNED, dt.date(2024, 5, 1), None)
        assert rows[written_off.id] == (SIGNED, None, dt.date(2024, 6, 1))
        draft = max(rows)
        assert rows[draft] == (None, None, None)
        assert tracker.verify() == []
