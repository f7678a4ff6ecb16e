"""Messages name the right object and state money as money, never as a count of minor units."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from tests.factories import SIGNED, Books
from wsis_funding import errors
from wsis_funding.ledger.model import Entry, Language, Posting
from wsis_funding.money import money

ON = dt.date(2024, 3, 5)


def test_confirming_a_cancelled_pledge_says_it_is_cancelled_not_confirmed(books: Books) -> None:
    t = books.tracker
    pledge = t.create_pledge(books.pid, "WSIS2024", amount=money("1000", "CHF"), signed_on=SIGNED)
    t.cancel(pledge, on=SIGNED)
    with pytest.raises(errors.InvalidTransition) as caught:
        t.confirm(pledge)
    assert str(caught.value) == (
        f"cannot confirm pledge {pledge.id} in status 'cancelled'; only a draft can be "
        "confirmed; it is cancelled"
    )


def test_confirming_a_written_off_pledge_says_it_is_written_off(books: Books) -> None:
    pledge = books.confirmed_pledge("1000")
    books.tracker.write_off(pledge, "gone", on=dt.date(2024, 4, 1))
    with pytest.raises(errors.InvalidTransition) as caught:
        books.tracker.confirm(pledge)
    assert str(caught.value) == (
        f"cannot confirm pledge {pledge.id} in status 'written_off'; it was confirmed already "
        "and is now written off"
    )


def test_paying_an_instalment_of_another_partner_names_the_instalment_and_its_owner(
    books: Books,
) -> None:
    other = books.add_partner("GLOBEX", Language.EN)
    theirs = books.confirmed_pledge("1000", partner=other.id)
    instalment = theirs.instalments[0].id
    assert instalment is not None
    with pytest.raises(errors.UnknownPledge) as caught:
        books.tracker.record_payment(
            books.pid, money("10", "CHF"), received_on=ON, reference="x", apply_to=[instalment]
        )
    assert str(caught.value) == (
        f"unknown instalment {instalment}: not one of partner {books.pid}'s (it is on pledge "
        f"{theirs.id} of partner {other.id})"
    )


def test_paying_an_instalment_that_does_not_exist_says_so(books: Books) -> None:
    books.confirmed_pledge("1000")
    with pytest.raises(errors.UnknownPledge) as caught:
        books.tracker.record_payment(
            books.pid, money("10", "CHF"), received_on=ON, reference="x", apply_to=[999]
        )
    assert str(caught.value) == "unknown instalment 999: the books hold no such instalment"


def test_paying_a_paid_instalment_calls_it_an_instalment_not_a_pledge(books: Books) -> None:
    pledge = books.confirmed_pledge("1000", parts=2)
    first = pledge.instalments[0].id
    assert first is not None
    books.tracker.record_payment(
        books.pid, money("500", "CHF"), received_on=ON, reference="a", apply_to=[first]
    )
    with pytest.raises(errors.InvalidTransition) as caught:
        books.tracker.record_payment(
            books.pid, money("10", "CHF"), received_on=ON, reference="b", apply_to=[first]
        )
    assert str(caught.value) == (
        f"cannot apply money to instalment {first} of pledge {pledge.id} in status 'paid'; "
        "it is paid in full: nothing is open on it"
    )


def test_an_amendment_memo_states_the_change_in_money(books: Books) -> None:
    pledge = books.confirmed_pledge("80000", "EUR")
    books.tracker.amend(
        pledge,
        money("88000", "EUR"),
        instalments=[(dt.date(2024, 9, 1), money("88000", "EUR"))],
        on=dt.date(2024, 4, 1),
    )
    books.tracker.amend(
        pledge,
        money("87999.99", "EUR"),
        instalments=[(dt.date(2024, 9, 2), money("87999.99", "EUR"))],
        on=dt.date(2024, 4, 2),
    )
    with books.tracker.engine.connect() as conn:
        memos = conn.execute(
            text("SELECT memo FROM journal_entries WHERE kind = 'pledge_amended' ORDER BY seq")
        ).scalars()
        assert list(memos) == [
            f"Pledge {pledge.id} amended up by 8000.00 EUR",
            f"Pledge {pledge.id} amended down by 0.01 EUR",
        ]


def test_an_unbalanced_entry_states_the_difference_in_money(books: Books) -> None:
    def entry(chf: int, base: int) -> Entry:
        return Entry(
            entry_date=SIGNED,
            kind="manual",
            memo="bad",
            postings=(
                Posting(account="bank:CHF", currency="CHF", amount_minor=10000, base_minor=10000),
                Posting(account="psc_income", currency="CHF", amount_minor=chf, base_minor=base),
            ),
        )

    with pytest.raises(errors.UnbalancedEntry) as caught:
        books.tracker.post_entries([entry(-9999, -9999)])
    assert (
        str(caught.value) == "journal entry 'bad' does not balance in CHF: postings sum to CHF0.01"
    )
    with pytest.raises(errors.UnbalancedEntry) as caught:
        books.tracker.post_entries([entry(-10000, -10250)])
    assert str(caught.value) == (
        "journal entry 'bad' does not balance in base currency (CHF): postings sum to -CHF2.50"
    )


def test_a_credit_limit_is_stated_in_money_beside_the_amount_asked(books: Books) -> None:
    books.tracker.record_payment(books.pid, money("100", "CHF"), received_on=ON, reference="c")
    books.confirmed_pledge("1000")
    with pytest.raises(errors.NoCreditToApply) as caught:
        books.tracker.apply_credit(
            books.pid, "CHF", on=dt.date(2024, 6, 1), amount=money("1000", "CHF")
        )
    assert "only 100.00 CHF is available" in str(caught.value)
    assert "minor" not in str(caught.value)
