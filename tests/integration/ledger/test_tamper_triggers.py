"""Rows that only the use cases change refuse any other change, in the database itself."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import DBAPIError

from tests.factories import DUE, ISSUED, Books, snapshot
from tests.tampering import sql
from wsis_funding.examples import example_issuer
from wsis_funding.money import money
from wsis_funding.services import open_tracker


def _season(books: Books) -> None:
    pledge = books.confirmed_pledge("60000", parts=2)
    books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    books.tracker.record_payment(
        books.pid, money("10000", "CHF"), received_on=dt.date(2024, 3, 5), reference="A"
    )


REFUSED = [
    "UPDATE payments SET amount_minor = amount_minor * 10",
    "DELETE FROM payments",
    "UPDATE settlements SET amount_minor = 1",
    "DELETE FROM settlements",
    "UPDATE accounts SET code = 'bank:EUR' WHERE code = 'bank:CHF'",
    "DELETE FROM account_totals",
    "DELETE FROM instalments",
    "UPDATE instalments SET settled_minor = 0",
    "UPDATE instalments SET amount_minor = amount_minor + 100",
    "UPDATE instalments SET due_on = '2030-01-01'",
    "UPDATE instalments SET pledge_id = pledge_id + 1",
    "UPDATE pledges SET partner_id = partner_id + 1",
    "UPDATE pledges SET signed_on = '2020-01-01'",
    "UPDATE pledges SET currency = 'EUR'",
    "UPDATE pledges SET status = 'draft'",
    "DELETE FROM pledges",
    "UPDATE document_counters SET last_seq = last_seq - 1",
    "UPDATE document_counters SET last_seq = last_seq + 2",
    "DELETE FROM document_counters",
    "UPDATE journal_chain SET seq = seq - 1",
    "DELETE FROM journal_chain",
    "UPDATE ledger_settings SET value = 'EUR' WHERE key = 'base_currency'",
    "DELETE FROM ledger_settings WHERE key = 'base_currency'",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_changes_the_use_cases_never_make_are_refused_by_the_database(
    db_url: str, statement: str
) -> None:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        _season(books)
        before = snapshot(tracker)
        with pytest.raises(DBAPIError, match="refused"):
            sql(tracker, statement)
        assert snapshot(tracker) == before
        assert tracker.verify() == []


@pytest.mark.parametrize(
    "table", ["payments", "settlements", "instalments", "pledges", "document_counters"]
)
def test_truncating_a_kept_table_is_refused_on_postgresql(pg_url: str, table: str) -> None:
    with open_tracker(pg_url, issuer=example_issuer()) as tracker:
        _season(Books(tracker))
        with pytest.raises(DBAPIError, match="refused"):
            sql(tracker, f"TRUNCATE {table} CASCADE")


def test_a_cancelled_pledge_cannot_be_revived_behind_the_use_cases(db_url: str) -> None:
    with open_tracker(db_url) as tracker:
        books = Books(tracker)
        pledge = books.confirmed_pledge("1000")
        tracker.cancel(pledge, on=dt.date(2024, 2, 1))
        with pytest.raises(DBAPIError, match="refused"):
            sql(tracker, "UPDATE pledges SET status = 'confirmed'")


def test_what_the_use_cases_change_still_changes(db_url: str) -> None:
    """Settling, amending (replacing and cutting instalments), reducing, writing off and a new
    rate age setting all pass the triggers."""
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        pledge = books.confirmed_pledge("60000", parts=3)
        invoice = tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
        tracker.record_payment(
            books.pid, money("25000", "CHF"), received_on=dt.date(2024, 3, 5), reference="A"
        )
        tracker.credit_invoice(
            invoice.number, dt.date(2024, 3, 6), kind="reduction", amount=money("1000", "CHF")
        )
        tracker.amend(
            pledge,
            money("40000", "CHF"),
            instalments=[(dt.date(2024, 9, 1), money("15000", "CHF"))],
            on=dt.date(2024, 4, 1),
        )
        tracker.write_off(pledge, "closed", on=dt.date(2024, 10, 1))
        tracker.set_max_rate_age(40)
        assert tracker.verify() == []
