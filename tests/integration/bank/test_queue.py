"""The queue on both engines: assign a line (remembering the payer), dismiss it, payers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.banking import invoice, payments_by_key, rows
from tests.factories import Books
from tests.statements import DEBTOR_IBAN, IBAN, charge, entry, instructed, statement, tx, valid
from wsis_funding.ledger.errors import AlreadyExists, InvalidField
from wsis_funding.money import ExchangeRate, money
from wsis_funding.services.errors import BankLineClosed, UnknownBankLine

DAY = dt.date(2024, 6, 3)


def _queued(books: Books, *entries: object, statement_id: str = "STMT-1") -> list[int]:
    xml = valid(statement(IBAN, "CHF", list(entries), id=statement_id))  # type: ignore[arg-type]
    books.tracker.import_statement(xml)
    return [line.id for line in books.tracker.bank_queue()]


def test_assigning_a_line_records_the_payment_and_remembers_the_payer(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "800")
    (line,) = _queued(
        books, entry("740.00", servicer_ref="Q-1", charges=[charge("10.00")],
                     details=tx(debtor="ACME Finance", debtor_iban=DEBTOR_IBAN)),
    )  # fmt: skip
    done = t.assign_bank_line(line, books.pid, invoice=bill.number)
    # 750.00 paid (no partner has exactly that open, so it waited), 10.00 deducted: 740.00
    # received; the invoice of 800.00 is settled by 750.00 and still asks 50.00.
    assert done.payment.amount == money("740.00", "CHF")
    assert done.payment.bank_charges == money("10.00", "CHF")
    assert done.payment.settled == money("750.00", "CHF")
    assert done.payment.invoice == bill.number
    assert done.payment.received_on == DAY
    assert done.line.status == "assigned"
    assert done.line.rule == "person"
    assert done.line.payment_id == done.payment.id
    (stored,) = rows(t, "bank_lines")
    assert payments_by_key(t)[stored["line_key"]]["id"] == done.payment.id
    assert done.remembered is not None
    assert done.remembered.value == DEBTOR_IBAN
    assert [(p.kind, p.value, p.line) for p in t.partner_payers(books.pid)] == [
        ("iban", DEBTOR_IBAN, line)
    ]
    assert t.bank_queue() == []
    assert t.invoice_balance(bill.number).open == money("50.00", "CHF")
    # The next credit from that account is the partner's without a person.
    later = valid(
        statement(IBAN, "CHF", [entry("50.00", details=tx(debtor_iban=DEBTOR_IBAN))], id="S-2")
    )
    assert t.import_statement(later).matched_by("payer_account").count == 1


def test_dismissing_a_line_keeps_the_reason_and_takes_it_off_the_queue(books: Books) -> None:
    t = books.tracker
    (line,) = _queued(books, entry("12.00"))
    done = t.dismiss_bank_line(line, reason="  interest paid by the bank  ")
    assert (done.status, done.reason) == ("dismissed", "interest paid by the bank")
    assert t.bank_queue() == []
    assert rows(t, "payments") == []
    with pytest.raises(ValueError, match="needs a reason"):
        t.dismiss_bank_line(line, reason=" ")


def test_a_line_that_no_longer_waits_cannot_be_assigned_or_dismissed(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "100")
    xml = valid(statement(IBAN, "CHF", [entry("100.00", details=tx(scor=bill.payment_reference)),
                                        entry("5.00")]))  # fmt: skip
    t.import_statement(xml)
    matched, waiting = (x["id"] for x in rows(t, "bank_lines"))
    payment = rows(t, "payments")[0]["id"]
    with pytest.raises(BankLineClosed, match=f"it is matched \\(payment {payment}, by reference"):
        t.assign_bank_line(matched, books.pid)
    t.dismiss_bank_line(waiting, reason="not ours")
    with pytest.raises(BankLineClosed, match="it is dismissed \\(not ours\\)"):
        t.assign_bank_line(waiting, books.pid)
    with pytest.raises(BankLineClosed):
        t.dismiss_bank_line(waiting, reason="again")


def test_a_debit_taking_back_a_credit_is_no_payment_but_can_be_dismissed(books: Books) -> None:
    t = books.tracker
    (line,) = _queued(books, entry("40.00", credit=False, reversal=True))
    with pytest.raises(BankLineClosed, match="it is no payment"):
        t.assign_bank_line(line, books.pid)
    assert t.dismiss_bank_line(line, reason="refunded by hand").status == "dismissed"


@pytest.mark.parametrize("line", [0, 999, 2**40])
def test_an_unknown_line_is_an_error(books: Books, line: int) -> None:
    with pytest.raises(UnknownBankLine, match=f"unknown bank line {line}"):
        books.tracker.assign_bank_line(line, books.pid)
    with pytest.raises(UnknownBankLine):
        books.tracker.bank_line(line)


def test_a_line_in_another_currency_assigned_settles_the_instructed_amount(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "1000", "EUR")
    (line,) = _queued(
        books, entry("970.00", details=tx(scor=bill.payment_reference,
                                          instructed=instructed("1000.00", "EUR"))),
    )  # fmt: skip
    assert t.bank_line(line).status == "refused"  # the EUR rate of 2024-03-01 is too old
    june = ExchangeRate(
        from_currency="EUR",
        to_currency="CHF",
        rate=Decimal("0.96"),
        effective=dt.date(2024, 6, 1),
        source="UN operational rate",
    )
    t.add_rates([june])
    done = t.assign_bank_line(line, books.pid, invoice=bill.number)
    assert done.payment.settles == money("1000.00", "EUR")
    assert done.payment.settles_basis == "stated"
    assert t.invoice_balance(bill.number).open.amount == 0


def test_payers_are_ibans_or_aliases_each_paying_for_one_partner(books: Books) -> None:
    t = books.tracker
    beta = books.add_partner("BETA", books.partner.language)
    assert beta.id is not None
    iban = t.add_payer(books.pid, iban="de89 3704 0044 0532 0130 00")
    assert iban.value == DEBTOR_IBAN
    alias = t.add_payer(books.pid, alias="  ACME Agency ")
    assert (alias.kind, alias.value) == ("alias", "ACME Agency")
    with pytest.raises(AlreadyExists, match=f"pays for partner {books.pid}"):
        t.add_payer(beta.id, iban=DEBTOR_IBAN)
    with pytest.raises(AlreadyExists):
        t.add_payer(beta.id, alias="acme   agency")
    with pytest.raises(InvalidField, match="not an IBAN"):
        t.add_payer(beta.id, iban="DE89370400440532013001")
    with pytest.raises(InvalidField, match="cannot be empty"):
        t.add_payer(beta.id, alias="  ")
    with pytest.raises(TypeError, match="exactly one"):
        t.add_payer(beta.id)
    assert [p.value for p in t.partner_payers(books.pid)] == [DEBTOR_IBAN, "ACME Agency"]
    assert t.partner_payers(beta.id) == []
