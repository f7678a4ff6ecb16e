"""Issuing invoices, credit notes and letters: numbering, snapshots, corrections, bad input."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import attrs
import pytest
import sqlalchemy.exc
from sqlalchemy import text

from tests.factories import DUE, ISSUED, Books
from wsis_funding.documents import creditor_reference
from wsis_funding.documents.errors import (
    IssuerNotConfigured,
    NothingToAcknowledge,
    NothingToCredit,
    NothingToInvoice,
    UnknownDocument,
)
from wsis_funding.documents.model import InvoiceSnapshot, LetterSnapshot
from wsis_funding.examples import example_issuer
from wsis_funding.i18n.errors import UnsupportedLanguage
from wsis_funding.ledger.model import Language
from wsis_funding.money import money
from wsis_funding.rendering.errors import MissingIban, TemplateVariableMissing
from wsis_funding.services import open_tracker


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_invoice_is_numbered_when_issued_in_the_partners_language(
    books: Books, tmp_path: Path
) -> None:
    pledge = books.confirmed_pledge("60000")
    doc = books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert doc.number == "WSIS-2024-0001"
    assert doc.kind == "invoice"
    assert doc.total == money("60000", "CHF")
    assert doc.payment_reference == creditor_reference("WSIS-2024-0001")
    assert isinstance(doc.snapshot, InvoiceSnapshot)
    assert doc.snapshot.language == "fr"
    assert doc.snapshot.partner.name == "ACME Corporation"
    # The tier printed is the one 60,000 CHF earns (Contributing Partner: 50,000 to 150,000).
    assert doc.snapshot.lines[0].description == (
        "Partenaire contributeur, WSIS+20 Forum High-Level Event"
    )
    assert books.tracker.document("WSIS-2024-0001") == doc
    text_ = pdf_text(books.tracker.render_pdf(doc.number), tmp_path)
    assert "WSIS-2024-0001" in text_
    assert "Facture" in text_
    assert "60\u202f000,00" in text_ or "60 000,00" in text_


def test_the_stored_snapshot_renders_to_the_same_bytes_every_time(books: Books) -> None:
    pledge = books.confirmed_pledge()
    doc = books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert books.tracker.render_pdf(doc.number) == books.tracker.render_pdf(doc.number)


def test_drafts_are_not_invoiced_and_consume_no_number(books: Books) -> None:
    draft = books.tracker.create_pledge(
        books.pid, "WSIS2024", amount=money("1000", "CHF"), signed_on=ISSUED
    )
    before = books.counts()
    with pytest.raises(NothingToInvoice, match="draft"):
        books.tracker.issue_invoice(draft, ISSUED, due_on=DUE)
    assert books.counts() == before
    books.tracker.confirm(draft)
    assert books.tracker.issue_invoice(draft, ISSUED, due_on=DUE).number == "WSIS-2024-0001"


def test_numbers_are_consecutive_per_series_and_restart_each_year(books: Books) -> None:
    numbers = [
        books.tracker.issue_invoice(
            books.confirmed_pledge(), on, due_on=on + dt.timedelta(days=30)
        ).number
        for on in (ISSUED, ISSUED, dt.date(2025, 1, 5), ISSUED)
    ]
    assert numbers == ["WSIS-2024-0001", "WSIS-2024-0002", "WSIS-2025-0001", "WSIS-2024-0003"]


def test_a_fully_invoiced_pledge_cannot_be_invoiced_again(books: Books) -> None:
    pledge = books.confirmed_pledge()
    books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    with pytest.raises(NothingToInvoice, match="nothing is due"):
        books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)


def test_instalments_are_invoiced_one_by_one(books: Books) -> None:
    pledge = books.confirmed_pledge("100000.01", parts=3)
    first, second, third = pledge.instalments
    a = books.tracker.issue_invoice(first, ISSUED, due_on=DUE)
    assert a.total == first.amount
    assert a.instalment_id == first.id
    assert a.snapshot.lines[0].description.endswith(  # type: ignore[union-attr]
        ", échéance 1 sur 3 du 1 mars 2024"
    )
    with pytest.raises(NothingToInvoice, match="instalment 1 is invoiced by WSIS-2024-0001"):
        books.tracker.issue_invoice(first, ISSUED, due_on=DUE)
    rest = books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert rest.total == second.amount + third.amount
    with pytest.raises(NothingToInvoice):
        books.tracker.issue_invoice(third, ISSUED, due_on=DUE)


def test_cancelling_an_invoice_issues_a_credit_note_in_its_own_series(
    books: Books, tmp_path: Path
) -> None:
    pledge = books.confirmed_pledge()
    invoice = books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    note = books.tracker.cancel_invoice(invoice.number, dt.date(2024, 2, 10), kind="correction")
    assert note.number == "WSIS-CN-2024-0001"
    assert note.kind == "credit_note"
    assert note.total == invoice.total
    assert note.refers_to_id == invoice.id
    assert isinstance(note.snapshot, InvoiceSnapshot)
    assert note.snapshot.refers_to == invoice.number
    assert books.tracker.document(invoice.number) == invoice  # the invoice itself is unchanged
    with pytest.raises(NothingToCredit, match="nothing on it is left to pay"):
        books.tracker.cancel_invoice(invoice.number, dt.date(2024, 2, 11), kind="correction")
    # Once credited, the pledge can be invoiced again, under the next number.
    assert books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE).number == "WSIS-2024-0002"
    assert "WSIS-2024-0001" in pdf_text(books.tracker.render_pdf(note.number), tmp_path)


def test_a_partial_reduction_credit_note_reduces_the_pledge_and_is_never_invoiced_again(
    books: Books,
) -> None:
    pledge = books.confirmed_pledge("60000")
    invoice = books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    with pytest.raises(NothingToCredit, match="more than"):
        books.tracker.credit_invoice(
            invoice.number, ISSUED, kind="reduction", amount=money("60000.01", "CHF")
        )
    note = books.tracker.credit_invoice(
        invoice.number, ISSUED, kind="reduction", amount=money("10000", "CHF")
    )
    assert note.total == money("10000", "CHF")
    assert note.snapshot.lines[0].description.startswith(  # type: ignore[union-attr]
        "Réduction de la facture WSIS-2024-0001 : Partenaire contributeur"
    )
    reduced = books.tracker.pledge(pledge)
    assert reduced.amount == money("50000", "CHF")
    assert books.tracker.balance(f"receivable:{books.pid}").amounts == {
        "CHF": money("50000", "CHF")
    }
    assert books.tracker.balance("revenue:WSIS2024").amounts == {"CHF": money("-50000", "CHF")}
    with pytest.raises(NothingToInvoice, match="nothing is due"):
        books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)


def test_a_foreign_currency_invoice_shows_the_base_equivalent_at_the_recorded_rate(
    books: Books,
) -> None:
    pledge = books.confirmed_pledge("10000", "USD")  # signed 2024-01-15: 0.90 CHF per USD
    snap = books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE).snapshot
    assert isinstance(snap, InvoiceSnapshot)
    assert snap.total == money("10000", "USD")
    assert snap.base_equivalent == money("9000", "CHF")
    assert snap.rate is not None
    assert snap.rate.effective == dt.date(2024, 1, 1)


def test_a_bank_statement_reference_finds_its_invoice(books: Books) -> None:
    invoice = books.tracker.issue_invoice(books.confirmed_pledge(), ISSUED, due_on=DUE)
    assert invoice.payment_reference is not None
    spaced = " ".join(invoice.payment_reference[i : i + 4] for i in range(0, 20, 4))
    assert books.tracker.match_reference(spaced) == invoice
    with pytest.raises(UnknownDocument):
        books.tracker.match_reference("RF18539007547034")


def test_an_acknowledgement_thanks_for_the_money_and_states_what_remains(
    books: Books, tmp_path: Path
) -> None:
    spanish = books.add_partner("UNO", Language.ES)
    assert spanish.id is not None
    pledge = books.confirmed_pledge("160000", partner=spanish.id, parts=2)
    books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
    payment = books.tracker.record_payment(
        spanish.id, money("80000", "CHF"), received_on=dt.date(2024, 3, 5), reference="bank 123"
    )
    letter = books.tracker.acknowledge(payment, dt.date(2024, 3, 6))
    assert letter.number == "WSIS-ACK-2024-0001"
    snap = letter.snapshot
    assert isinstance(snap, LetterSnapshot)
    assert snap.amount_received == money("80000", "CHF")
    assert snap.remaining_balance == money("80000", "CHF")
    assert snap.recognition == "Socio estratégico Oro"
    assert snap.benefits  # the illustrative schedule's Gold benefits
    assert snap.payment_reference == creditor_reference("WSIS-2024-0001")
    text_ = pdf_text(books.tracker.render_pdf(letter.number), tmp_path)
    assert "WSIS-ACK-2024-0001" in text_
    assert "80.000,00" in text_


def test_a_payment_that_settled_no_pledge_cannot_be_acknowledged(books: Books) -> None:
    payment = books.tracker.record_payment(
        books.pid, money("5", "CHF"), received_on=ISSUED, reference="credit only"
    )
    with pytest.raises(
        NothingToAcknowledge, match=r"settled no pledge: all of it \(5\.00 CHF\) is kept"
    ):
        books.tracker.acknowledge(payment, ISSUED)


def test_applying_credit_is_not_acknowledged_as_money_received(books: Books) -> None:
    books.tracker.record_payment(
        books.pid, money("500", "CHF"), received_on=ISSUED, reference="credit first"
    )
    books.confirmed_pledge("300")
    applied = books.tracker.apply_credit(books.pid, "CHF", on=DUE)
    before = books.counts()
    with pytest.raises(NothingToAcknowledge, match="applied unapplied credit"):
        books.tracker.acknowledge(applied, DUE)
    assert books.counts() == before


@pytest.mark.parametrize(
    "statement", ["UPDATE documents SET total_minor = 1", "DELETE FROM documents"]
)
def test_issued_documents_cannot_be_updated_or_deleted(books: Books, statement: str) -> None:
    books.tracker.issue_invoice(books.confirmed_pledge(), ISSUED, due_on=DUE)
    with (
        pytest.raises(sqlalchemy.exc.DBAPIError, match="never changed"),
        books.tracker.engine.begin() as conn,
    ):
        conn.execute(text(statement))
    assert books.counts()[0] == 1


def test_a_failed_issue_takes_no_number(books: Books) -> None:
    pledge = books.confirmed_pledge()
    no_bank = attrs.evolve(example_issuer(), bank_account=None)
    before = books.counts()
    url = books.tracker.engine.url.render_as_string(hide_password=False)
    with open_tracker(url, issuer=no_bank) as t, pytest.raises(MissingIban):
        t.issue_invoice(pledge, ISSUED, due_on=DUE)
    with pytest.raises(UnsupportedLanguage):
        books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE, language="de")
    assert books.counts() == before
    assert books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE).number == "WSIS-2024-0001"


def test_a_template_missing_a_variable_is_an_error_and_writes_nothing(
    books: Books, tmp_path: Path
) -> None:
    (tmp_path / "invoice.html").write_text("<p>{{ no_such_variable }}</p>", encoding="utf-8")
    pledge = books.confirmed_pledge()
    before = books.counts()
    with pytest.raises(TemplateVariableMissing):
        books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE, template_dir=tmp_path)
    assert books.counts() == before


def test_invoicing_a_cancelled_pledge_is_refused(books: Books) -> None:
    pledge = books.confirmed_pledge()
    books.tracker.cancel(pledge, on=ISSUED)
    with pytest.raises(NothingToInvoice, match="cancelled"):
        books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)


def test_issuing_without_issuer_settings_is_a_clear_error(db_url: str) -> None:
    with open_tracker(db_url) as t, pytest.raises(IssuerNotConfigured, match="issuer"):
        t.issue_invoice(1, ISSUED, due_on=DUE)
