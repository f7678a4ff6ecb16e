"""Revenue is reported gross and net of PSC, per currency and in base currency."""

from __future__ import annotations

import datetime as dt

from tests.factories import SIGNED, Books
from wsis_funding.money import money


def test_revenue_is_reported_gross_and_net_of_psc(books: Books) -> None:
    t = books.tracker
    t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money("100000", "CHF"), signed_on=SIGNED)
    )
    t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money("10000", "USD"), signed_on=SIGNED)
    )
    t.record_payment(
        books.pid, money("50000", "CHF"), received_on=dt.date(2024, 2, 1), reference="bank 1"
    )
    report = t.revenue("WSIS2024")
    chf = report.by_currency["CHF"]
    assert (chf.gross, chf.psc, chf.net) == (
        money("100000", "CHF"),
        money("3500", "CHF"),  # 7 % of the 50,000 received
        money("96500", "CHF"),
    )
    usd = report.by_currency["USD"]
    assert (usd.gross, usd.psc, usd.net) == (
        money("10000", "USD"),
        money(0, "USD"),
        money("10000", "USD"),
    )
    # Base: CHF 100,000 + USD 10,000 at 0.90 (signing-date rate) = CHF 109,000 gross.
    assert report.base.gross == money("109000", "CHF")
    assert report.base.psc == money("3500", "CHF")
    assert report.base.net == money("105500", "CHF")
    assert t.revenue("WSIS2024", as_of=dt.date(2024, 1, 31)).base.psc == money(0, "CHF")
