"""End to end on both engines: invoices issued, a statement that pays them, imported, checked.

Five partners are invoiced; the bank's camt.053 (.001.08, SPS 2.x) pays one invoice exactly
(with charges deducted), one short, one over, one in another currency with the instructed
amount, and one with no reference at all, which waits until a person assigns it. Every
payment, the exchange difference, the queued line and each acknowledgement letter are
checked against figures computed here by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.banking import invoice, payments_by_key, rows
from tests.factories import Books
from tests.statements import (
    DEBTOR_IBAN,
    IBAN,
    charge,
    entry,
    instructed,
    statement,
    tx,
    valid,
)
from wsis_funding.documents.model import LetterSnapshot
from wsis_funding.examples import statement_paying
from wsis_funding.ledger.model import Language
from wsis_funding.money import Money, money

PAID = dt.date(2024, 3, 20)  # within 31 days of the EUR rate of 2024-03-01 (0.97)
LETTERS = dt.date(2024, 3, 21)


def chf(amount: str) -> Money:
    return money(amount, "CHF")


def _partner(books: Books, short: str) -> int:
    partner = books.add_partner(short, Language.EN)
    assert partner.id is not None
    return partner.id


def test_a_statement_paying_five_invoices_books_what_each_line_says(books: Books) -> None:
    t = books.tracker
    beta, gamma, delta, epsilon = (_partner(books, s) for s in ("BETA", "GAMMA", "DELTA", "EPS"))
    exact = invoice(books, "60000")
    short = invoice(books, "20000", partner=beta)
    over = invoice(books, "10000", partner=gamma)
    euro = invoice(books, "30000", "EUR", partner=delta)
    unnamed = invoice(books, "5000", partner=epsilon)
    refs = [i.payment_reference for i in (exact, short, over, euro)]
    assert all(refs)
    spaced = " ".join(str(refs[1])[i : i + 4] for i in range(0, len(str(refs[1])), 4)).lower()
    xml = valid(
        statement(
            IBAN, "CHF",
            [
                # ACME pays 60,000.00 exactly; the banks keep 25.00 on the way.
                entry("59975.00", servicer_ref="L-1", charges=[charge("25.00")],
                      booking_date=PAID, value_date=PAID, details=tx(scor=refs[0])),
                # BETA pays 15,000.00 of 20,000.00, quoting the RF in its free text.
                entry("15000.00", servicer_ref="L-2", booking_date=PAID, value_date=PAID,
                      details=tx(ustrd=[f"Sponsorship WSIS, ref. {spaced}"])),
                # GAMMA pays 12,000.00 for 10,000.00.
                entry("12000.00", servicer_ref="L-3", booking_date=PAID, value_date=PAID,
                      details=tx(scor=refs[2])),
                # DELTA instructs EUR 30,000.00; the bank converts at 0.975: CHF 29,250.00.
                entry("29250.00", servicer_ref="L-4", booking_date=PAID, value_date=PAID,
                      details=tx(scor=refs[3], instructed=instructed(
                          "30000.00", "EUR", rate="0.975", source="EUR", target="CHF"))),
                # EPSILON pays 4,000.00 quoting nothing, from an account nobody knows.
                entry("4000.00", servicer_ref="L-5", booking_date=PAID, value_date=PAID,
                      details=tx(debtor="Epsilon Foundation", debtor_iban=DEBTOR_IBAN)),
            ],
            version="08",
        )
    )  # fmt: skip
    result = t.import_statement(xml, name="2024-03-20.xml")
    assert result.matched_by("reference").count == 4
    # 59,975.00 + 15,000.00 + 12,000.00 + 29,250.00 received for the four.
    assert result.matched_by("reference").total("CHF") == money("116225.00", "CHF")
    assert (result.queued.count, result.refused.count) == (1, 0)
    assert result.queued.total("CHF") == money("4000.00", "CHF")

    lines = rows(t, "bank_lines")
    paid = payments_by_key(t)
    by_line = [paid.get(x["line_key"]) for x in lines]
    expected = [
        # partner, received, charges, settled, credit kept, invoice, stated EUR settled
        (books.pid, 5997500, 2500, 6000000, 0, exact.id, None),
        (beta, 1500000, 0, 1500000, 0, short.id, None),
        (gamma, 1200000, 0, 1000000, 200000, over.id, None),
        (delta, 2925000, 0, 2925000, 0, euro.id, ("EUR", 3000000, "stated")),
    ]
    for payment, (partner, amount, fee, settled, kept, invoice_id, target) in zip(
        by_line[:4], expected, strict=True
    ):
        assert payment is not None
        assert (payment["partner_id"], payment["amount_minor"], payment["charges_minor"]) == (
            partner, amount, fee
        )  # fmt: skip
        assert payment["unapplied_minor"] == kept
        assert payment["invoice_id"] == invoice_id
        assert payment["received_on"] == PAID
        if target is None:
            assert payment["target_currency"] is None
            assert payment["amount_minor"] + payment["charges_minor"] == settled + kept
        else:
            assert (
                payment["target_currency"], payment["target_minor"], payment["target_basis"]
            ) == target  # fmt: skip
    assert by_line[4] is None

    assert t.invoice_balance(exact.number).open == money("0.00", "CHF")
    assert t.invoice_balance(short.number).open == money("5000.00", "CHF")
    assert t.invoice_balance(over.number).open == money("0.00", "CHF")
    assert t.invoice_balance(euro.number).open == money("0.00", "EUR")
    # DELTA's pledge was carried at the signing-date rate, EUR 0.95: 30,000.00 x 0.95 =
    # CHF 28,500.00. CHF 29,250.00 came in for it: a realised gain of CHF 750.00.
    assert t.balance("fx_gain_loss").base == money("-750.00", "CHF")
    assert t.balance(f"unapplied:{gamma}").amounts["CHF"] == money("-2000.00", "CHF")
    # The bank account holds what the statement booked: 116,225.00 + 4,000.00 waiting is
    # not in the books yet.
    assert t.balance("bank:CHF").amounts["CHF"] == money("116225.00", "CHF")

    (waiting,) = t.bank_queue()
    assert (waiting.amount, waiting.debtor_name, waiting.reference) == (
        money("4000.00", "CHF"), "Epsilon Foundation", "L-5"
    )  # fmt: skip
    assert waiting.reason == (
        "no creditor reference; the payer is not known; no partner has exactly 4000.00 CHF open"
    )
    done = t.assign_bank_line(waiting.id, epsilon, invoice=unnamed.number)
    assert done.payment.settled == money("4000.00", "CHF")
    assert done.remembered is not None
    assert done.remembered.value == DEBTOR_IBAN
    assert t.invoice_balance(unnamed.number).open == money("1000.00", "CHF")
    assert t.bank_queue() == []
    assert t.balance("bank:CHF").amounts["CHF"] == money("120225.00", "CHF")

    payments = [paid[x["line_key"]]["id"] for x in lines[:4]] + [done.payment.id]
    letters = [t.acknowledge(p, LETTERS).snapshot for p in payments]
    assert all(isinstance(letter, LetterSnapshot) for letter in letters)
    facts = [
        (
            letter.amount_received, letter.amount_credited, letter.bank_charges,
            letter.kept_as_credit, letter.remaining_balance, letter.paid_invoice,
            letter.payment_reference,
        )
        for letter in letters
        if isinstance(letter, LetterSnapshot)
    ]  # fmt: skip
    assert facts == [
        (chf("60000.00"), chf("59975.00"), chf("25.00"), chf("0.00"), chf("0.00"),
         exact.number, exact.payment_reference),
        (chf("15000.00"), chf("15000.00"), chf("0.00"), chf("0.00"), chf("5000.00"),
         short.number, short.payment_reference),
        (chf("10000.00"), chf("12000.00"), chf("0.00"), chf("2000.00"), chf("0.00"),
         over.number, over.payment_reference),
        (money("30000.00", "EUR"), chf("29250.00"), chf("0.00"), chf("0.00"),
         money("0.00", "EUR"), euro.number, euro.payment_reference),
        (chf("4000.00"), chf("4000.00"), chf("0.00"), chf("0.00"), chf("1000.00"),
         unnamed.number, unnamed.payment_reference),
    ]  # fmt: skip
    assert t.verify() == []
    # A second import of the same statement changes nothing.
    again = t.import_statement(xml, name="2024-03-20.xml")
    assert (again.already_imported.count, again.imported) == (5, 0)
    assert sum(Decimal(p["amount_minor"]) for p in rows(t, "payments")) == Decimal(12022500)


def test_the_example_statement_for_the_books_own_invoices_pays_them_all(books: Books) -> None:
    """What the demo does: a statement paying what each invoice asks now, imported."""
    t = books.tracker
    bills = [invoice(books, "1200"), invoice(books, "800", "EUR"), invoice(books, "300")]
    t.record_payment(books.pid, money("200", "CHF"), received_on=PAID, reference="by hand",
                     invoice=bills[0].number)  # fmt: skip
    due = [t.invoice_balance(b.number).open for b in bills]
    assert due == [money("1000.00", "CHF"), money("800.00", "EUR"), money("300.00", "CHF")]
    issuer = t.issuer
    assert issuer is not None
    assert issuer.bank_account is not None
    xml = statement_paying(bills, account=issuer.bank_account.iban, day=PAID, amounts=due,
                           rates={"EUR": Decimal("0.9650")})  # fmt: skip
    result = t.import_statement(valid(xml), name="demo-statement.xml")
    # 1,000.00 + 800.00 x 0.9650 = 772.00 + 300.00 = 2,072.00 CHF.
    assert result.matched_by("reference").count == 3
    assert result.matched_by("reference").total("CHF") == money("2072.00", "CHF")
    assert [t.invoice_balance(b.number).state for b in bills] == ["paid"] * 3
    assert t.bank_queue() == []
