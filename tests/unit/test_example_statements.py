"""The example statements for the demo: valid camt.053.001.04 that reads back as written."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.statements import IBAN, validate
from wsis_funding.documents.model import IssuedDocument
from wsis_funding.examples import ExampleCredit, camt053, example_invoice, statement_paying
from wsis_funding.imports.camt import read_statement
from wsis_funding.money import money

DAY = dt.date(2024, 6, 3)


def _issued(number: str, currency: str = "CHF") -> IssuedDocument:
    snapshot = example_invoice(number=number, currency=currency)
    return IssuedDocument(
        id=1, kind="invoice", number=number, pledge_id=1, instalment_id=None, payment_id=None,
        refers_to_id=None, issued_on=snapshot.issued_on, total=snapshot.total,
        payment_reference=snapshot.payment_reference, snapshot=snapshot,
    )  # fmt: skip


def test_a_statement_paying_invoices_credits_each_amount_due_with_its_reference() -> None:
    invoices = [_issued("WSIS-2024-0001"), _issued("WSIS-2024-0002")]
    xml = statement_paying(invoices, account=IBAN, day=DAY, statement_id="DEMO-1")
    validate(xml)
    read = read_statement(xml)
    (record,) = read.statements
    assert record.statement.statement_id == "DEMO-1"
    assert [c.references.rf for c in read.credits] == ["RF73WSIS20240001", "RF46WSIS20240002"]
    due = [i.snapshot.amount_due for i in invoices]  # type: ignore[union-attr]
    assert [c.amount for c in read.credits] == due
    assert record.summary.discrepancies == ()


def test_any_credits_with_charges_and_instructed_amounts_are_valid_and_add_up() -> None:
    credits = [
        ExampleCredit(amount=money("1000.00", "CHF"), charges=money("12.50", "CHF"),
                      instructed=money("1050.00", "EUR"), debtor="Ministère",
                      debtor_iban="DE89370400440532013000", text="Contribution <2024> & co"),
        ExampleCredit(amount=money("20.05", "CHF"), value_date=DAY + dt.timedelta(days=1)),
    ]  # fmt: skip
    xml = camt053(IBAN, "CHF", credits, day=DAY, opening=money("-100.00", "CHF"))
    validate(xml)
    (record,) = read_statement(xml).statements
    first, second = record.credits
    assert (first.amount, first.charges, first.received) == (
        money("1000.00", "CHF"), money("12.50", "CHF"), money("987.50", "CHF")
    )  # fmt: skip
    assert first.instructed is not None
    assert first.instructed.amount == money("1050.00", "EUR")
    assert first.references.unstructured == ("Contribution <2024> & co",)
    assert (first.debtor_name, first.debtor_account) == ("Ministère", "DE89370400440532013000")
    assert second.value_date == DAY + dt.timedelta(days=1)
    # -100.00 + 987.50 + 20.05 = 907.55
    assert record.statement.closing is not None
    assert record.statement.closing.amount.amount == Decimal("907.55")
    assert record.summary.discrepancies == ()


def test_credits_in_another_currency_than_the_account_are_refused() -> None:
    with pytest.raises(ValueError, match="credit 1 is in EUR, the account in CHF"):
        camt053(IBAN, "CHF", [ExampleCredit(amount=money("1", "EUR"))], day=DAY)


def test_an_invoice_in_another_currency_is_paid_converted_with_its_instructed_amount() -> None:
    euro = _issued("WSIS-2024-0003", currency="EUR")
    due = euro.snapshot.amount_due  # type: ignore[union-attr]
    xml = statement_paying(
        [euro], account=IBAN, day=DAY, amounts=[due], rates={"EUR": Decimal("0.9588")}
    )
    validate(xml)
    (credit,) = read_statement(xml).credits
    # The bank credits the EUR due at 0.9588 CHF per EUR, rounded half up to the centime.
    expected = (due.amount * Decimal("0.9588")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert credit.amount == money(expected, "CHF")
    assert credit.instructed is not None
    assert credit.instructed.amount == due
    assert credit.instructed.exchange is not None
    assert credit.instructed.exchange.rate == Decimal("0.9588")
    with pytest.raises(ValueError, match=r"is in EUR: give rates\['EUR'\]"):
        statement_paying([euro], account=IBAN, day=DAY)
    with pytest.raises(ValueError, match="2 amounts for 1 invoices"):
        statement_paying([euro], account=IBAN, day=DAY, amounts=[due, due])
