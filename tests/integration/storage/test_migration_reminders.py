"""Migration 0010 lets the documents table hold reminders, on books already full of documents.

The CHECK constraint on ``documents.kind`` is not compared by Alembic's autogenerate, so the
constraint the migrations leave is compared with the tables' here; and the upgrade is run on
books that hold invoices, letters, credit notes, payments and settlements referring to them:
every row, index, trigger and foreign key is as it was, and a reminder can then be stored.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from tests.factories import Books, example_issuer, snapshot
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.storage import tables as t
from wsis_funding.storage.engine import make_engine

BEFORE = "0009"


def migrate(url: str, target: str, *, down: bool = False) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", "wsis_funding.storage:migrations")
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, target)
    finally:
        engine.dispose()


def kinds_allowed(url: str) -> set[str]:
    """The kinds the database's CHECK constraint on documents.kind names."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            checks = inspect(conn).get_check_constraints("documents")
    finally:
        engine.dispose()
    (kind,) = [c["sqltext"] for c in checks if c["name"] == "ck_documents_kind"]
    return set(re.findall(r"'(\w+)'", str(kind)))


def tables_kinds() -> set[str]:
    (check,) = [c for c in t.documents.constraints if getattr(c, "name", "") == "ck_documents_kind"]
    return set(re.findall(r"'(\w+)'", str(check.sqltext)))  # type: ignore[attr-defined]


def documents_of_a_season(url: str) -> tuple[int, str]:
    """Books with an invoice, a payment quoting it, a letter and a credit note; the pledge."""
    with open_tracker(url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        pledge = books.confirmed_pledge("60000", parts=2)
        invoice = tracker.issue_invoice(pledge, dt.date(2024, 2, 1), due_on=dt.date(2024, 3, 2))
        payment = tracker.record_payment(books.pid, money("10000", "CHF"),
                                         received_on=dt.date(2024, 3, 5), reference="b-1",
                                         idempotency_key="k-1", invoice=invoice.number)  # fmt: skip
        tracker.acknowledge(payment, dt.date(2024, 3, 6))
        tracker.credit_invoice(invoice.number, dt.date(2024, 3, 7), kind="correction",
                               amount=money("100", "CHF"))  # fmt: skip
        return pledge.id, invoice.number


def test_the_migrated_constraint_allows_the_kinds_the_tables_declare(db_url: str) -> None:
    with open_tracker(db_url):
        pass
    assert (
        kinds_allowed(db_url)
        == tables_kinds()
        == {
            "invoice",
            "credit_note",
            "letter",
            "reminder",
        }
    )


def test_books_full_of_documents_go_down_before_reminders_and_up_again_unchanged(
    db_url: str,
) -> None:
    pledge_id, invoice = documents_of_a_season(db_url)
    with open_tracker(db_url) as tracker:
        before = snapshot(tracker)
    migrate(db_url, BEFORE, down=True)
    assert kinds_allowed(db_url) == {"invoice", "credit_note", "letter"}
    migrate(db_url, "head")
    assert kinds_allowed(db_url) == tables_kinds()
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        assert snapshot(tracker) == before
        assert tracker.verify() == []
        with tracker.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                conn.rollback()
            # Documents are still frozen by their triggers...
            with pytest.raises(DBAPIError, match="never changed"), conn.begin():
                conn.execute(text("UPDATE documents SET language = 'en'"))
        # ... and a reminder can now be stored.
        reminder = tracker.issue_reminder(pledge_id, dt.date(2024, 4, 2))
        assert reminder.number == "WSIS-REM-2024-0001"
        with tracker.engine.connect() as conn:
            kinds = conn.execute(
                select(t.documents.c.kind).where(t.documents.c.number == reminder.number)
            ).scalar_one()
        assert kinds == "reminder"
        assert tracker.invoice_balance(invoice).open == money("49900", "CHF")


def test_going_down_is_refused_while_the_books_hold_reminders(db_url: str) -> None:
    pledge_id, _ = documents_of_a_season(db_url)
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        tracker.issue_reminder(pledge_id, dt.date(2024, 4, 2))
        before = snapshot(tracker)
    with pytest.raises(RuntimeError, match=r"hold 1 reminder\(s\)"):
        migrate(db_url, BEFORE, down=True)
    with open_tracker(db_url) as tracker:
        assert snapshot(tracker) == before
    assert kinds_allowed(db_url) == tables_kinds()
