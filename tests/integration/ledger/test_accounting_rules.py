"""Each accounting rule of the books, on SQLite and PostgreSQL, with hand-computed figures."""

from __future__ import annotations

import datetime as dt

from tests.factories import SIGNED, Books
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.money import money


def _usd_pledge(books: Books, amount: str = "100000", dues: int = 2) -> int:
    t = books.tracker
    dates = [dt.date(2024, 2 + i, 1) for i in range(dues)]
    p = t.create_pledge(
        books.pid,
        "WSIS2024",
        amount=money(amount, "USD"),
        signed_on=SIGNED,
        instalments=split_evenly(money(amount, "USD"), dates),
    )
    return t.confirm(p).id


def test_confirming_posts_ipsas23_revenue_at_the_signing_date_rate(books: Books) -> None:
    t = books.tracker
    pid = _usd_pledge(books)
    # USD->CHF 0.90 is in force on 15 Jan 2024 (0.88 only from 1 March).
    assert t.pledge(pid).base_amount == money("90000.00", "CHF")
    rec = t.balance(f"receivable:{books.pid}")
    assert rec.amounts == {"USD": money("100000", "USD")}
    assert rec.base == money("90000", "CHF")
    rev = t.balance("revenue:WSIS2024")
    assert rev.amounts == {"USD": money("-100000", "USD")}
    assert rev.base == money("-90000", "CHF")
    assert t.verify() == []


def test_settling_at_a_lower_rate_posts_a_realised_exchange_loss(books: Books) -> None:
    t = books.tracker
    _usd_pledge(books, dues=1)
    # Carried at 100000 x 0.90 = 90000 CHF; received at 0.88 = 88000 CHF: loss 2000 CHF.
    t.record_payment(
        books.pid, money("100000", "USD"), received_on=dt.date(2024, 3, 10), reference="BANK-1"
    )
    fx = t.balance("fx_gain_loss")
    assert fx.base == money("2000.00", "CHF")
    assert fx.amounts == {"CHF": money("0", "CHF")}
    assert t.balance("bank:USD").base == money("88000", "CHF")
    assert t.balance(f"receivable:{books.pid}").base == money("0", "CHF")
    assert t.verify() == []


def test_settling_at_a_higher_rate_posts_a_realised_exchange_gain(books: Books) -> None:
    t = books.tracker
    _usd_pledge(books, dues=1)
    # Received on 5 April at 0.95: 95000 CHF for a 90000 CHF receivable, a 5000 CHF gain.
    t.record_payment(
        books.pid, money("100000", "USD"), received_on=dt.date(2024, 4, 5), reference="BANK-1"
    )
    assert t.balance("fx_gain_loss").base == money("-5000.00", "CHF")


def test_partial_foreign_settlement_posts_the_difference_for_the_settled_part_only(
    books: Books,
) -> None:
    t = books.tracker
    _usd_pledge(books)
    # 30000 USD settled: carrying 27000 CHF, worth 26400 CHF at 0.88: loss 600 CHF.
    t.record_payment(
        books.pid, money("30000", "USD"), received_on=dt.date(2024, 3, 10), reference="BANK-1"
    )
    assert t.balance("fx_gain_loss").base == money("600.00", "CHF")
    assert t.balance(f"receivable:{books.pid}").base == money("63000", "CHF")


def test_a_base_currency_payment_never_posts_an_exchange_difference(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    t.record_payment(
        books.pid, money("20000", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    t.record_payment(
        books.pid, money("30000", "CHF"), received_on=dt.date(2024, 4, 10), reference="B"
    )
    assert t.balance("fx_gain_loss").amounts == {}
    assert t.pledge(p).status is PledgeStatus.FULFILLED


def test_psc_is_charged_on_money_received_and_revenue_reads_gross_and_net(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    t.record_payment(
        books.pid, money("10000.05", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    # 7% of 10000.05 = 700.0035, rounded half up: 700.00.
    assert t.balance("psc_income").amounts == {"CHF": money("-700.00", "CHF")}
    gross = -t.balance("revenue:WSIS2024").base.amount
    psc = t.balance("psc:WSIS2024").base.amount
    assert gross == money("50000", "CHF").amount
    assert gross - psc == money("49300.00", "CHF").amount


def test_bank_charges_are_posted_and_the_settled_amount_includes_them(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    pay = t.record_payment(
        books.pid,
        money("49975", "CHF"),
        received_on=dt.date(2024, 3, 10),
        reference="A",
        bank_charges=money("25", "CHF"),
    )
    assert pay.settled == money("50000", "CHF")
    assert t.balance("bank:CHF").amounts == {"CHF": money("49975", "CHF")}
    assert t.balance("bank_charges").amounts == {"CHF": money("25", "CHF")}
    assert t.pledge(p).status is PledgeStatus.FULFILLED


def test_an_overpayment_becomes_unapplied_credit_of_the_partner(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    pay = t.record_payment(
        books.pid, money("50500", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    assert pay.unapplied == money("500", "CHF")
    assert t.balance(f"unapplied:{books.pid}").amounts == {"CHF": money("-500", "CHF")}
    assert t.balance(f"receivable:{books.pid}").amounts == {"CHF": money("0", "CHF")}
    # PSC is charged on the contribution settled, not on the credit kept for later.
    assert t.balance("psc_income").amounts == {"CHF": money("-3500.00", "CHF")}


def test_a_partial_payment_keeps_the_rest_of_the_pledge_open(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    t.record_payment(
        books.pid, money("100", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    after = t.pledge(p)
    assert after.status is PledgeStatus.PARTIALLY_PAID
    assert after.outstanding == money("49900", "CHF")
    assert after.open_instalments[0].open_amount == money("49900", "CHF")


def test_payments_settle_the_oldest_instalment_first(books: Books) -> None:
    t = books.tracker
    late = t.create_pledge(
        books.pid,
        "WSIS2024",
        amount=money("30000", "CHF"),
        signed_on=SIGNED,
        instalments=[(dt.date(2024, 6, 1), money("30000", "CHF"))],
    )
    early = t.create_pledge(
        books.pid,
        "WSIS2024",
        amount=money("20000", "CHF"),
        signed_on=SIGNED,
        instalments=[
            (dt.date(2024, 2, 1), money("5000", "CHF")),
            (dt.date(2024, 9, 1), money("15000", "CHF")),
        ],
    )
    t.confirm(late)
    t.confirm(early)
    t.record_payment(
        books.pid, money("8000", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    e, lt = t.pledge(early), t.pledge(late)
    assert [i.settled for i in e.instalments] == [money("5000", "CHF"), money("0", "CHF")]
    assert lt.instalments[0].settled == money("3000", "CHF")


def test_apply_to_settles_only_the_named_instalments(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(
        books.pid,
        "WSIS2024",
        amount=money("20000", "CHF"),
        signed_on=SIGNED,
        instalments=[
            (dt.date(2024, 2, 1), money("5000", "CHF")),
            (dt.date(2024, 9, 1), money("15000", "CHF")),
        ],
    )
    t.confirm(p)
    second = t.pledge(p).instalments[1]
    pay = t.record_payment(
        books.pid,
        money("16000", "CHF"),
        received_on=dt.date(2024, 3, 10),
        reference="A",
        apply_to=[second],
    )
    after = t.pledge(p)
    assert [i.settled for i in after.instalments] == [money("0", "CHF"), money("15000", "CHF")]
    assert pay.unapplied == money("1000", "CHF")


def test_a_write_off_is_not_counted_twice(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("160000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    t.record_payment(
        books.pid, money("60000", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    w = t.write_off(p, "partner insolvent", on=dt.date(2024, 12, 31))
    assert w.status is PledgeStatus.WRITTEN_OFF
    assert w.written_off == money("100000", "CHF")
    assert t.balance("write_off").amounts == {"CHF": money("100000", "CHF")}
    assert t.balance(f"receivable:{books.pid}").amounts == {"CHF": money("0", "CHF")}
    s = t.standing(books.pid, "WSIS2024")
    assert s.committed == money("60000", "CHF")
    assert s.tier is not None
    assert s.tier.value == "contributing"
    assert t.receivables(dt.date(2025, 6, 1)).by_currency == {}
    assert t.verify() == []


def test_amending_keeps_paid_instalments_and_adds_exactly_the_new_schedule(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(
        books.pid,
        "WSIS2024",
        amount=money("30000", "CHF"),
        signed_on=SIGNED,
        instalments=split_evenly(
            money("30000", "CHF"), [dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2024, 4, 1)]
        ),
    )
    t.confirm(p)
    t.record_payment(
        books.pid, money("12000", "CHF"), received_on=dt.date(2024, 2, 5), reference="A"
    )
    amended = t.amend(
        p,
        money("50000", "CHF"),
        instalments=[
            (dt.date(2024, 5, 1), money("18000", "CHF")),
            (dt.date(2024, 6, 1), money("20000", "CHF")),
        ],
        on=dt.date(2024, 4, 20),
    ).pledge
    live = [i for i in amended.instalments if not i.replaced]
    assert [(i.amount, i.settled) for i in live] == [
        (money("10000", "CHF"), money("10000", "CHF")),
        (money("2000", "CHF"), money("2000", "CHF")),
        (money("18000", "CHF"), money("0", "CHF")),
        (money("20000", "CHF"), money("0", "CHF")),
    ]
    assert sum(i.amount.amount for i in live) == amended.amount.amount
    assert amended.outstanding == money("38000", "CHF")
    assert t.balance(f"receivable:{books.pid}").amounts == {"CHF": money("38000", "CHF")}
    assert t.balance("revenue:WSIS2024").amounts == {"CHF": money("-50000", "CHF")}
    assert t.verify() == []


def test_cancelling_a_confirmed_unpaid_pledge_posts_its_reversal(books: Books) -> None:
    t = books.tracker
    pid = _usd_pledge(books)
    c = t.cancel(pid, on=dt.date(2024, 2, 20))
    assert c.pledge.status is PledgeStatus.CANCELLED
    assert c.credit_notes == ()  # nothing was invoiced
    assert t.balance("revenue:WSIS2024").base == money("0", "CHF")
    assert t.balance(f"receivable:{books.pid}").amounts == {"USD": money("0", "USD")}
    assert t.standing(books.pid, "WSIS2024").committed == money("0", "CHF")
    assert t.verify() == []


def test_replaying_a_payment_returns_the_original_and_posts_nothing(books: Books) -> None:
    t = books.tracker
    p = t.create_pledge(books.pid, "WSIS2024", amount=money("50000", "CHF"), signed_on=SIGNED)
    t.confirm(p)
    first = t.record_payment(
        books.pid,
        money("100", "CHF"),
        received_on=dt.date(2024, 3, 10),
        reference="A",
        idempotency_key="key-1",
    )
    again = t.record_payment(
        books.pid,
        money("100", "CHF"),
        received_on=dt.date(2024, 3, 10),
        reference="A",
        idempotency_key="key-1",
    )
    assert again == first
    assert t.balance("bank:CHF").amounts == {"CHF": money("100", "CHF")}


def test_standing_reports_tier_next_tier_shortfall_and_packages(books: Books) -> None:
    t = books.tracker
    t.confirm(
        t.create_pledge(books.pid, "WSIS2024", amount=money("140000", "CHF"), signed_on=SIGNED)
    )
    t.confirm(
        t.create_pledge(
            books.pid,
            "WSIS2024",
            amount=money("40000", "CHF"),
            signed_on=SIGNED,
            package="HACKATHON",
        )
    )
    t.record_payment(
        books.pid, money("10000", "CHF"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    s = t.standing(books.pid, "WSIS2024")
    assert s.tier is not None
    assert s.tier.value == "contributing"
    assert s.next_tier is not None
    assert s.next_tier.value == "gold"
    assert s.shortfall == money("10000", "CHF")
    assert s.packages == {"HACKATHON": 1}
    # Activity money is shown apart: the schedule says it does not count toward a tier.
    assert s.committed == money("140000", "CHF")
    assert s.activity_committed == money("40000", "CHF")
    assert s.paid == money("10000", "CHF")  # the oldest instalment first: the tier pledge's
    assert s.activity_paid == money("0", "CHF")
    assert s.owed == money("130000", "CHF")


def test_statement_lists_every_movement_with_a_running_balance(books: Books) -> None:
    t = books.tracker
    _usd_pledge(books)
    t.record_payment(
        books.pid, money("30000", "USD"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    lines = t.statement(books.pid, "WSIS2024").lines["USD"]
    assert [ln.amount for ln in lines] == [money("100000", "USD"), money("-30000", "USD")]
    assert [ln.balance for ln in lines] == [money("100000", "USD"), money("70000", "USD")]
    assert [ln.kind for ln in lines] == ["pledge", "payment"]


def test_receivables_are_aged_by_instalment_due_date_per_currency(books: Books) -> None:
    t = books.tracker
    _usd_pledge(books, dues=3)  # due 1 Feb, 1 Mar, 1 Apr; 33333.34 + 33333.33 + 33333.33
    p = t.create_pledge(
        books.pid,
        "WSIS2024",
        amount=money("9000", "CHF"),
        signed_on=SIGNED,
        instalments=[(dt.date(2024, 1, 20), money("9000", "CHF"))],
    )
    t.confirm(p)
    r = t.receivables(dt.date(2024, 4, 25))
    usd = r.by_currency["USD"]
    assert usd["61-90"] == money("33333.34", "USD")  # 84 days past 1 Feb
    assert usd["31-60"] == money("33333.33", "USD")  # 55 days past 1 Mar
    assert usd["0-30"] == money("33333.33", "USD")  # 24 days past 1 Apr
    assert r.by_currency["CHF"]["over_90"] == money("9000", "CHF")  # 96 days past 20 Jan
    (chf,) = [a for a in r.by_partner if (a.partner_id, a.currency) == (books.pid, "CHF")]
    assert chf.buckets["over_90"] == money("9000", "CHF")
    assert chf.short_name == "ACME"
    assert chf.name == "ACME Corporation"


def test_balance_as_of_a_date_counts_only_postings_up_to_it(books: Books) -> None:
    t = books.tracker
    _usd_pledge(books)
    t.record_payment(
        books.pid, money("30000", "USD"), received_on=dt.date(2024, 3, 10), reference="A"
    )
    assert t.balance("bank:USD", as_of=dt.date(2024, 3, 9)).amounts == {}
    assert t.balance("bank:USD", as_of=dt.date(2024, 3, 10)).amounts == {
        "USD": money("30000", "USD")
    }
