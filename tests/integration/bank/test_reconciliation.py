"""The reconciliation of an imported statement, on both engines: balances, lines, checks."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from tests.banking import invoice, rows
from tests.factories import Books
from tests.statements import (
    IBAN,
    Totals,
    account_statement,
    document,
    entry,
    statement,
    tx,
    valid,
)
from wsis_funding.money import money
from wsis_funding.reports.csvjson import write_csv
from wsis_funding.services.bank_report import reconciliation_table
from wsis_funding.services.errors import UnknownBankLine


def test_a_statement_reconciles_line_by_line_and_the_banks_totals_agree(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "300")
    xml = valid(
        statement(
            IBAN, "CHF",
            [entry("300.00", details=tx(scor=bill.payment_reference, debtor="ACME")),
             entry("45.50", details=tx(debtor="Someone")),
             entry("80.00", credit=False), entry("9.99", booked=False)],
            opening="1000.00",
        )
    )  # fmt: skip
    (imported,) = t.import_statement(xml, name="june.xml").statements
    assert imported.id is not None
    rec = t.bank_reconciliation(imported.id)
    s = rec.statement
    # Opening 1,000.00 + credits 345.50 - debits 80.00 = closing 1,265.50 (as the bank says).
    assert (s.opening, s.closing) == (money("1000.00", "CHF"), money("1265.50", "CHF"))
    assert (s.credit_count, s.credits) == (2, money("345.50", "CHF"))
    assert (s.debit_count, s.debits) == (1, money("80.00", "CHF"))
    assert s.unbooked_count == 1
    assert s.file == "june.xml"
    assert s.message == "camt.053.001.04"
    first, second = rec.lines
    payment = rows(t, "payments")[0]["id"]
    assert (first.line.status, first.line.payment_id, first.line.invoice) == (
        "matched", payment, bill.number
    )  # fmt: skip
    assert (second.line.status, second.line.received) == ("queued", money("45.50", "CHF"))
    assert [x.position for x in rec.lines] == [1, 2]
    assert rec.agrees
    assert {c.what: c.agrees for c in rec.checks} == {
        "credit entries (TtlCdtNtries/NbOfNtries)": True,
        "sum of credit entries (TtlCdtNtries/Sum)": True,
        "debit entries (TtlDbtNtries/NbOfNtries)": True,
        "sum of debit entries (TtlDbtNtries/Sum)": True,
        "entries (TtlNtries/NbOfNtries)": True,
        "sum of entries (TtlNtries/Sum)": True,
        "net of entries (TtlNtries/TtlNetNtry)": True,
        "credit lines received, against the credit entries": True,
        "closing balance (CLBD), against opening + credits - debits": True,
    }
    text = io.StringIO()
    write_csv(reconciliation_table(rec), text)
    lines = text.getvalue().splitlines()
    assert lines[0].startswith("line,entry,booking_date,value_date,amount,amount_currency")
    assert f",300.00,CHF,0.00,CHF,300.00,CHF,ACME,{bill.payment_reference},matched," in lines[1]
    assert f",{payment},{bill.number}," in lines[1]
    assert ",45.50,CHF,0.00,CHF,45.50,CHF,Someone,,queued,," in lines[2]


def test_a_statement_whose_totals_disagree_is_reported_not_hidden(books: Books) -> None:
    t = books.tracker
    wrong = Totals(
        count=2, total=Decimal("300.00"), net=Decimal("300.00"),
        credits=(3, Decimal("300.00")), debits=(0, Decimal("0")),
    )  # fmt: skip
    spec = account_statement(
        IBAN, "CHF", [entry("100.00"), entry("150.00")], totals=wrong, closing="1300.00"
    )
    result = t.import_statement(valid(document(spec)))
    (imported,) = result.statements
    assert imported.discrepancies  # the import says so too
    assert imported.id is not None
    rec = t.bank_reconciliation(imported.id)
    disagree = {c.what: (c.bank, c.read) for c in rec.checks if c.agrees is False}
    assert disagree == {
        "credit entries (TtlCdtNtries/NbOfNtries)": (Decimal(3), 2),
        "sum of credit entries (TtlCdtNtries/Sum)": (Decimal("300.00"), Decimal("250.00")),
        "sum of entries (TtlNtries/Sum)": (Decimal("300.00"), Decimal("250.00")),
        "net of entries (TtlNtries/TtlNetNtry)": (Decimal("300.00"), Decimal("250.00")),
        "closing balance (CLBD), against opening + credits - debits": (
            Decimal("1300.00"),
            Decimal("1250.00"),
        ),
    }
    assert not rec.agrees


def test_a_later_statement_lists_the_lines_it_repeats_as_imported_before(books: Books) -> None:
    t = books.tracker
    monday = [entry("10.00", servicer_ref="M-1")]
    tuesday = [entry("20.00", servicer_ref="T-1", booking_date=dt.date(2024, 6, 4))]
    t.import_statement(valid(statement(IBAN, "CHF", monday, id="MON")))
    (later,) = t.import_statement(
        valid(statement(IBAN, "CHF", monday + tuesday, id="M-T"))
    ).statements
    assert later.id is not None
    rec = t.bank_reconciliation(later.id)
    assert [(x.seen_before, x.line.amount.amount) for x in rec.lines] == [
        (True, Decimal("10.00")),
        (False, Decimal("20.00")),
    ]
    assert rec.agrees
    assert [s.statement_id for s in t.bank_statements()] == ["MON", "M-T"]


@pytest.mark.parametrize("statement_id", [0, 42, 2**40])
def test_an_unknown_statement_is_an_error(books: Books, statement_id: int) -> None:
    with pytest.raises(UnknownBankLine, match=f"unknown bank statement {statement_id}"):
        books.tracker.bank_reconciliation(statement_id)
