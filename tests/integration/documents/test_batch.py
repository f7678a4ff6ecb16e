"""Batch runs on both engines: what is issued, skipped and failed, and that a rerun adds nothing.

Every expected number, amount and date is worked out here from the scenario (instalments split
by hand in Decimal, due dates from the stated rules), never read back from the library.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from tests.factories import SIGNED, Books, make_partner, snapshot
from wsis_funding.documents.errors import IssuerNotConfigured, NothingToRemind
from wsis_funding.documents.model import InvoiceSnapshot, LetterSnapshot, ReminderSnapshot
from wsis_funding.ledger.errors import DatesOutOfOrder, UnknownEdition
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Language, Pledge
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import money
from wsis_funding.services import BatchItem, open_tracker
from wsis_funding.services.errors import TransactionInProgress
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import partner_to_row

TOTO_PA = "\U0001e290"  # TOTO LETTER PA: no installed font draws it (tests/unit/rendering)
FEB1 = dt.date(2024, 2, 1)


def stored_before_the_glyph_rule(books: Books, short: str, name: str) -> int:
    """A partner whose name no font draws, as books written before names were checked hold."""
    row = partner_to_row(attrs.evolve(make_partner(short), language=Language.EN))
    row |= {"legal_name": name, "short_name_key": identity_key(short)}
    with books.tracker.engine.begin() as conn:
        return int(
            conn.execute(t.partners.insert().values(row).returning(t.partners.c.id)).scalar_one()
        )


def sponsor(
    books: Books,
    short: str,
    amount: str,
    dues: list[dt.date],
    *,
    partner: int | None = None,
    signed: dt.date = SIGNED,
) -> Pledge:
    """A new English-speaking partner ``short`` and its confirmed CHF pledge, in instalments."""
    if partner is None:
        stored = books.tracker.add_partner(attrs.evolve(make_partner(short), language=Language.EN))
        assert stored.id is not None
        partner = stored.id
    total = money(amount, "CHF")
    pledge = books.tracker.create_pledge(
        partner,
        "WSIS2024",
        amount=total,
        signed_on=signed,
        instalments=split_evenly(total, dues),
    )
    return books.tracker.confirm(pledge)


def outcomes(items: tuple[BatchItem, ...]) -> list[tuple[str, str, str | None]]:
    return [(i.partner, i.outcome, i.number) for i in items]


# Invoices falling due ----------------------------------------------------------------------


def test_every_instalment_due_by_the_date_is_invoiced_once_and_a_rerun_skips_them(
    books: Books,
) -> None:
    t = books.tracker
    a = sponsor(books, "A", "60000", [dt.date(2024, 3, 1), dt.date(2024, 4, 1)])
    b = sponsor(books, "B", "25000", [dt.date(2024, 3, 10)])
    sponsor(books, "C", "40000", [dt.date(2024, 6, 1)])  # not due by 15 March
    d = sponsor(books, "D", "30000", [dt.date(2024, 2, 20), dt.date(2024, 3, 5)])
    e = sponsor(books, "E", "10000", [dt.date(2024, 3, 1)])
    t.record_payment(e.partner_id, money("10000", "CHF"), received_on=dt.date(2024, 1, 30),
                     reference="E paid ahead", idempotency_key="e-1")  # fmt: skip
    by_hand = t.issue_invoice(d.instalments[0], FEB1, due_on=dt.date(2024, 2, 20))
    assert by_hand.number == "WSIS-2024-0001"

    summary = t.issue_due_invoices("WSIS2024", dt.date(2024, 3, 15), on=FEB1, terms_days=30)

    # Oldest due first: D's first instalment (invoiced by hand), A's first, D's second, B's.
    assert outcomes(summary.items) == [
        ("D", "skipped", "WSIS-2024-0001"),
        ("A", "issued", "WSIS-2024-0002"),
        ("D", "issued", "WSIS-2024-0003"),
        ("B", "issued", "WSIS-2024-0004"),
    ]
    assert summary.skipped[0].reason == "already invoiced by WSIS-2024-0001"
    assert summary.failed == ()
    # Each asks for its instalment (split by hand), due 30 days after 1 February (2 March)
    # but never before the instalment itself.
    expected = {
        "WSIS-2024-0002": (a.id, Decimal("30000.00"), dt.date(2024, 3, 2)),
        "WSIS-2024-0003": (d.id, Decimal("15000.00"), dt.date(2024, 3, 5)),
        "WSIS-2024-0004": (b.id, Decimal("25000.00"), dt.date(2024, 3, 10)),
    }
    for number, (pledge_id, amount, due_on) in expected.items():
        doc = t.document(number)
        assert isinstance(doc.snapshot, InvoiceSnapshot)
        assert (doc.pledge_id, doc.total, doc.snapshot.due_on, doc.snapshot.issued_on) == (
            pledge_id,
            money(amount, "CHF"),
            due_on,
            FEB1,
        )
    assert "instalment 1 of 2" in summary.issued[0].subject

    before = snapshot(t)
    again = t.issue_due_invoices("WSIS2024", dt.date(2024, 3, 15), on=FEB1)
    assert [i.outcome for i in again.items] == ["skipped"] * 4
    assert [i.number for i in again.items] == [f"WSIS-2024-000{n}" for n in (1, 2, 3, 4)]
    assert snapshot(t) == before

    later = t.issue_due_invoices("WSIS2024", dt.date(2024, 4, 1), on=FEB1)
    assert [(i.partner, i.number) for i in later.issued] == [("A", "WSIS-2024-0005")]
    assert len(later.skipped) == 4
    assert t.verify() == []


def test_a_failure_in_the_middle_is_reported_and_the_others_are_issued_without_a_gap(
    books: Books,
) -> None:
    t = books.tracker
    sponsor(books, "P1", "10000", [dt.date(2024, 3, 1)])
    toto = stored_before_the_glyph_rule(books, "P2", f"Toto {TOTO_PA} Cooperative")
    sponsor(books, "P2", "20000", [dt.date(2024, 3, 2)], partner=toto)
    sponsor(books, "P3", "30000", [dt.date(2024, 3, 3)], signed=dt.date(2024, 3, 1))
    sponsor(books, "P4", "40000", [dt.date(2024, 3, 4)])

    summary = t.issue_due_invoices("WSIS2024", dt.date(2024, 3, 15), on=FEB1)

    assert outcomes(summary.items) == [
        ("P1", "issued", "WSIS-2024-0001"),
        ("P2", "failed", None),
        ("P3", "failed", None),
        ("P4", "issued", "WSIS-2024-0002"),
    ]
    glyphs, dates = summary.failed
    assert glyphs.error == "MissingGlyphs"
    assert "U+1E290" in str(glyphs.reason)
    assert dates.error == "DatesOutOfOrder"
    assert "2024-02-01" in str(dates.reason)
    assert "2024-03-01" in str(dates.reason)
    assert books.counts()[0] == 2

    again = t.issue_due_invoices("WSIS2024", dt.date(2024, 3, 15), on=FEB1)
    assert [i.outcome for i in again.items] == ["skipped", "failed", "failed", "skipped"]
    assert books.counts()[0] == 2


def test_progress_is_reported_after_each_document(books: Books) -> None:
    sponsor(books, "A", "10000", [dt.date(2024, 3, 1)])
    sponsor(books, "B", "20000", [dt.date(2024, 3, 2)])
    seen: list[tuple[str, int, int]] = []
    books.tracker.issue_due_invoices(
        "WSIS2024", dt.date(2024, 3, 15), on=FEB1,
        progress=lambda item, done, total: seen.append((item.partner, done, total)),
    )  # fmt: skip
    assert seen == [("A", 1, 2), ("B", 2, 2)]


# Acknowledgement letters -------------------------------------------------------------------


def test_each_payment_and_pledge_it_settled_gets_one_letter_and_a_rerun_skips_them(
    books: Books,
) -> None:
    t = books.tracker
    a1 = sponsor(books, "A", "60000", [dt.date(2024, 3, 1), dt.date(2024, 4, 1)])
    a2 = sponsor(books, "A2", "20000", [dt.date(2024, 3, 2)], partner=a1.partner_id)
    b = sponsor(books, "B", "25000", [dt.date(2024, 3, 1)])
    # A's 50,000 settles a1's first instalment (30,000) and a2 (20,000): one letter each.
    x = t.record_payment(a1.partner_id, money("50000", "CHF"), received_on=dt.date(2024, 3, 5),
                         reference="A-1", idempotency_key="a-1")  # fmt: skip
    y = t.record_payment(b.partner_id, money("10000", "CHF"), received_on=dt.date(2024, 3, 6),
                         reference="B-1", idempotency_key="b-1")  # fmt: skip
    by_hand = t.acknowledge(y, dt.date(2024, 3, 7))
    # Money kept as credit (ACME has no pledge) and money received after the date: no letter.
    t.record_payment(books.pid, money("5000", "CHF"), received_on=dt.date(2024, 3, 8),
                     reference="ACME-1", idempotency_key="acme-1")  # fmt: skip
    t.record_payment(b.partner_id, money("15000", "CHF"), received_on=dt.date(2024, 4, 2),
                     reference="B-2", idempotency_key="b-2")  # fmt: skip

    summary = t.acknowledge_payments("WSIS2024", dt.date(2024, 3, 31))

    assert outcomes(summary.items) == [
        ("A", "issued", "WSIS-ACK-2024-0002"),
        ("A", "issued", "WSIS-ACK-2024-0003"),
        ("B", "skipped", by_hand.number),
    ]
    assert summary.skipped[0].reason == f"already acknowledged by {by_hand.number}"
    letters = [t.document(i.number or "") for i in summary.issued]
    assert [(d.payment_id, d.pledge_id) for d in letters] == [(x.id, a1.id), (x.id, a2.id)]
    settled = [
        d.snapshot.amount_received for d in letters if isinstance(d.snapshot, LetterSnapshot)
    ]
    assert settled == [money("30000", "CHF"), money("20000", "CHF")]
    assert all(d.issued_on == dt.date(2024, 3, 31) for d in letters)

    again = t.acknowledge_payments("WSIS2024", dt.date(2024, 3, 31))
    assert [i.outcome for i in again.items] == ["skipped"] * 3
    later = t.acknowledge_payments("WSIS2024", dt.date(2024, 4, 30))
    assert [(i.partner, i.outcome) for i in later.items][-1] == ("B", "issued")
    assert len(later.issued) == 1


def test_letters_cannot_be_dated_before_the_payments_they_count(books: Books) -> None:
    with pytest.raises(DatesOutOfOrder):
        books.tracker.acknowledge_payments(
            "WSIS2024", dt.date(2024, 3, 31), on=dt.date(2024, 3, 30)
        )


# Reminders ---------------------------------------------------------------------------------


def test_overdue_invoices_are_reminded_once_then_again_when_new_or_after_the_interval(
    books: Books,
) -> None:
    t = books.tracker
    due = dt.date(2024, 3, 2)
    a = sponsor(books, "A", "60000", [dt.date(2024, 3, 1), dt.date(2024, 4, 1)])
    t.issue_invoice(a, FEB1, due_on=due)  # WSIS-2024-0001, both instalments
    t.record_payment(a.partner_id, money("20000", "CHF"), received_on=dt.date(2024, 3, 10),
                     reference="A-1", idempotency_key="a-1")  # fmt: skip
    b = sponsor(books, "B", "25000", [dt.date(2024, 3, 1)])
    t.issue_invoice(b, FEB1, due_on=due)  # paid in full: nothing overdue
    t.record_payment(b.partner_id, money("25000", "CHF"), received_on=dt.date(2024, 3, 5),
                     reference="B-1", idempotency_key="b-1")  # fmt: skip
    c = sponsor(books, "C", "30000", [dt.date(2024, 3, 1)])
    t.issue_invoice(c, dt.date(2024, 3, 20), due_on=dt.date(2024, 4, 19))  # not yet overdue
    d = sponsor(books, "D", "40000", [dt.date(2024, 3, 1)])
    t.issue_invoice(d, FEB1, due_on=due)
    t.write_off(d, "no longer reachable", on=dt.date(2024, 4, 1))  # its invoice goes with it

    first = t.issue_reminders("WSIS2024", dt.date(2024, 4, 15))

    assert outcomes(first.items) == [("A", "issued", "WSIS-REM-2024-0001")]
    reminder = t.document("WSIS-REM-2024-0001")
    assert isinstance(reminder.snapshot, ReminderSnapshot)
    # 60,000 in two instalments of 30,000; the 20,000 paid settled the first one's part.
    assert [(i.invoice, i.instalment, i.open, i.due_on) for i in reminder.snapshot.items] == [
        ("WSIS-2024-0001", 1, money(Decimal("30000") - Decimal("20000"), "CHF"), due),
        ("WSIS-2024-0001", 2, money("30000", "CHF"), due),
    ]
    assert reminder.total == money("40000", "CHF")
    assert reminder.pledge_id == a.id

    same_day = t.issue_reminders("WSIS2024", dt.date(2024, 4, 15))
    assert outcomes(same_day.items) == [("A", "skipped", "WSIS-REM-2024-0001")]

    # 1 May: C's invoice (due 19 April) is newly overdue; A's is as it was 16 days ago.
    may = t.issue_reminders("WSIS2024", dt.date(2024, 5, 1))
    assert outcomes(may.items) == [
        ("A", "skipped", "WSIS-REM-2024-0001"),
        ("C", "issued", "WSIS-REM-2024-0002"),
    ]
    # 20 May: 35 days after A's reminder, 19 after C's.
    later = t.issue_reminders("WSIS2024", dt.date(2024, 5, 20), repeat_after_days=30)
    assert outcomes(later.items) == [
        ("A", "issued", "WSIS-REM-2024-0003"),
        ("C", "skipped", "WSIS-REM-2024-0002"),
    ]
    assert t.verify() == []


def test_a_reminder_needs_something_overdue_and_a_date_not_before_what_it_counts(
    books: Books,
) -> None:
    t = books.tracker
    a = sponsor(books, "A", "60000", [dt.date(2024, 3, 1)])
    with pytest.raises(NothingToRemind, match="nothing invoiced on it is overdue"):
        t.issue_reminder(a, dt.date(2024, 4, 15))  # never invoiced
    t.issue_invoice(a, FEB1, due_on=dt.date(2024, 3, 2))
    with pytest.raises(NothingToRemind, match="overdue on 2024-03-02"):
        t.issue_reminder(a, dt.date(2024, 3, 2))  # due that day: not yet overdue
    with pytest.raises(DatesOutOfOrder):
        t.issue_reminder(a, dt.date(2024, 4, 1), up_to=dt.date(2024, 4, 2))
    done = t.issue_reminder(a, dt.date(2024, 3, 3))
    assert (done.number, done.kind, done.total) == (
        "WSIS-REM-2024-0001",
        "reminder",
        money("60000", "CHF"),
    )
    assert [d.number for d in t.documents(a)] == ["WSIS-2024-0001", "WSIS-REM-2024-0001"]
    # A reminder asks for nothing new: the statement shows the invoice, not the reminder.
    lines = t.statement(a.partner_id, "WSIS2024").lines["CHF"]
    assert [line.reference for line in lines if line.reference.startswith("WSIS-")] == [
        "WSIS-2024-0001"
    ]


# Refusals before anything is issued --------------------------------------------------------


def test_bad_arguments_are_refused_before_anything_is_written(books: Books, db_url: str) -> None:
    t = books.tracker
    sponsor(books, "A", "10000", [dt.date(2024, 3, 1)])
    before = snapshot(t)
    with pytest.raises(UnknownEdition):
        t.issue_due_invoices("WSIS1999", dt.date(2024, 3, 15))
    with pytest.raises(ValueError, match="workers must be at least 1"):
        t.issue_due_invoices("WSIS2024", dt.date(2024, 3, 15), workers=0)
    with pytest.raises(ValueError, match="repeat_after_days must be at least 1"):
        t.issue_reminders("WSIS2024", dt.date(2024, 3, 15), repeat_after_days=0)
    with pytest.raises(TypeError, match=r"up_to must be a datetime\.date"):
        t.issue_due_invoices("WSIS2024", "2024-03-15")  # type: ignore[arg-type]
    with t.transaction(), pytest.raises(TransactionInProgress):
        t.issue_reminders("WSIS2024", dt.date(2024, 3, 15))
    with open_tracker(db_url, create=False) as reader, pytest.raises(IssuerNotConfigured):
        reader.issue_due_invoices("WSIS2024", dt.date(2024, 3, 15))
    assert snapshot(t) == before
