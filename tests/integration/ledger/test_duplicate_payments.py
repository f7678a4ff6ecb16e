"""The same bank line recorded twice without an idempotency key is a probable duplicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import Books, snapshot
from wsis_funding import errors
from wsis_funding.ledger.model import Language
from wsis_funding.money import money

ON = dt.date(2024, 3, 5)


def _pay(books: Books, amount: str = "1000", **kwargs: Any) -> int:
    fields: dict[str, Any] = {"received_on": ON, "reference": "UBS 2024-03-05 line 7"}
    fields.update(kwargs)
    payment = books.tracker.record_payment(books.pid, money(amount, "CHF"), **fields)
    assert payment.id is not None
    return payment.id


def test_the_same_bank_line_twice_without_a_key_is_refused_naming_the_first(
    books: Books,
) -> None:
    books.confirmed_pledge("60000")
    first = _pay(books)
    before = snapshot(books.tracker)
    with pytest.raises(errors.DuplicatePayment) as caught:
        _pay(books)
    assert caught.value.existing == first
    assert str(caught.value) == (
        f"probable duplicate of payment {first}: partner {books.pid} already paid "
        "CHF1,000.00 received on 2024-03-05 with bank reference 'UBS 2024-03-05 line 7'; "
        "give each bank line its own idempotency key, or pass duplicate_ok=True if the bank "
        "really credited it twice"
    )
    assert snapshot(books.tracker) == before


def test_a_line_recorded_with_a_key_is_a_duplicate_of_the_same_line_without_one(
    books: Books,
) -> None:
    books.confirmed_pledge("60000")
    first = _pay(books, idempotency_key="ubs-7")
    with pytest.raises(errors.DuplicatePayment) as caught:
        _pay(books)
    assert caught.value.existing == first


def test_duplicate_ok_records_a_credit_the_bank_really_made_twice(books: Books) -> None:
    books.confirmed_pledge("60000")
    first = _pay(books)
    second = _pay(books, duplicate_ok=True)
    assert second != first
    assert books.tracker.pledge(1).settled == money("2000", "CHF")
    assert books.tracker.verify() == []


@pytest.mark.parametrize(
    "change",
    [
        {"amount": "1000.01"},
        {"received_on": dt.date(2024, 3, 6)},
        {"reference": "UBS 2024-03-05 line 8"},
        {"idempotency_key": "ubs-8"},
    ],
)
def test_a_payment_differing_in_amount_date_reference_or_with_a_key_is_no_duplicate(
    books: Books, change: dict[str, object]
) -> None:
    books.confirmed_pledge("60000")
    _pay(books)
    rest = dict(change)
    amount = str(rest.pop("amount", "1000"))
    _pay(books, amount, **rest)
    assert books.tracker.pledge(1).settled.amount > 1000


def test_the_same_line_for_another_partner_is_no_duplicate(books: Books) -> None:
    other = books.add_partner("GLOBEX", Language.EN)
    assert other.id is not None
    books.confirmed_pledge("60000")
    books.confirmed_pledge("60000", partner=other.id)
    _pay(books)
    books.tracker.record_payment(
        other.id, money("1000", "CHF"), received_on=ON, reference="UBS 2024-03-05 line 7"
    )
    assert books.tracker.verify() == []


def test_replaying_a_key_returns_the_first_payment_not_a_duplicate_error(books: Books) -> None:
    books.confirmed_pledge("60000")
    first = _pay(books, idempotency_key="ubs-7")
    assert _pay(books, idempotency_key="ubs-7") == first


def test_duplicate_ok_must_be_a_bool(books: Books) -> None:
    with pytest.raises(TypeError, match="duplicate_ok must be True or False"):
        _pay(books, duplicate_ok="yes")


def test_bank_charges_above_the_amount_received_are_refused(books: Books) -> None:
    books.confirmed_pledge("60000")
    before = snapshot(books.tracker)
    with pytest.raises(errors.InvalidAmount, match="exceed"):
        _pay(books, "10", bank_charges=money("10.01", "CHF"))
    assert snapshot(books.tracker) == before
