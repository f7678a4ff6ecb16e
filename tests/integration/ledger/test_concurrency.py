"""Concurrent writers on PostgreSQL lose nothing and never fork the hash chain."""

from __future__ import annotations

import datetime as dt
import multiprocessing

from sqlalchemy import text

from tests.factories import SIGNED, Books
from wsis_funding.money import from_minor, money
from wsis_funding.services import open_tracker

PROCESSES = 4
PAYMENTS = 25


def _pay_many(url: str, partner_id: int, worker: int) -> int:
    total = 0
    with open_tracker(url) as t:
        for i in range(PAYMENTS):
            minor = 10_000 + worker * 100 + i
            t.record_payment(
                partner_id, from_minor(minor, "CHF"), received_on=dt.date(2024, 3, 1),
                reference=f"W{worker}-{i}", idempotency_key=f"w{worker}-p{i}",
            )  # fmt: skip
            total += minor
    return total


def test_concurrent_payments_for_one_partner_lose_nothing(pg_url: str) -> None:
    with open_tracker(pg_url) as t:
        books = Books(t)
        pledge = t.create_pledge(
            books.pid, "WSIS2024", amount=money("1000000", "CHF"), signed_on=SIGNED
        )
        t.confirm(pledge)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        totals = pool.starmap(_pay_many, [(pg_url, books.pid, w) for w in range(PROCESSES)])
    paid = sum(totals)
    with open_tracker(pg_url) as t:
        assert t.verify() == []
        assert t.balance("bank:CHF").amounts == {"CHF": from_minor(paid, "CHF")}
        assert t.balance(f"receivable:{books.pid}").amounts == {
            "CHF": money("1000000", "CHF") - from_minor(paid, "CHF")
        }
        assert t.pledge(pledge).settled == from_minor(paid, "CHF")
        with t.engine.connect() as conn:
            seqs = conn.execute(text("SELECT seq FROM journal_entries ORDER BY seq")).scalars()
            assert list(seqs) == list(range(1, 2 + PROCESSES * PAYMENTS))
            count = conn.execute(text("SELECT COUNT(*) FROM payments")).scalar()
            assert count == PROCESSES * PAYMENTS
