"""Tampering behind the library is reported by verify(), naming the entry, payment or document.

Each case switches the triggers off first, as the owner of the tables can (PostgreSQL:
``ALTER TABLE ... DISABLE TRIGGER USER``; SQLite: drop them), then changes what a forger
would: a document's snapshot, a deleted invoice, a payment's amount, its settlements, an
entry re-hashed forward, a tail cut off consistently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.factories import DUE, ISSUED, Books, example_issuer
from tests.tampering import bypass_triggers, rehash_from, sql
from wsis_funding.ledger.chain import ChainHead
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker

PAID_ON = dt.date(2024, 3, 5)
IBAN = "CH9300762011623852957"


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        yield Books(tracker)


def _season(books: Books) -> tuple[str, int]:
    """A pledge of CHF 60,000 in two instalments, invoiced, half paid and acknowledged.

    Returns the invoice number and the payment id.
    """
    t = books.tracker
    pledge = books.confirmed_pledge("60000", parts=2)
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    payment = t.record_payment(
        books.pid, money("30000", "CHF"), received_on=PAID_ON, reference="UBS line 7",
        idempotency_key="ubs-7", invoice=invoice.number,
    )  # fmt: skip
    t.acknowledge(payment, dt.date(2024, 3, 6))
    assert t.verify() == []
    assert payment.id is not None
    return invoice.number, payment.id


def _manual(amount: str, memo: str) -> Entry:
    minor = int(money(amount, "CHF").amount * 100)
    return Entry(
        entry_date=dt.date(2024, 4, 1), kind="manual", memo=memo,
        postings=(
            Posting(account="bank:CHF", currency="CHF", amount_minor=minor, base_minor=minor),
            Posting(account="psc_income", currency="CHF", amount_minor=-minor,
                    base_minor=-minor),
        ),
    )  # fmt: skip


def _codes(t: Tracker, **kwargs: object) -> set[tuple[str, str]]:
    return {(p.code, p.subject) for p in t.verify(**kwargs)}  # type: ignore[arg-type]


def test_an_issued_invoice_with_another_iban_in_its_snapshot_is_reported(books: Books) -> None:
    number, _ = _season(books)
    bypass_triggers(books.tracker)
    sql(
        books.tracker,
        "UPDATE documents SET snapshot = replace(snapshot, :iban, :forged) WHERE number = :n",
        iban=IBAN, forged="CH5604835012345678009", n=number,
    )  # fmt: skip
    account = books.tracker.document(number).snapshot.issuer.bank_account
    assert account is not None
    assert account.iban == "CH5604835012345678009"  # what its PDF would now print
    problems = books.tracker.verify()
    assert [(p.code, p.subject) for p in problems] == [("document.seal", number)]
    assert "changed behind the use cases" in problems[0].message


def test_an_issued_invoice_with_another_total_is_reported(books: Books) -> None:
    number, _ = _season(books)
    bypass_triggers(books.tracker)
    sql(books.tracker, "UPDATE documents SET total_minor = 1 WHERE number = :n", n=number)
    assert _codes(books.tracker) == {("document.seal", number)}


def test_a_deleted_invoice_is_reported_missing_and_a_gap_in_its_numbers(books: Books) -> None:
    t = books.tracker
    first = t.issue_invoice(books.confirmed_pledge("1000"), ISSUED, due_on=DUE).number
    deleted = t.issue_invoice(books.confirmed_pledge("2000"), ISSUED, due_on=DUE).number
    t.issue_invoice(books.confirmed_pledge("3000"), ISSUED, due_on=DUE)
    assert (first, deleted) == ("WSIS-2024-0001", "WSIS-2024-0002")
    bypass_triggers(t)
    sql(
        t,
        "DELETE FROM invoice_coverage WHERE document_id = "
        "(SELECT id FROM documents WHERE number = :n)",
        "DELETE FROM documents WHERE number = :n",
        n=deleted,
    )
    problems = t.verify()
    assert {(p.code, p.subject) for p in problems} == {
        ("document.missing", deleted),
        ("document.gap", deleted),
    }


def test_the_last_invoice_deleted_with_its_counter_wound_back_is_still_missing(
    books: Books,
) -> None:
    t = books.tracker
    t.issue_invoice(books.confirmed_pledge("1000"), ISSUED, due_on=DUE)
    last = t.issue_invoice(books.confirmed_pledge("2000"), ISSUED, due_on=DUE).number
    bypass_triggers(t)
    sql(
        t,
        "DELETE FROM invoice_coverage WHERE document_id = "
        "(SELECT id FROM documents WHERE number = :n)",
        "DELETE FROM documents WHERE number = :n",
        "UPDATE document_counters SET last_seq = last_seq - 1",
        n=last,
    )
    assert _codes(t) == {("document.missing", last)}


def test_a_document_stored_behind_the_use_cases_is_reported_unsealed(books: Books) -> None:
    number, _ = _season(books)
    bypass_triggers(books.tracker)
    with books.tracker.engine.begin() as conn:
        row = conn.execute(text("SELECT * FROM documents WHERE number = :n"), {"n": number})
        values = dict(row.one()._mapping)
        values.update(id=99, seq=2, number="WSIS-2024-0002", payment_reference="RF18WSIS20240002")
        columns = ", ".join(values)
        conn.execute(
            text(f"INSERT INTO documents ({columns}) VALUES (:{', :'.join(values)})"), values
        )
        conn.execute(text("UPDATE document_counters SET last_seq = 2 WHERE series = 'WSIS'"))
    assert _codes(books.tracker) == {("document.unsealed", "WSIS-2024-0002")}


def test_a_payment_amount_multiplied_by_ten_is_reported(books: Books) -> None:
    _, payment = _season(books)
    bypass_triggers(books.tracker)
    sql(books.tracker, "UPDATE payments SET amount_minor = amount_minor * 10 WHERE id = :p",
        p=payment)  # fmt: skip
    problems = books.tracker.verify()
    assert [(p.code, p.subject) for p in problems] == [("payment.seal", f"payment {payment}")]
    assert "bank reference 'UBS line 7'" in problems[0].message


def test_deleting_every_settlement_is_reported_on_the_payment_instalment_and_pledge(
    books: Books,
) -> None:
    _, payment = _season(books)
    bypass_triggers(books.tracker)
    sql(books.tracker, "DELETE FROM settlements")
    codes = _codes(books.tracker)
    assert ("payment.settlements", f"payment {payment}") in codes
    assert ("pledge.settled", "pledge 1") in codes
    assert ("instalment.settled", "instalment 1") in codes
    assert ("receivable", f"receivable:{books.pid} CHF") in codes


def test_a_deleted_payment_is_reported_by_its_entry(books: Books) -> None:
    _, payment = _season(books)
    with books.tracker.engine.connect() as conn:
        seq = conn.execute(
            text("SELECT entry_seq FROM payments WHERE id = :p"), {"p": payment}
        ).scalar_one()
    bypass_triggers(books.tracker)
    sql(
        books.tracker,
        "DELETE FROM settlements WHERE payment_id = :p",
        "DELETE FROM documents WHERE payment_id = :p",
        "DELETE FROM payments WHERE id = :p",
        p=payment,
    )
    problems = {(p.code, p.subject): p.message for p in books.tracker.verify()}
    assert ("payment.missing", f"entry {seq}") in problems
    assert "Payment UBS line 7" in problems[("payment.missing", f"entry {seq}")]


def test_a_payment_re_pointed_at_another_entry_is_reported(books: Books) -> None:
    _, payment = _season(books)
    bypass_triggers(books.tracker)
    sql(books.tracker, "UPDATE payments SET entry_seq = 1 WHERE id = :p", p=payment)
    codes = _codes(books.tracker)
    assert ("payment.unsealed", f"payment {payment}") in codes


def _posted_then_edited(books: Books) -> ChainHead:
    """Post three manual entries, export the head, then forge entry 2's amounts (balanced,
    running totals adjusted) and re-hash the chain forward: consistent in itself."""
    t = books.tracker
    t.post_entries([_manual("100", "a"), _manual("200", "b"), _manual("300", "c")])
    head = t.head()
    assert head.seq == 3
    bypass_triggers(t)
    sql(
        t,
        "UPDATE journal_postings SET amount_minor = amount_minor * 2, base_minor = base_minor * 2"
        " WHERE entry_seq = 2",
        "UPDATE account_totals SET amount_minor = amount_minor + 20000 * "
        "(CASE WHEN amount_minor > 0 THEN 1 ELSE -1 END), base_minor = base_minor + 20000 * "
        "(CASE WHEN base_minor > 0 THEN 1 ELSE -1 END)",
    )
    rehash_from(t, 2)
    return head


def test_a_history_rewritten_and_re_hashed_forward_breaks_the_exported_head(
    books: Books,
) -> None:
    head = _posted_then_edited(books)
    assert books.tracker.verify() == []  # consistent: only the anchor outside can tell
    problems = books.tracker.verify(expected_head=head)
    assert [(p.code, p.subject) for p in problems] == [("chain.rewritten", "entry 3")]
    assert books.tracker.verify(expected_head=str(head))[0].code == "chain.rewritten"


def test_a_tail_cut_off_consistently_is_reported_against_the_exported_head(
    books: Books,
) -> None:
    t = books.tracker
    t.post_entries([_manual("100", "a"), _manual("200", "b")])
    kept = t.head()
    t.post_entries([_manual("300", "c")])
    head = t.head()
    bypass_triggers(t)
    sql(
        t,
        "DELETE FROM journal_postings WHERE entry_seq = 3",
        "DELETE FROM journal_entries WHERE seq = 3",
        "UPDATE account_totals SET amount_minor = amount_minor - 30000 * "
        "(CASE WHEN amount_minor > 0 THEN 1 ELSE -1 END), base_minor = base_minor - 30000 * "
        "(CASE WHEN base_minor > 0 THEN 1 ELSE -1 END)",
        "UPDATE journal_chain SET seq = :s, hash = :h",
        s=kept.seq,
        h=kept.hash,
    )
    assert t.verify() == []  # consistent: only the anchor outside can tell
    problems = t.verify(expected_head=head)
    assert [(p.code, p.subject) for p in problems] == [("chain.cut", "entry 3")]
    assert "truncated" in problems[0].message


def test_from_a_head_only_what_was_appended_since_is_checked(books: Books) -> None:
    _, payment = _season(books)
    head = books.tracker.head()
    later = books.tracker.record_payment(
        books.pid, money("100", "CHF"), received_on=PAID_ON, reference="UBS line 8"
    )
    books.tracker.post_entries([_manual("5", "later")])
    assert books.tracker.verify(expected_head=head) == []
    bypass_triggers(books.tracker)
    sql(books.tracker, "UPDATE payments SET amount_minor = 7 WHERE id IN (:a, :b)",
        a=payment, b=later.id)  # fmt: skip
    assert _codes(books.tracker, expected_head=head) == {("payment.seal", f"payment {later.id}")}
    assert _codes(books.tracker) == {
        ("payment.seal", f"payment {payment}"),
        ("payment.seal", f"payment {later.id}"),
    }


def test_a_document_issued_after_the_head_is_checked_from_it(books: Books) -> None:
    _season(books)
    head = books.tracker.head()
    number = books.tracker.issue_invoice(books.confirmed_pledge("1000"), ISSUED, due_on=DUE).number
    bypass_triggers(books.tracker)
    sql(books.tracker, "UPDATE documents SET total_minor = 1 WHERE number = :n", n=number)
    assert _codes(books.tracker, expected_head=head) == {("document.seal", number)}


def test_the_head_of_new_books_is_the_genesis_and_everything_extends_it(books: Books) -> None:
    head = books.tracker.head()
    assert str(head) == "0:" + "0" * 64
    _season(books)
    assert books.tracker.verify(expected_head=head) == []


@pytest.mark.parametrize(
    "text_", ["", "12", "12:abc", "x:" + "0" * 64, "12:" + "g" * 64, " 1 :" + "0" * 64]
)
def test_a_malformed_head_is_a_value_error_naming_the_format(books: Books, text_: str) -> None:
    with pytest.raises(ValueError, match="expected SEQ:HASH"):
        books.tracker.verify(expected_head=text_)


def test_a_head_that_is_not_text_is_a_type_error(books: Books) -> None:
    with pytest.raises(TypeError, match="SEQ:HASH"):
        books.tracker.verify(expected_head=12)  # type: ignore[arg-type]
