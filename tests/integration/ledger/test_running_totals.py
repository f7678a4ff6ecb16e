"""The running totals and chain head that a transaction moves: written once, always read right.

A unit of work writes them before it commits and before anything reads them
(storage/running_totals.py); a savepoint rolled back restores them, even after a write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Connection, select

from tests.factories import SIGNED, Books
from wsis_funding.errors import InvalidAmount
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import ExchangeRate, money
from wsis_funding.storage import tables
from wsis_funding.storage.unit_of_work import Store


def _entry(minor: int) -> Entry:
    """Cash in: ``minor`` centimes to the CHF bank account against PSC income."""
    return Entry(entry_date=SIGNED, kind="manual", memo=f"in {minor}", postings=(
        Posting(account="bank:CHF", currency="CHF", amount_minor=minor, base_minor=minor),
        Posting(account="psc_income", currency="CHF", amount_minor=-minor, base_minor=-minor),
    ))  # fmt: skip


def _stored(conn: Connection) -> tuple[int | None, int]:
    """The CHF bank account's running total and the chain head's seq, as the rows hold them."""
    a, c = tables.accounts.c, tables.account_totals.c
    total = conn.execute(
        select(c.amount_minor).join(tables.accounts, a.id == c.account_id)
        .where(a.code == "bank:CHF", c.currency == "CHF")
    ).scalar()  # fmt: skip
    seq = conn.execute(select(tables.journal_chain.c.seq)).scalar_one()
    return total, int(seq)


def _entries(conn: Connection) -> int:
    return len(conn.execute(select(tables.journal_entries.c.seq)).all())


def test_a_transaction_reads_the_totals_and_head_it_moved(books: Books) -> None:
    t = books.tracker
    with t.transaction() as tx:
        for i in range(1, 6):
            tx.post_entries([_entry(100 * i)])
            # 1.00 + 2.00 + ... + i.00, computed here
            expected = sum((Decimal(k) for k in range(1, i + 1)), Decimal(0))
            assert tx.balance("bank:CHF").amounts["CHF"] == money(expected, "CHF")
        head = tx.head()
        assert tx.verify() == []
    assert t.head() == head
    assert t.balance("bank:CHF").amounts["CHF"] == money("15.00", "CHF")
    with t.engine.connect() as conn:
        assert _stored(conn) == (1500, head.seq)
        assert _entries(conn) == head.seq
    assert t.verify() == []


def test_a_savepoint_rolled_back_after_its_totals_were_written_restores_them(
    books: Books,
) -> None:
    t = books.tracker
    store = Store(t.engine, "CHF")
    try:
        with store.unit_of_work(writes=True) as uow:
            start = uow.head()[0]
            uow.post([_entry(100)])

            def undone() -> None:
                with uow.savepoint():
                    with uow.savepoint():
                        uow.post([_entry(7)])  # kept by the inner savepoint, not the outer
                    uow.post([_entry(250)])
                    uow.flush()
                    assert _stored(uow.conn) == (357, start + 3)
                    raise RuntimeError("undo")

            with pytest.raises(RuntimeError, match="undo"):
                undone()
            assert uow.head()[0] == start + 1
            assert uow.balances.of("bank:CHF") == [("CHF", 100, 100)]
            assert _stored(uow.conn) == (100, start + 1)
            uow.post([_entry(1000)])
    finally:
        store.close()
    with t.engine.connect() as conn:
        assert _stored(conn) == (1100, start + 2)
        assert _entries(conn) == start + 2
    assert t.balance("bank:CHF").amounts["CHF"] == money("11.00", "CHF")
    assert t.verify() == []


def test_a_running_total_past_64_bits_refuses_one_use_case_not_the_transaction(
    books: Books,
) -> None:
    t = books.tracker
    half = money(str(2**62), "JPY")
    rate = ExchangeRate(from_currency="JPY", to_currency="CHF", rate=Decimal("0.0000001"),
                        effective=dt.date(2024, 1, 1))  # fmt: skip
    with t.transaction() as tx:
        first = tx.confirm(
            tx.create_pledge(books.pid, "WSIS2024", amount=half, signed_on=SIGNED), rate=rate
        )
        second = tx.create_pledge(books.pid, "WSIS2024", amount=half, signed_on=SIGNED)
        with pytest.raises(InvalidAmount, match="running total"):
            tx.confirm(second, rate=rate)  # 2**63 minor units on the receivable: one too many
        tx.post_entries([_entry(500)])
    assert first.id is not None
    assert t.pledge(first.id).status.value == "confirmed"
    assert t.pledge(second).status.value == "draft"
    receivable = t.balance(f"receivable:{books.pid}").amounts["JPY"]
    assert receivable == half
    assert t.balance("bank:CHF").amounts["CHF"] == money("5.00", "CHF")
    assert t.verify() == []


def test_many_use_cases_in_one_transaction_leave_totals_that_verify(books: Books) -> None:
    t = books.tracker
    with t.transaction() as tx:
        for i in range(1, 201):
            tx.record_payment(
                books.pid, money(Decimal(i), "CHF"), received_on=dt.date(2024, 2, 1),
                reference=f"P-{i}", idempotency_key=f"p-{i}",
            )  # fmt: skip
    total = sum((Decimal(i) for i in range(1, 201)), Decimal(0))  # 20,100.00
    assert t.balance("bank:CHF").amounts["CHF"] == money(total, "CHF")
    assert t.verify() == []
