"""Where documents meet the ledger (issue 8): one or more tests per item, on both engines.

Rates of the test books (tests/factories.py): USD 0.90 CHF from 1 Jan 2024, 0.88 from 1 Mar,
0.95 from 1 Apr; EUR 0.95 from 1 Jan, 0.97 from 1 Mar. Pledges are signed on 15 Jan 2024.
Every expected figure is worked out in the test, by hand or with Decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import text

from tests.factories import DUE, ISSUED, SIGNED, Books, example_issuer, make_edition, snapshot
from tests.tampering import bypass_triggers
from wsis_funding.errors import (
    ControlledAccount,
    CurrencyMismatch,
    DatesOutOfOrder,
    InvalidAmount,
    NothingToInvoice,
    StaleRate,
    TierNotReached,
    UnknownCurrency,
)
from wsis_funding.ledger.model import Entry, PledgeStatus, Posting
from wsis_funding.money import ExchangeRate, Money, money
from wsis_funding.services import open_tracker


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    """Books able to issue documents (this file issues and credits invoices)."""
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        yield Books(tracker)


def _chf(amount: str) -> Money:
    return money(amount, "CHF")


def _base(amount: str, rate: str) -> Decimal:
    return (Decimal(amount) * Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# 1. Credit notes touch the books -------------------------------------------------------------


def test_a_correction_credit_note_leaves_the_pledge_and_lets_it_be_invoiced_again(
    books: Books,
) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("60000")
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    note = t.credit_invoice(invoice.number, ISSUED, kind="correction", reason="wrong address")
    assert note.total == _chf("60000")
    assert t.pledge(pledge).amount == _chf("60000")
    assert t.balance(f"receivable:{books.pid}").amounts == {"CHF": _chf("60000")}
    assert t.balance("revenue:WSIS2024").amounts == {"CHF": _chf("-60000")}
    again = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert again.total == _chf("60000")
    assert t.invoice_balance(invoice.number).state == "credited"
    assert t.invoice_balance(again.number).open == _chf("60000")


def test_a_reduction_of_a_foreign_pledge_reverses_at_the_signing_rate_latest_instalment_first(
    books: Books,
) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("90000", "USD", parts=3)  # 30,000 each, due 1, 8, 15 Mar
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    t.credit_invoice(invoice.number, ISSUED, kind="reduction", amount=money("40000", "USD"))
    after = t.pledge(pledge)
    assert after.amount == money("50000", "USD")
    assert [i.amount for i in after.instalments if not i.replaced] == [
        money("30000", "USD"),
        money("20000", "USD"),
    ]  # the last (30,000) went, then 10,000 of the second
    assert after.base_amount == _chf(str(_base("50000", "0.90")))
    receivable = t.balance(f"receivable:{books.pid}")
    assert receivable.amounts == {"USD": money("50000", "USD")}
    assert receivable.base == _chf("45000.00")
    assert t.invoice_balance(invoice.number).open == money("50000", "USD")
    assert t.standing(books.pid, "WSIS2024").committed == _chf("45000.00")
    assert t.verify() == []


# 2. Cancel, amend down and write-off leave no invoice open -----------------------------------


def test_cancelling_an_invoiced_pledge_issues_and_returns_reduction_credit_notes(
    books: Books,
) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("60000")
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    change = t.cancel(pledge, on=dt.date(2024, 2, 10))
    assert change.pledge.status is PledgeStatus.CANCELLED
    (note,) = change.credit_notes
    assert note.total == _chf("60000")
    assert note.snapshot.credit_kind.value == "reduction"  # type: ignore[union-attr]
    balance = t.invoice_balance(t.match_reference(invoice.payment_reference or "").number)
    assert (balance.state, balance.open) == ("credited", _chf("0"))
    assert t.balance(f"receivable:{books.pid}").amounts == {"CHF": _chf("0")}
    assert t.balance("revenue:WSIS2024").amounts == {"CHF": _chf("0")}  # posted once, not twice
    payment = t.record_payment(
        books.pid, _chf("60000"), received_on=dt.date(2024, 3, 1), reference="B",
        invoice=invoice.number,
    )  # fmt: skip
    assert payment.unapplied == _chf("60000")
    assert t.verify() == []


def test_amending_down_credits_what_the_invoice_over_asks(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("60000")
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    change = t.amend(
        pledge, _chf("50000"), instalments=[(dt.date(2024, 3, 1), _chf("50000"))], on=ISSUED
    )
    kinds = sorted((n.snapshot.credit_kind.value, n.total) for n in change.credit_notes)  # type: ignore[union-attr]
    # The invoice asked 60,000 for an instalment the amendment replaced: 10,000 is the reduction,
    # 50,000 a correction, and the new instalment is invoiced afresh.
    assert kinds == [("correction", _chf("50000")), ("reduction", _chf("10000"))]
    assert t.invoice_balance(invoice.number).state == "credited"
    assert t.balance("revenue:WSIS2024").amounts == {"CHF": _chf("-50000")}
    fresh = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert fresh.total == _chf("50000")
    assert t.verify() == []


def test_money_for_a_written_off_invoice_is_a_recovery(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("10000", "USD")  # carried at 0.90: 9,000 CHF
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    t.write_off(pledge, "the partner closed", on=dt.date(2024, 2, 20))
    assert t.invoice_balance(invoice.number).state == "written_off"
    paid = t.record_payment(
        books.pid, money("4000", "USD"), received_on=dt.date(2024, 3, 10), reference="R",
        invoice=invoice.payment_reference,
    )  # fmt: skip
    assert paid.settled == money("4000", "USD")
    after = t.pledge(pledge)
    assert after.written_off == money("6000", "USD")
    assert after.recovered == money("4000", "USD")
    # Write-off reversed at carrying value (4,000 x 0.90 = 3,600), money worth 4,000 x 0.88.
    assert t.balance("write_off").amounts == {"USD": money("6000", "USD")}
    assert t.balance("write_off").base == _chf("5400.00")
    assert t.balance("fx_gain_loss").base == _chf(str(Decimal("3600") - _base("4000", "0.88")))
    assert t.balance(f"receivable:{books.pid}").amounts == {"USD": money("0", "USD")}
    s = t.standing(books.pid, "WSIS2024")
    assert s.recovered == _chf("3600.00")
    assert s.committed == _chf("3600.00")  # 9,000 less the 5,400 still written off
    assert s.paid == _chf("3600.00")
    assert t.verify() == []


# 3. An invoice after a partial payment asks for the rest -------------------------------------


def test_an_invoice_after_a_partial_payment_shows_it_and_asks_for_the_rest(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("60000", parts=2)  # 30,000 due 1 Mar and 8 Mar
    t.record_payment(books.pid, _chf("20000"), received_on=dt.date(2024, 1, 30), reference="P")
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    snap = invoice.snapshot
    assert [line.amount for line in snap.lines] == [_chf("30000"), _chf("30000")]  # type: ignore[union-attr]
    assert [(r.received_on, r.amount) for r in snap.received] == [  # type: ignore[union-attr]
        (dt.date(2024, 1, 30), _chf("20000"))
    ]
    assert snap.amount_due == _chf("40000")  # type: ignore[union-attr]
    assert invoice.total == _chf("60000")
    assert t.invoice_balance(invoice.number).asked == _chf("40000")
    with pytest.raises(NothingToInvoice):  # the 40,000 is asked for once
        t.issue_invoice(pledge, ISSUED, due_on=DUE)


def test_an_invoice_issued_again_after_a_correction_shows_what_the_first_showed(
    books: Books,
) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("10000")
    t.record_payment(books.pid, _chf("6000"), received_on=dt.date(2024, 1, 30), reference="P")
    first = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    t.credit_invoice(first.number, ISSUED, kind="correction", amount=_chf("1000"))
    # 10,000 = 6,000 paid + 3,000 still asked by the first invoice + 1,000 due.
    second = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert second.snapshot.amount_due == _chf("1000")  # type: ignore[union-attr]
    assert [line.amount for line in second.snapshot.lines] == [_chf("7000")]  # type: ignore[union-attr]
    t.credit_invoice(first.number, ISSUED, kind="correction")
    t.credit_invoice(second.number, ISSUED, kind="correction")
    third = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert (third.total, third.snapshot.amount_due) == (_chf("10000"), _chf("4000"))  # type: ignore[union-attr]
    assert [r.amount for r in third.snapshot.received] == [_chf("6000")]  # type: ignore[union-attr]


# 4. A payment that quotes an invoice settles that invoice -------------------------------------


def test_a_payment_quoting_an_invoice_settles_it_whatever_is_older(books: Books) -> None:
    t = books.tracker
    t.add_edition(make_edition("WSIS2025", prefix="WSIS25"))
    older = books.confirmed_pledge("30000")  # WSIS2024, due 1 Mar
    newer = t.confirm(
        t.create_pledge(books.pid, "WSIS2025", amount=_chf("20000"), signed_on=SIGNED)
    )
    invoice = t.issue_invoice(newer, ISSUED, due_on=DUE)
    payment = t.record_payment(
        books.pid, _chf("25000"), received_on=dt.date(2024, 2, 5), reference="X",
        invoice=invoice.payment_reference,
    )  # fmt: skip
    assert payment.invoice == invoice.number
    assert payment.settled == _chf("20000")
    assert payment.unapplied == _chf("5000")
    assert t.pledge(newer).status is PledgeStatus.FULFILLED
    assert t.pledge(older).settled == _chf("0")
    assert t.balance("psc:WSIS2025").amounts == {"CHF": _chf("1400")}  # 7 % of 20,000
    assert t.balance("psc:WSIS2024").amounts == {}
    assert t.invoice_balance(invoice.number).state == "paid"


# 5. Payments in another currency --------------------------------------------------------------


def test_a_chf_payment_of_a_usd_invoice_settles_the_conversion_at_value_date_rates(
    books: Books,
) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("10000", "USD")  # carried at 0.90: 9,000 CHF
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    payment = t.record_payment(
        books.pid, _chf("8800"), received_on=dt.date(2024, 3, 10), reference="C",
        invoice=invoice.number,
    )  # fmt: skip
    # 8,800 CHF at 0.88 CHF per USD is 10,000 USD: the invoice is paid.
    assert payment.settles == money("10000", "USD")
    assert payment.settles_basis == "converted"
    assert t.pledge(pledge).status is PledgeStatus.FULFILLED
    assert t.balance("fx_gain_loss").base == _chf("200.00")  # carried 9,000, received 8,800
    assert t.balance("bank:CHF").amounts == {"CHF": _chf("8800")}
    assert t.balance("conversion:CHF").amounts == {"CHF": _chf("-8800")}
    assert t.balance("conversion:USD").amounts == {"USD": money("10000", "USD")}
    assert t.verify() == []


def test_a_stated_amount_decides_what_a_foreign_payment_settles(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("10000", "USD")
    payment = t.record_payment(
        books.pid, _chf("8000"), received_on=dt.date(2024, 3, 10), reference="C",
        settles=money("9000", "USD"),
    )  # fmt: skip
    assert payment.settles == money("9000", "USD")
    assert payment.settles_basis == "stated"
    assert t.pledge(pledge).settled == money("9000", "USD")
    # Carried 9,000 x 0.90 = 8,100 CHF, received 8,000 CHF: a loss of 100.
    assert t.balance("fx_gain_loss").base == _chf("100.00")


def test_a_payment_in_a_currency_nothing_is_open_in_names_every_open_currency(
    books: Books,
) -> None:
    t = books.tracker
    books.confirmed_pledge("10000", "USD")
    books.confirmed_pledge("5000", "EUR")
    before = snapshot(t)
    with pytest.raises(CurrencyMismatch, match="EUR, USD"):
        t.record_payment(books.pid, _chf("100"), received_on=dt.date(2024, 3, 10), reference="Z")
    assert snapshot(t) == before


def test_chf_credit_can_be_applied_to_a_usd_instalment(books: Books) -> None:
    t = books.tracker
    t.record_payment(books.pid, _chf("880"), received_on=dt.date(2024, 1, 20), reference="K")
    pledge = books.confirmed_pledge("1000", "USD")
    on = dt.date(2024, 3, 10)
    with pytest.raises(CurrencyMismatch, match="USD"):  # which USD instalment? say so
        t.apply_credit(books.pid, "CHF", on=on)
    instalment = t.pledge(pledge).instalments[0].id
    assert instalment is not None
    applied = t.apply_credit(books.pid, "CHF", on=on, apply_to=[instalment])
    assert applied.settles == money("1000", "USD")  # 880 / 0.88
    assert t.pledge(pledge).status is PledgeStatus.FULFILLED
    assert t.balance(f"unapplied:{books.pid}").amounts == {"CHF": _chf("0")}
    assert t.verify() == []


# 6. The tier on a document is earned ----------------------------------------------------------


def test_a_declared_tier_beyond_reach_is_refused_with_the_shortfall(books: Books) -> None:
    t = books.tracker
    draft = t.create_pledge(
        books.pid, "WSIS2024", amount=_chf("100"), signed_on=SIGNED, tier="platinum"
    )
    with pytest.raises(TierNotReached) as info:
        t.confirm(draft)
    assert info.value.shortfall == _chf("499900.00")
    assert t.pledge(draft).status is PledgeStatus.DRAFT


def test_a_package_below_its_price_needs_a_reason_and_never_with_a_tier(books: Books) -> None:
    t = books.tracker
    with pytest.raises(InvalidAmount, match="discount_reason"):
        t.create_pledge(
            books.pid, "WSIS2024", amount=_chf("10000"), signed_on=SIGNED, package="HACKATHON"
        )
    with pytest.raises(ValueError, match="not both"):
        t.create_pledge(
            books.pid, "WSIS2024", amount=_chf("40000"), signed_on=SIGNED,
            package="HACKATHON", tier="supporting",
        )  # fmt: skip
    p = t.create_pledge(
        books.pid, "WSIS2024", amount=_chf("10000"), signed_on=SIGNED, package="HACKATHON",
        discount_reason="co-organised with the host country",
    )  # fmt: skip
    assert t.confirm(p).discount_reason == "co-organised with the host country"


# 8. Dates in order ----------------------------------------------------------------------------


def test_a_payment_before_signing_is_credit_and_settles_nothing(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("1000")  # signed 15 Jan
    early = t.record_payment(
        books.pid, _chf("1000"), received_on=dt.date(2024, 1, 10), reference="E"
    )
    assert early.unapplied == _chf("1000")
    assert t.pledge(pledge).settled == _chf("0")
    with pytest.raises(DatesOutOfOrder, match=r"2024-01-10.*2024-01-15"):
        t.cancel(pledge, on=dt.date(2024, 1, 10))
    with pytest.raises(DatesOutOfOrder):
        t.issue_invoice(pledge, dt.date(2024, 1, 14), due_on=DUE)
    with pytest.raises(DatesOutOfOrder):
        t.create_pledge(
            books.pid, "WSIS2024", amount=_chf("10"), signed_on=SIGNED,
            instalments=[(dt.date(2024, 1, 1), _chf("10"))],
        )  # fmt: skip


def test_verify_reports_settlements_dated_before_their_pledge_was_signed(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("1000")
    t.record_payment(books.pid, _chf("1000"), received_on=dt.date(2024, 2, 1), reference="S")
    # Books written before the rule, or changed by the table owner past the triggers.
    bypass_triggers(t)
    with t.engine.begin() as conn:
        conn.execute(text("UPDATE settlements SET received_on = '2024-01-02'"))
    problems = [str(p) for p in t.verify()]
    assert any(f"settled pledge {pledge.id}, signed only on 2024-01-15" in p for p in problems)


# 9. One centime -------------------------------------------------------------------------------


def test_the_base_value_of_money_and_charges_is_rounded_once(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("0.10", "USD")  # carried at 0.90: 0.09 CHF
    t.record_payment(
        books.pid, money("0.05", "USD"), received_on=dt.date(2024, 3, 10), reference="C",
        bank_charges=money("0.05", "USD"),
    )  # fmt: skip
    # 0.10 USD x 0.88 = 0.088, rounded once: 0.09 (rounding 0.044 twice would give 0.08).
    assert t.balance("bank:USD").base + t.balance("bank_charges").base == _chf("0.09")
    assert t.balance("fx_gain_loss").amounts in ({}, {"CHF": _chf("0")})
    assert t.balance("fx_gain_loss").base == _chf("0")
    assert t.pledge(pledge).status is PledgeStatus.FULFILLED


# 10. Stale rates ------------------------------------------------------------------------------


def test_a_rate_older_than_the_books_allow_is_refused_unless_passed(books: Books) -> None:
    t = books.tracker
    draft = t.create_pledge(
        books.pid, "WSIS2024", amount=money("1000", "GBP"), signed_on=dt.date(2024, 5, 20)
    )
    t.add_rates([ExchangeRate(from_currency="GBP", to_currency="CHF", rate=Decimal("1.10"),
                              effective=dt.date(2021, 1, 1))])  # fmt: skip
    with pytest.raises(StaleRate, match="dated 2021-01-01"):
        t.confirm(draft)
    fresh = ExchangeRate(from_currency="GBP", to_currency="CHF", rate=Decimal("1.12"),
                         effective=dt.date(2024, 5, 1), source="treasury")  # fmt: skip
    confirmed = t.confirm(draft, rate=fresh)
    assert confirmed.base_amount == _chf("1120.00")


# 11. Amounts near the 64-bit limit ------------------------------------------------------------


def test_amounts_past_64_bits_are_refused_before_anything_is_written(books: Books) -> None:
    t = books.tracker
    before = snapshot(t)
    with pytest.raises(InvalidAmount, match="does not fit"):
        t.create_pledge(books.pid, "WSIS2024", amount=money(str(2**63), "JPY"), signed_on=SIGNED)
    assert snapshot(t) == before
    half = money(str(2**62), "JPY")
    rate = ExchangeRate(from_currency="JPY", to_currency="CHF", rate=Decimal("0.0000001"),
                        effective=dt.date(2024, 1, 1))  # fmt: skip
    t.confirm(t.create_pledge(books.pid, "WSIS2024", amount=half, signed_on=SIGNED), rate=rate)
    second = t.create_pledge(books.pid, "WSIS2024", amount=half, signed_on=SIGNED)
    kept = snapshot(t)
    with pytest.raises(InvalidAmount, match="running total"):
        t.confirm(second, rate=rate)  # 2**63 minor units on the receivable: one too many
    assert snapshot(t) == kept
    assert t.verify() == []


# 12. Manual entries only where no subledger rules ---------------------------------------------


def test_manual_entries_into_controlled_accounts_are_refused(books: Books) -> None:
    t = books.tracker

    def entry(account: str, currency: str = "CHF") -> Entry:
        return Entry(entry_date=SIGNED, kind="manual", memo="m", postings=(
            Posting(account=account, currency=currency, amount_minor=100, base_minor=100),
            Posting(account="psc_income", currency=currency, amount_minor=-100, base_minor=-100),
        ))  # fmt: skip

    before = snapshot(t)
    with pytest.raises(ControlledAccount, match="receivable:1"):
        t.post_entries([entry(f"receivable:{books.pid}")])
    with pytest.raises(ControlledAccount):
        t.post_entries([entry("receivable:999")])  # an unknown partner: no raw IntegrityError
    with pytest.raises(UnknownCurrency):
        t.post_entries([entry("bank:XYZ", "XYZ")])
    with pytest.raises(CurrencyMismatch):
        t.post_entries([entry("bank:EUR")])
    assert snapshot(t) == before
    assert t.post_entries([entry("bank:CHF")])[0].seq is not None


# 13. Reports that add up ----------------------------------------------------------------------


def test_paid_never_exceeds_committed_after_a_write_off(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("60000")
    t.record_payment(books.pid, _chf("10000"), received_on=dt.date(2024, 2, 1), reference="W")
    t.write_off(pledge, "unreachable", on=dt.date(2024, 6, 1))
    s = t.standing(books.pid, "WSIS2024")
    assert (s.committed, s.paid, s.owed) == (_chf("10000"), _chf("10000"), _chf("0"))
    assert s.written_off == _chf("50000")


def test_instalments_are_numbered_as_the_partner_sees_the_schedule(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("60000", parts=2)
    t.record_payment(books.pid, _chf("30000"), received_on=dt.date(2024, 3, 1), reference="N")
    amended = t.amend(pledge, _chf("60000"), on=dt.date(2024, 3, 2), instalments=[
        (dt.date(2024, 4, 1), _chf("15000")), (dt.date(2024, 5, 1), _chf("15000")),
    ]).pledge  # fmt: skip
    live = [i for i in amended.instalments if not i.replaced]
    assert [(i.seq, i.number) for i in live] == [(1, 1), (3, 2), (4, 3)]
    last = live[-1]
    doc = t.issue_invoice(last, ISSUED, due_on=DUE)
    assert "échéance 3 sur 3" in doc.snapshot.lines[0].description  # type: ignore[union-attr]


def test_ageing_counts_from_the_invoice_due_date(books: Books) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("10000")  # instalment due 1 Mar
    t.issue_invoice(pledge, dt.date(2024, 2, 1), due_on=dt.date(2024, 4, 30))
    r = t.receivables(dt.date(2024, 4, 15))
    assert r.by_currency["CHF"]["not_due"] == _chf("10000")  # invoice due 30 Apr, not 1 Mar


def test_the_statement_shows_credit_notes_payments_with_their_invoice_and_credit(
    books: Books,
) -> None:
    t = books.tracker
    pledge = books.confirmed_pledge("30000")
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    t.credit_invoice(invoice.number, ISSUED, kind="reduction", amount=_chf("5000"))
    t.record_payment(books.pid, _chf("30000"), received_on=dt.date(2024, 2, 10), reference="P1",
                     invoice=invoice.number)  # fmt: skip
    statement = t.statement(books.pid, "WSIS2024")
    kinds = [(ln.kind, ln.amount, ln.credit) for ln in statement.lines["CHF"]]
    assert kinds == [
        ("pledge", _chf("30000"), _chf("0")),
        ("invoice", _chf("0"), _chf("0")),
        ("credit note (reduction)", _chf("0"), _chf("0")),  # the document, then what it posted
        ("reduction", _chf("-5000"), _chf("0")),
        ("payment", _chf("-25000"), _chf("5000")),
    ]
    payment_line = statement.lines["CHF"][-1]
    assert payment_line.invoices == (invoice.number,)
    summary = statement.summary["CHF"]
    assert (summary.owed, summary.credit) == (_chf("0"), _chf("5000"))
    assert summary.open_on_invoices == _chf("0")  # asked 30,000, credited 5,000, paid 25,000
