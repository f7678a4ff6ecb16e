"""Importing statements on both engines: each line once, matched payments, batches, reversals.

Every file is built by tests/statements.py and validated against the schema of its version;
expected figures are written out here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from tests.banking import invoice, payments_by_key, rows
from tests.factories import Books, snapshot
from tests.statements import (
    DEBTOR_IBAN,
    IBAN,
    OTHER_IBAN,
    charge,
    entry,
    instructed,
    statement,
    tx,
    valid,
)
from wsis_funding.imports.camt import UnknownBankAccount
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.services.errors import NoBankAccount

DAY = dt.date(2024, 6, 3)


def test_credits_naming_invoices_become_payments_of_those_invoices(books: Books) -> None:
    t = books.tracker
    first = invoice(books, "60000")
    beta = books.add_partner("BETA", books.partner.language)
    assert beta.id is not None
    second = invoice(books, "1000", partner=beta.id)
    assert first.payment_reference is not None
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                # 60,000.00 paid, 25.00 deducted by the banks: 59,975.00 booked.
                entry("59975.00", servicer_ref="A-1", charges=[charge("25.00")],
                      details=tx(scor=first.payment_reference)),
                entry("1000.00", servicer_ref="A-2",
                      details=tx(ustrd=["Invoice rf46 wsis 2024 0002, thanks"])),
            ],
        )
    )  # fmt: skip
    result = t.import_statement(xml, name="june.xml")
    assert result.matched_by("reference").count == 2
    assert result.matched_by("reference").total("CHF") == money("60975.00", "CHF")
    assert result.queued.count == result.already_imported.count == 0
    lines = rows(t, "bank_lines")
    assert [(x["status"], x["rule"]) for x in lines] == [("matched", "reference")] * 2
    paid = payments_by_key(t)
    one, two = (paid[x["line_key"]] for x in lines)
    assert (one["amount_minor"], one["charges_minor"], one["invoice_id"]) == (
        5997500,
        2500,
        first.id,
    )
    assert (two["amount_minor"], two["charges_minor"], two["invoice_id"]) == (100000, 0, second.id)
    assert [one["partner_id"], two["partner_id"]] == [books.pid, beta.id]
    assert [x["payment_id"] for x in lines] == [one["id"], two["id"]]
    assert one["received_on"] == DAY
    assert one["reference"] == "A-1"
    for number in (first.number, second.number):
        assert t.invoice_balance(number).open.amount == 0


def test_the_same_file_again_imports_nothing_and_says_so(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    xml = valid(
        statement(
            IBAN, "CHF",
            [entry("500.00", details=tx(scor=bill.payment_reference)), entry("7.00")],
        )
    )  # fmt: skip
    first = t.import_statement(xml)
    before = snapshot(t)
    again = t.import_statement(xml)
    assert again.earlier_imports == (first.import_id,)
    assert again.already_imported.count == 2
    assert again.already_imported.total("CHF") == money("507.00", "CHF")
    assert again.imported == 0
    after = snapshot(t)
    for table in ("payments", "settlements", "journal_entries", "bank_lines", "bank_entries"):
        assert after[table] == before[table], table
    assert len(after["bank_line_sightings"]) == 2


def test_an_overlapping_file_imports_only_its_new_lines(books: Books) -> None:
    t = books.tracker
    monday = [entry("10.00", servicer_ref="M-1"), entry("20.00", servicer_ref="M-2")]
    tuesday = [entry("30.00", servicer_ref="T-1", booking_date=DAY + dt.timedelta(days=1))]
    t.import_statement(valid(statement(IBAN, "CHF", monday, id="MON")))
    both = t.import_statement(valid(statement(IBAN, "CHF", monday + tuesday, id="MON-TUE")))
    assert (both.already_imported.count, both.queued.count) == (2, 1)
    assert both.queued.total("CHF") == money("30.00", "CHF")
    assert [x["amount_minor"] for x in rows(t, "bank_lines")] == [1000, 2000, 3000]


def test_two_genuinely_identical_credits_both_count_once(books: Books) -> None:
    t = books.tracker
    twins = [entry("75.00"), entry("75.00")]
    result = t.import_statement(valid(statement(IBAN, "CHF", twins)))
    assert result.queued.count == 2
    assert result.queued.total("CHF") == money("150.00", "CHF")
    again = t.import_statement(valid(statement(IBAN, "CHF", twins, id="AGAIN")))
    assert (again.already_imported.count, again.imported) == (2, 0)
    assert len(t.bank_queue()) == 2


def _batch_files(reference: str | None) -> tuple[bytes, bytes]:
    """A camt.053 booking a batch of three as one entry, and the camt.054 detailing it."""
    booked_as_one = entry("600.00", servicer_ref="BATCH-42", batch_size=3)
    detailed = entry(
        batch=[tx("100.00", scor=reference), tx("200.00"), tx("300.00")],
        servicer_ref="BATCH-42",
        batch_size=3,
    )
    return (
        valid(statement(IBAN, "CHF", [booked_as_one], id="S-053")),
        valid(statement(IBAN, "CHF", [detailed], message="054", id="N-054")),
    )


def test_a_camt054_detailing_a_waiting_camt053_batch_counts_the_money_once(
    books: Books,
) -> None:
    t = books.tracker
    bill = invoice(books, "100")
    booked, details = _batch_files(bill.payment_reference)
    first = t.import_statement(booked)
    assert first.queued.count == 1
    (waiting,) = t.bank_queue()
    assert "a batch of 3 payments booked as one entry" in (waiting.reason or "")
    second = t.import_statement(details)
    assert second.matched_by("reference").count == 1
    assert second.queued.count == 2
    assert second.queued.total("CHF") == money("500.00", "CHF")
    assert sorted(x.amount.amount for x in t.bank_queue()) == [Decimal("200.00"), Decimal("300.00")]
    summary = t.bank_line(waiting.id)
    assert summary.status == "superseded"
    # The 600.00 of the batch is in the books once: 100.00 paid, 500.00 waiting.
    assert [p["amount_minor"] for p in rows(t, "payments")] == [10000]
    third = t.import_statement(details)
    assert (third.already_imported.count, third.imported) == (3, 0)


def test_a_camt053_summary_after_its_camt054_details_is_already_imported(books: Books) -> None:
    t = books.tracker
    booked, details = _batch_files(None)
    t.import_statement(details)
    later = t.import_statement(booked)
    assert later.already_imported.count == 1
    assert later.already_imported.total("CHF") == money("600.00", "CHF")
    assert later.imported == 0
    assert len(t.bank_queue()) == 3
    summary = [x for x in rows(t, "bank_lines") if x["amount_minor"] == 60000]
    assert [x["status"] for x in summary] == ["superseded"]


def test_details_of_a_batch_a_person_settled_as_a_whole_are_already_imported(
    books: Books,
) -> None:
    t = books.tracker
    booked, details = _batch_files(None)
    t.import_statement(booked)
    (waiting,) = t.bank_queue()
    t.assign_bank_line(waiting.id, books.pid)
    later = t.import_statement(details)
    assert later.already_imported.count == 3
    assert later.imported == 0
    assert [p["amount_minor"] for p in rows(t, "payments")] == [60000]
    assert t.bank_queue() == []


def test_charges_on_a_batch_entry_are_spread_and_the_bank_receives_the_entry(
    books: Books,
) -> None:
    t = books.tracker
    a, b = invoice(books, "300"), invoice(books, "100")
    # 300.00 + 100.00 with 1.00 deducted on the entry: 399.00 booked. By amount the charges
    # are 0.75 and 0.25, so the payments are 299.25 and 99.75 with those charges.
    batch = [tx("300.00", scor=a.payment_reference), tx("100.00", scor=b.payment_reference)]
    xml = valid(statement(IBAN, "CHF", [entry("399.00", batch=batch, charges=[charge("1.00")])]))
    t.import_statement(xml)
    paid = [(p["amount_minor"], p["charges_minor"]) for p in rows(t, "payments")]
    assert paid == [(29925, 75), (9975, 25)]
    assert t.balance("bank:CHF").amounts["CHF"] == money("399.00", "CHF")
    assert t.balance("bank_charges").amounts["CHF"] == money("1.00", "CHF")
    assert t.invoice_balance(a.number).open.amount == t.invoice_balance(b.number).open.amount == 0


def test_the_raw_xml_of_each_entry_is_kept(books: Books) -> None:
    t = books.tracker
    xml = valid(
        statement(IBAN, "CHF", [entry("12.34", servicer_ref="RAW-1", details=tx(end_to_end="E"))])
    )
    t.import_statement(xml)
    (stored,) = rows(t, "bank_entries")
    kept = etree.fromstring(bytes(stored["raw_xml"]))
    assert etree.QName(kept).localname == "Ntry"
    ns = {"c": etree.QName(kept).namespace}
    assert kept.findtext("c:AcctSvcrRef", namespaces=ns) == "RAW-1"
    assert kept.findtext("c:Amt", namespaces=ns) == "12.34"
    assert kept.findtext("c:NtryDtls/c:TxDtls/c:Refs/c:EndToEndId", namespaces=ns) == "E"


def test_a_dry_run_reports_what_the_import_does_and_writes_nothing(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    xml = valid(
        statement(
            IBAN, "CHF",
            [entry("500.00", details=tx(scor=bill.payment_reference)), entry("1.00"),
             entry("3.00", credit=False), entry("4.00", booked=False)],
        )
    )  # fmt: skip
    before = snapshot(t)
    dry = t.import_statement(xml, dry_run=True)
    assert snapshot(t) == before
    assert dry.dry_run
    assert dry.import_id is None
    real = t.import_statement(xml)
    for name in ("already_imported", "queued", "refused", "reversals", "not_booked", "debits"):
        assert getattr(dry, name) == getattr(real, name), name
    assert dry.matched == real.matched
    assert (real.matched_by("reference").count, real.queued.count) == (1, 1)
    assert (real.debits.count, real.not_booked.count) == (1, 1)


def test_a_reversal_waits_naming_the_credit_it_takes_back(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "250")
    paid = entry("250.00", servicer_ref="P-1", details=tx(scor=bill.payment_reference,
                                                           end_to_end="E2E-9"))  # fmt: skip
    t.import_statement(valid(statement(IBAN, "CHF", [paid, entry("250.00", servicer_ref="P-2")])))
    back = entry(
        "250.00",
        credit=False,
        reversal=True,
        servicer_ref="R-1",
        booking_date=DAY + dt.timedelta(days=2),
        details=tx(end_to_end="E2E-9"),
    )
    result = t.import_statement(valid(statement(IBAN, "CHF", [back], id="LATER")))
    assert result.reversals.count == 1
    matched = [x for x in rows(t, "bank_lines") if x["status"] == "matched"]
    (reversal,) = [x for x in t.bank_queue() if x.kind == "reversal"]
    assert reversal.original_line == matched[0]["id"]
    assert reversal.reason == (
        f"the bank takes back 250.00 CHF of line {matched[0]['id']}, which became payment "
        f"{matched[0]['payment_id']}"
    )


def test_a_payment_the_books_refuse_waits_with_the_reason(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "1000", "EUR")
    # CHF credited for the EUR invoice, the instructed EUR 1,000.00 its amount due: a match;
    # but the last EUR rate (2024-03-01) is too old for 2024-06-03.
    xml = valid(
        statement(
            IBAN, "CHF",
            [entry("970.00", details=tx(scor=bill.payment_reference,
                                        instructed=instructed("1000.00", "EUR")))],
        )
    )  # fmt: skip
    result = t.import_statement(xml)
    assert result.refused.count == 1
    (line,) = t.bank_queue()
    assert line.status == "refused"
    assert line.rule == "reference"
    assert "EUR" in (line.reason or "")
    assert "2024-03-01" in (line.reason or "")
    assert rows(t, "payments") == []


def test_a_refused_payment_among_matched_ones_undoes_only_itself(books: Books) -> None:
    # The lines of a chunk are written in one savepoint; a refused payment rolls the chunk
    # back and writes it again payment by payment: the payments before and after it stand.
    t = books.tracker
    first, last = invoice(books, "1200"), invoice(books, "3400.50")
    eur = invoice(books, "1000", "EUR")
    xml = valid(
        statement(
            IBAN, "CHF",
            [
                entry("1200.00", servicer_ref="K-1", details=tx(scor=first.payment_reference)),
                entry("970.00", servicer_ref="K-2",
                      details=tx(scor=eur.payment_reference,
                                 instructed=instructed("1000.00", "EUR"))),
                entry("77.00", servicer_ref="K-3", details=tx(ustrd=["a gift"])),
                entry("3400.50", servicer_ref="K-4", details=tx(scor=last.payment_reference)),
            ],
        )
    )  # fmt: skip
    result = t.import_statement(xml)
    assert result.matched_by("reference").count == 2
    assert result.matched_by("reference").total("CHF") == money("4600.50", "CHF")
    assert (result.refused.count, result.queued.count) == (1, 1)
    lines = rows(t, "bank_lines")
    assert [(x["servicer_reference"], x["status"]) for x in lines] == [
        ("K-1", "matched"), ("K-2", "refused"), ("K-3", "queued"), ("K-4", "matched"),
    ]  # fmt: skip
    assert len(rows(t, "bank_entries")) == 4
    paid = rows(t, "payments")
    assert [(p["reference"], p["amount_minor"], p["invoice_id"]) for p in paid] == [
        ("K-1", 120000, first.id), ("K-4", 340050, last.id),
    ]  # fmt: skip
    assert [x["payment_id"] for x in lines] == [paid[0]["id"], None, None, paid[1]["id"]]
    assert t.invoice_balance(first.number).open.amount == 0
    assert t.invoice_balance(last.number).open.amount == 0
    assert t.invoice_balance(eur.number).open == money("1000.00", "EUR")
    assert t.verify() == []


def test_a_statement_of_an_account_not_ours_is_refused_and_nothing_written(books: Books) -> None:
    t = books.tracker
    before = snapshot(t)
    xml = valid(statement(OTHER_IBAN, "CHF", [entry("10.00")]))
    with pytest.raises(UnknownBankAccount, match=OTHER_IBAN):
        t.import_statement(xml, name="other.xml")
    assert snapshot(t) == before


def test_books_without_a_bank_account_refuse_statements(db_url: str) -> None:
    with open_tracker(db_url) as t, pytest.raises(NoBankAccount, match="bank_account"):
        t.import_statement(valid(statement(IBAN, "CHF", [entry("10.00")])))


def test_known_payers_match_by_account_and_alias_and_amounts_by_partner(books: Books) -> None:
    t = books.tracker
    beta = books.add_partner("BETA", books.partner.language)
    gamma = books.add_partner("GAMMA", books.partner.language)
    assert beta.id is not None
    assert gamma.id is not None
    invoice(books, "400")
    invoice(books, "900", partner=beta.id)
    invoice(books, "333.33", partner=gamma.id)
    t.add_payer(books.pid, iban=DEBTOR_IBAN)
    t.add_payer(beta.id, alias="Beta Holding AG")
    xml = valid(
        statement(
            IBAN, "CHF",
            [entry("150.00", details=tx(debtor_iban=DEBTOR_IBAN)),
             entry("900.00", details=tx(debtor="BETA  holding ag")),
             entry("333.33", details=tx(debtor="Unknown payer")),
             entry("400.01")],
        )
    )  # fmt: skip
    result = t.import_statement(xml)
    assert [result.matched_by(r).count for r in ("payer_account", "alias", "amount")] == [1, 1, 1]
    assert result.queued.count == 1
    paid = [(p["partner_id"], p["amount_minor"]) for p in rows(t, "payments")]
    assert paid == [(books.pid, 15000), (beta.id, 90000), (gamma.id, 33333)]
