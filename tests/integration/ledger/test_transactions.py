"""``tracker.transaction()``: several use cases all-or-nothing; nested use is an error."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import SIGNED, Books, make_partner, snapshot
from wsis_funding.errors import InvalidAmount, TransactionInProgress, UnknownPartner
from wsis_funding.money import money


def test_use_cases_in_one_transaction_commit_together(books: Books) -> None:
    t = books.tracker
    with t.transaction() as tx:
        other = tx.add_partner(make_partner("GLOBEX"))
        assert other.id is not None
        pledge = tx.confirm(
            tx.create_pledge(other.id, "WSIS2024", amount=money("1000", "CHF"), signed_on=SIGNED)
        )
        tx.record_payment(
            other.id, money("400", "CHF"), received_on=dt.date(2024, 2, 1), reference="B-1"
        )
        assert tx.pledge(pledge).outstanding == money("600", "CHF")
    assert t.pledge(pledge).outstanding == money("600", "CHF")
    assert t.balance(f"receivable:{other.id}").amounts["CHF"] == money("600", "CHF")
    assert t.verify() == []


def test_an_error_leaving_the_block_writes_nothing(books: Books) -> None:
    t = books.tracker
    before = snapshot(t)

    def add_then_fail() -> None:
        with t.transaction() as tx:
            tx.add_partner(make_partner("GLOBEX"))
            tx.confirm(
                tx.create_pledge(
                    books.pid, "WSIS2024", amount=money("1000", "CHF"), signed_on=SIGNED
                )
            )
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        add_then_fail()
    assert snapshot(t) == before


def test_a_failed_use_case_inside_leaves_the_rest_of_the_transaction_usable(
    books: Books,
) -> None:
    """Each use case runs in a savepoint: a failed one undoes only itself, and the error is the
    caller's to handle; what the others did commits."""
    t = books.tracker
    with t.transaction() as tx:
        p = tx.create_pledge(books.pid, "WSIS2024", amount=money("1000", "CHF"), signed_on=SIGNED)
        with pytest.raises(UnknownPartner):
            tx.create_pledge(9999, "WSIS2024", amount=money("5", "CHF"), signed_on=SIGNED)
        with pytest.raises(InvalidAmount):
            tx.record_payment(books.pid, money("-5", "CHF"), received_on=SIGNED, reference="bad")
        tx.confirm(p)
    assert t.pledge(p).status.value == "confirmed"
    assert len(t.statement(books.pid, "WSIS2024").lines["CHF"]) == 1
    assert t.verify() == []


def test_calling_the_tracker_inside_its_own_transaction_is_an_error(books: Books) -> None:
    t = books.tracker
    with t.transaction() as tx:
        with pytest.raises(TransactionInProgress, match=r"tracker\.partner"):
            t.partner(books.pid)
        with (
            pytest.raises(TransactionInProgress, match=r"tracker\.transaction\(\)"),
            t.transaction(),
        ):
            pass
        assert tx.partner(books.pid).short_name == "ACME"
    assert t.partner(books.pid).short_name == "ACME"


def test_a_transaction_cannot_be_used_after_its_block(books: Books) -> None:
    with books.tracker.transaction() as tx:
        pass
    with pytest.raises(TransactionInProgress, match="has ended"):
        tx.partner(books.pid)
