"""Issuing a document does not stop the money: its slow preparation holds no lock."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.factories import DUE, ISSUED, Books, example_issuer
from wsis_funding.money import money
from wsis_funding.services import open_tracker, preparing

TIMEOUT = 20


@pytest.fixture
def slow_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[Any]]]:
    """Make the render check wait until released, and record the documents it checks."""
    release = threading.Event()
    checked: list[Any] = []
    real = preparing.prepare  # type: ignore[attr-defined]

    def slow(snapshot: Any, *, template_dir: Any = None) -> Any:
        checked.append(snapshot)
        assert release.wait(TIMEOUT), "the render check was never released"
        return real(snapshot, template_dir=template_dir)

    monkeypatch.setattr(preparing, "prepare", slow)
    yield release, checked
    release.set()


def test_a_payment_is_recorded_while_an_invoice_is_being_prepared(
    books: Books, slow_check: tuple[threading.Event, list[Any]], db_url: str
) -> None:
    release, checked = slow_check
    pledge = books.confirmed_pledge()
    other = books.add_partner("GLOBEX", books.partner.language)
    assert other.id is not None
    issued: list[Any] = []
    worker = threading.Thread(
        target=lambda: issued.append(books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE))
    )
    worker.start()
    try:
        for _ in range(TIMEOUT * 10):
            if checked:
                break
            threading.Event().wait(0.1)
        assert checked, "the invoice never reached its render check"
        # Another connection writes while the invoice is being prepared: no lock is held.
        with open_tracker(db_url, issuer=example_issuer()) as other_books:
            payment = other_books.record_payment(
                other.id, money("100", "CHF"), received_on=dt.date(2024, 3, 1), reference="B-9"
            )
        assert payment.unapplied == money("100", "CHF")
        assert not issued
    finally:
        release.set()
        worker.join(TIMEOUT)
    assert issued[0].number == "WSIS-2024-0001"
    assert len(checked) == 1


def test_a_number_taken_meanwhile_needs_no_second_check(
    books: Books, slow_check: tuple[threading.Event, list[Any]], db_url: str
) -> None:
    """The draft expected WSIS-2024-0001; another invoice took it first; the document gets
    0002 and is not checked again, since only its number changed."""
    release, checked = slow_check
    first, second = books.confirmed_pledge(), books.confirmed_pledge("30000")
    issued: list[Any] = []
    worker = threading.Thread(
        target=lambda: issued.append(books.tracker.issue_invoice(first, ISSUED, due_on=DUE))
    )
    worker.start()
    try:
        for _ in range(TIMEOUT * 10):
            if checked:
                break
            threading.Event().wait(0.1)
        assert checked[0].number == "WSIS-2024-0001"
        release.set()  # the second invoice, issued in a transaction, checks under its lock
        with (
            open_tracker(db_url, issuer=example_issuer()) as other_books,
            other_books.transaction() as tx,
        ):
            taken = tx.issue_invoice(second, ISSUED, due_on=DUE)
    finally:
        release.set()
        worker.join(TIMEOUT)
    assert {taken.number, issued[0].number} == {"WSIS-2024-0001", "WSIS-2024-0002"}
    assert [s.number for s in checked].count("WSIS-2024-0001") >= 1
    assert len(checked) == 2  # one check per document, none repeated
