"""Receivables as of a past date read the books as they stood then, on both engines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from tests.factories import SIGNED, Books
from wsis_funding.money import Money, money


def chf(buckets: Mapping[str, Money]) -> dict[str, str]:
    return {b: str(m.amount) for b, m in buckets.items() if m.amount}


def test_later_cancellation_write_off_and_amendment_do_not_rewrite_an_earlier_report(
    books: Books,
) -> None:
    t = books.tracker
    a = t.confirm(
        t.create_pledge(
            books.pid, "WSIS2024", amount=money("30000", "CHF"), signed_on=SIGNED,
            instalments=[(dt.date(2024, 2, 1), money("10000", "CHF")),
             (dt.date(2024, 4, 1), money("20000", "CHF"))],
        )
    )  # fmt: skip
    t.record_payment(
        books.pid, money("4000", "CHF"), received_on=dt.date(2024, 2, 10), reference="bank 1"
    )
    b = t.confirm(
        t.create_pledge(
            books.pid, "WSIS2024", amount=money("5000", "CHF"), signed_on=SIGNED,
            instalments=[(dt.date(2024, 3, 1), money("5000", "CHF"))],
        )
    )  # fmt: skip
    c = t.confirm(
        t.create_pledge(
            books.pid, "WSIS2024", amount=money("8000", "CHF"), signed_on=SIGNED,
            instalments=[(dt.date(2024, 2, 15), money("8000", "CHF"))],
        )
    )  # fmt: skip
    april = dt.date(2024, 4, 15)
    before = t.receivables(april).by_currency["CHF"]

    t.cancel(b, on=dt.date(2024, 5, 1))
    t.write_off(c, "partner dissolved", on=dt.date(2024, 6, 1))
    t.amend(
        a, money("24000", "CHF"), instalments=[(dt.date(2024, 9, 1), money("20000", "CHF"))],
        on=dt.date(2024, 7, 1),
    )  # fmt: skip

    after_changes = t.receivables(april).by_currency["CHF"]
    assert after_changes == before
    assert chf(after_changes) == {"0-30": "20000.00", "31-60": "13000.00", "61-90": "6000.00"}
    receivable = f"receivable:{books.pid}"
    assert t.balance(receivable, as_of=april).amounts["CHF"] == money("39000", "CHF")

    august = dt.date(2024, 8, 1)
    assert chf(t.receivables(august).by_currency["CHF"]) == {"not_due": "20000.00"}
    assert t.balance(receivable, as_of=august).amounts["CHF"] == money("20000", "CHF")
    assert t.verify() == []


def test_a_pledge_signed_after_the_date_is_not_yet_receivable(books: Books) -> None:
    t = books.tracker
    t.confirm(
        t.create_pledge(
            books.pid, "WSIS2024", amount=money("1000", "CHF"), signed_on=dt.date(2024, 3, 1),
            instalments=[(dt.date(2024, 4, 1), money("1000", "CHF"))],
        )
    )  # fmt: skip
    assert t.receivables(dt.date(2024, 2, 28)).by_currency == {}
    assert chf(t.receivables(dt.date(2024, 3, 1)).by_currency["CHF"]) == {"not_due": "1000.00"}
