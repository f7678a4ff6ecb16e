"""Unapplied credit from an overpayment settles later instalments, like the money it was."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import SIGNED, Books, snapshot
from wsis_funding.errors import NoCreditToApply
from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.money import money


def overpaid(books: Books, currency: str, pledged: str, paid: str, on: dt.date) -> None:
    t = books.tracker
    t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money(pledged, currency), signed_on=SIGNED)
    )
    t.record_payment(books.pid, money(paid, currency), received_on=on, reference="overpayment")


def test_credit_settles_a_later_pledge_and_pays_psc_then(books: Books) -> None:
    t = books.tracker
    overpaid(books, "CHF", "50000", "50500", dt.date(2024, 3, 10))
    later = t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money("300", "CHF"), signed_on=SIGNED)
    )
    applied = t.apply_credit(books.pid, "CHF", on=dt.date(2024, 4, 1))
    assert applied.source == "credit"
    assert applied.amount == money("300", "CHF")
    assert applied.settled == money("300", "CHF")
    assert t.pledge(later).status is PledgeStatus.FULFILLED
    assert t.balance(f"unapplied:{books.pid}").amounts == {"CHF": money("-200", "CHF")}
    assert t.balance("psc_income").amounts == {"CHF": money("-3521", "CHF")}  # 3,500 + 21
    assert t.balance("fx_gain_loss").amounts == {}
    assert t.balance("bank:CHF").amounts == {"CHF": money("50500", "CHF")}  # no new money
    assert t.verify() == []


def test_credit_can_be_applied_in_part(books: Books) -> None:
    t = books.tracker
    overpaid(books, "CHF", "1000", "1500", dt.date(2024, 3, 10))
    later = t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money("300", "CHF"), signed_on=SIGNED)
    )
    t.apply_credit(books.pid, "CHF", on=dt.date(2024, 4, 1), amount=money("100", "CHF"))
    assert t.pledge(later).outstanding == money("200", "CHF")
    assert t.pledge(later).status is PledgeStatus.PARTIALLY_PAID
    assert t.balance(f"unapplied:{books.pid}").amounts == {"CHF": money("-400", "CHF")}
    assert t.verify() == []


def test_foreign_credit_is_applied_at_its_carrying_value_with_the_exchange_difference(
    books: Books,
) -> None:
    """USD 500 credit arose on 10 March at 0.88 (CHF 440). A USD 400 pledge signed on 2 April
    at 0.95 is carried at CHF 380. Applying USD 400 of the credit uses CHF 352 of it (440 x
    400/500): a realised loss of CHF 28 on top of the CHF 20 loss of the first settlement."""
    t = books.tracker
    overpaid(books, "USD", "1000", "1500", dt.date(2024, 3, 10))
    later = t.confirm(
        t.create_pledge(
            books.pid, "WSIS2024", amount=money("400", "USD"), signed_on=dt.date(2024, 4, 2)
        )
    )
    t.apply_credit(books.pid, "USD", on=dt.date(2024, 4, 10))
    assert t.pledge(later).status is PledgeStatus.FULFILLED
    credit = t.balance(f"unapplied:{books.pid}")
    assert credit.amounts == {"USD": money("-100", "USD")}
    assert credit.base == money("-88", "CHF")
    assert t.balance("fx_gain_loss").base == money("48", "CHF")
    psc = t.balance("psc:WSIS2024")
    assert psc.amounts == {"USD": money("98", "USD")}  # 7 % of 1,000 then of 400
    assert psc.base == money("86.24", "CHF")  # 61.60 at 0.88, then 28 x 440/500 = 24.64
    assert t.balance(f"receivable:{books.pid}").amounts == {"USD": money("0", "USD")}
    assert t.verify() == []


def test_applying_credit_that_is_not_there_changes_nothing(books: Books) -> None:
    t = books.tracker
    with pytest.raises(NoCreditToApply, match="no unapplied credit"):
        t.apply_credit(books.pid, "CHF", on=dt.date(2024, 4, 1))
    overpaid(books, "CHF", "1000", "1500", dt.date(2024, 3, 10))
    before = snapshot(t)
    with pytest.raises(NoCreditToApply, match="nothing is open"):
        t.apply_credit(books.pid, "CHF", on=dt.date(2024, 4, 1))
    t.confirm(t.create_pledge(books.pid, "WSIS2024", amount=money("300", "CHF"), signed_on=SIGNED))
    before = snapshot(t)
    with pytest.raises(NoCreditToApply, match=r"only 500\.00 CHF is available"):
        t.apply_credit(books.pid, "CHF", on=dt.date(2024, 4, 1), amount=money("500.01", "CHF"))
    with pytest.raises(NoCreditToApply, match="in EUR"):
        t.apply_credit(books.pid, "CHF", on=dt.date(2024, 4, 1), amount=money("5", "EUR"))
    assert snapshot(t) == before
