"""Bad input raises a specific error from wsis_funding.errors and leaves the database unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import SIGNED, Books, snapshot
from wsis_funding import errors
from wsis_funding.money import money


def _unchanged(books: Books, action: Callable[[], Any], error: type[BaseException]) -> Any:
    before = snapshot(books.tracker)
    with pytest.raises(error) as info:
        action()
    assert snapshot(books.tracker) == before
    return info.value


@pytest.fixture
def confirmed(books: Books) -> int:
    t = books.tracker
    return t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    ).id


def test_an_unknown_partner_is_refused(books: Books) -> None:
    e = _unchanged(
        books,
        lambda: books.tracker.create_pledge(
            999, "WSIS2024", amount=money("1", "CHF"), signed_on=SIGNED
        ),
        errors.UnknownPartner,
    )
    assert e.partner == 999


def test_an_unknown_edition_is_refused(books: Books) -> None:
    e = _unchanged(
        books,
        lambda: books.tracker.create_pledge(
            books.pid, "WSIS1999", amount=money("1", "CHF"), signed_on=SIGNED
        ),
        errors.UnknownEdition,
    )
    assert e.edition == "WSIS1999"


def test_instalments_that_do_not_sum_to_the_amount_are_refused(books: Books) -> None:
    schedule = [
        (dt.date(2024, 2, 1), money("600", "CHF")),
        (dt.date(2024, 3, 1), money("300", "CHF")),
    ]
    e = _unchanged(
        books,
        lambda: books.tracker.create_pledge(
            books.pid,
            "WSIS2024",
            amount=money("1000", "CHF"),
            signed_on=SIGNED,
            instalments=schedule,
        ),
        errors.InstalmentsDoNotSum,
    )
    assert e.got == money("900", "CHF")


@pytest.mark.parametrize("amount", [money("-5", "CHF"), money("0", "CHF")])
def test_a_negative_or_zero_amount_is_refused(books: Books, amount: Any) -> None:
    _unchanged(
        books,
        lambda: books.tracker.create_pledge(books.pid, "WSIS2024", amount=amount, signed_on=SIGNED),
        errors.InvalidAmount,
    )


def test_a_float_amount_is_refused_with_type_error(books: Books, confirmed: int) -> None:
    t = books.tracker
    float_amount: Any = 10.5
    _unchanged(
        books,
        lambda: t.create_pledge(books.pid, "WSIS2024", amount=float_amount, signed_on=SIGNED),
        TypeError,
    )
    _unchanged(
        books,
        lambda: t.record_payment(books.pid, float_amount, received_on=SIGNED, reference="A"),
        TypeError,
    )


def test_a_negative_payment_is_refused(books: Books, confirmed: int) -> None:
    _unchanged(
        books,
        lambda: books.tracker.record_payment(
            books.pid, money("-1", "CHF"), received_on=SIGNED, reference="A"
        ),
        errors.InvalidAmount,
    )


def test_a_payment_in_another_currency_than_the_pledge_is_refused(
    books: Books, confirmed: int
) -> None:
    e = _unchanged(
        books,
        lambda: books.tracker.record_payment(
            books.pid, money("100", "USD"), received_on=SIGNED, reference="A"
        ),
        errors.CurrencyMismatch,
    )
    assert (e.expected, e.got) == ("CHF", "USD")


def test_cancelling_a_paid_pledge_is_refused_and_suggests_write_off(
    books: Books, confirmed: int
) -> None:
    t = books.tracker
    t.record_payment(books.pid, money("100", "CHF"), received_on=dt.date(2024, 2, 1), reference="A")
    e = _unchanged(
        books, lambda: t.cancel(confirmed, on=dt.date(2024, 3, 1)), errors.InvalidTransition
    )
    assert "write_off" in str(e)
    assert e.pledge == confirmed


def test_confirming_twice_is_refused(books: Books, confirmed: int) -> None:
    e = _unchanged(books, lambda: books.tracker.confirm(confirmed), errors.InvalidTransition)
    assert e.status == "confirmed"


def test_reusing_an_idempotency_key_for_other_content_is_refused(
    books: Books, confirmed: int
) -> None:
    t = books.tracker
    t.record_payment(
        books.pid,
        money("100", "CHF"),
        received_on=dt.date(2024, 2, 1),
        reference="A",
        idempotency_key="k",
    )
    e = _unchanged(
        books,
        lambda: t.record_payment(
            books.pid,
            money("101", "CHF"),
            received_on=dt.date(2024, 2, 1),
            reference="A",
            idempotency_key="k",
        ),
        errors.IdempotencyConflict,
    )
    assert e.key == "k"


def test_confirming_without_a_rate_on_the_signing_date_is_refused(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("100", "GBP"), signed_on=SIGNED)
    _unchanged(books, lambda: t.confirm(p), errors.MissingRate)


def test_selling_an_activity_package_beyond_capacity_is_refused(books: Books) -> None:
    t = books.tracker
    t.confirm(
        t.create_pledge(
            books.pid,
            "WSIS2024",
            amount=money("40000", "CHF"),
            signed_on=SIGNED,
            package="HACKATHON",
        )
    )
    second = t.create_pledge(
        books.pid, "WSIS2024", amount=money("40000", "CHF"), signed_on=SIGNED, package="HACKATHON"
    )
    _unchanged(books, lambda: t.confirm(second), errors.CapacityExceeded)


def test_an_unknown_pledge_is_refused(books: Books) -> None:
    e = _unchanged(books, lambda: books.tracker.confirm(4242), errors.UnknownPledge)
    assert e.pledge == 4242


def test_a_float_psc_rate_is_refused(books: Books) -> None:
    import attrs

    from tests.factories import make_edition

    bad = attrs.evolve(make_edition("WSIS2025"), psc_rate=0.07)  # type: ignore[arg-type]
    _unchanged(books, lambda: books.tracker.add_edition(bad), TypeError)
    good = attrs.evolve(make_edition("WSIS2025"), psc_rate=Decimal("0.07"))
    assert books.tracker.add_edition(good).psc_rate == Decimal("0.07")
