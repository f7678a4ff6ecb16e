"""kill -9 during a batch leaves sound books, and a rerun with the same keys completes it exactly.

A process records a batch of keyed payments (each payment's entry sealing it in the hash
chain) on books whose invoices are sealed too; it is killed with SIGKILL part-way. The books
then verify; running the whole batch again records each payment once, never twice.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time

from sqlalchemy import text

from tests.factories import DUE, ISSUED, Books, example_issuer
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.storage.engine import make_engine

BATCH = 1000
AMOUNT = "100.00"  # the batch pays the pledge of CHF 100,000 exactly


def _run_batch(url: str) -> None:
    with open_tracker(url) as tracker:
        for i in range(BATCH):
            tracker.record_payment(
                1, money(AMOUNT, "CHF"), received_on=dt.date(2024, 3, 5),
                reference=f"batch line {i}", idempotency_key=f"batch-{i}",
            )  # fmt: skip


def _payments(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM payments")).scalar_one())
    finally:
        engine.dispose()


def test_a_batch_killed_part_way_leaves_sound_books_and_reruns_exactly(db_url: str) -> None:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        pledge = books.confirmed_pledge("100000", parts=4)
        for instalment in pledge.instalments:
            tracker.issue_invoice(instalment, ISSUED, due_on=DUE)
    worker = multiprocessing.get_context("spawn").Process(target=_run_batch, args=(db_url,))
    worker.start()
    deadline = time.monotonic() + 120
    while _payments(db_url) < 20 and time.monotonic() < deadline and worker.is_alive():
        time.sleep(0.01)
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()
    assert worker.exitcode == -signal.SIGKILL
    done = _payments(db_url)
    assert 20 <= done < BATCH
    with open_tracker(db_url) as tracker:
        assert tracker.verify() == []
    _run_batch(db_url)
    with open_tracker(db_url) as tracker:
        assert _payments(db_url) == BATCH
        paid = tracker.pledge(pledge.id)
        assert paid.settled == money("100000", "CHF")
        assert paid.status.value == "fulfilled"
        assert tracker.verify() == []
