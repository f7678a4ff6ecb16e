"""Gapless numbering under load: 8 processes issuing 50 invoices each, on both engines."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import select

from tests.factories import DUE, ISSUED, Books
from wsis_funding.examples import example_issuer
from wsis_funding.services import open_tracker
from wsis_funding.storage.tables import documents

PROCESSES = 8
INVOICES = 50


def _issue_all(url: str, pledge_id: int) -> list[str]:
    with open_tracker(url, issuer=example_issuer()) as tracker:
        pledge = tracker.pledge(pledge_id)
        return [tracker.issue_invoice(i, ISSUED, due_on=DUE).number for i in pledge.instalments]


def test_eight_processes_get_400_distinct_consecutive_numbers(db_url: str) -> None:
    """Every invoice gets a number; together they are exactly 0001..0400, no gap, no repeat."""
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        pledges = [books.confirmed_pledge("50000", parts=INVOICES).id for _ in range(PROCESSES)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        results = pool.starmap(_issue_all, [(db_url, p) for p in pledges])
    issued = [n for r in results for n in r]
    expected = [f"WSIS-2024-{i:04d}" for i in range(1, PROCESSES * INVOICES + 1)]
    assert sorted(issued) == expected
    with open_tracker(db_url) as tracker, tracker.engine.connect() as conn:
        rows = conn.execute(select(documents.c.number, documents.c.seq)).all()
        assert sorted(r.number for r in rows) == expected
        assert sorted(r.seq for r in rows) == list(range(1, PROCESSES * INVOICES + 1))
        assert tracker.verify() == []
