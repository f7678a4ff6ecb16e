"""Verification benchmarks: verify() against reading and hashing every row, and from a head.

    .venv/bin/python -m bench --only verify [--quick]     (or: python -m bench.bench_verify)

On SQLite and PostgreSQL (WSIS_TEST_PG_URL). The books: a season (a pledge, invoices sealed in
the chain, a thousand keyed payments with their seals) topped up to 1,000,000 journal entries
by bulk posting in batches of 100,000. They are built once per run and engine (the SQLite
file in a temporary folder, the PostgreSQL database beside the admin URL) and used by both
figures. Time ratios, lower is better:

- full: ``verify()`` against a floor measured in the same run: reading every row of the
  tables verify reads, on the raw driver cursor, and hashing each with sha256 (target <= 2);
- incremental: ``verify(expected_head=...)`` after 1,000 entries appended to the book of
  1,000,000, against the same on a book of 10,000 (target <= 2): its cost follows what was
  appended, not the size of the books.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from hashlib import sha256
from typing import Any

from tests.databases import database, libpq

from bench.bench_ledger import engines
from bench.report import Figure
from wsis_funding import open_tracker, split_evenly
from wsis_funding.examples import RATES, example_edition, example_issuer, example_partner
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import money
from wsis_funding.services import Tracker
from wsis_funding.storage.tables import metadata

DAY = dt.date(2024, 3, 1)
SIGNED = dt.date(2024, 1, 15)
CHUNK = 100_000
PAYMENTS = 1_000
INVOICES = 20


def entries(n: int, start: int = 0) -> list[Entry]:
    """N two-line CHF entries between uncontrolled accounts (bank, charges, PSC income)."""
    out = []
    for i in range(start, start + n):
        debit = "bank_charges" if i % 10 == 0 else "bank:CHF"
        out.append(
            Entry(
                entry_date=DAY, kind="bench", memo=f"bench {i}",
                postings=(
                    Posting(account=debit, currency="CHF", amount_minor=100 + i,
                            base_minor=100 + i),
                    Posting(account="psc_income", currency="CHF", amount_minor=-100 - i,
                            base_minor=-100 - i),
                ),
            )
        )  # fmt: skip
    return out


def season(t: Tracker, payments: int, invoices: int) -> None:
    """A partner's pledge, ``invoices`` invoices and ``payments`` keyed payments."""
    t.add_edition(example_edition())
    t.add_rates(RATES)
    partner = t.add_partner(example_partner("BENCH"))
    assert partner.id is not None
    amount = money("100000000", "CHF")
    pledge = t.confirm(
        t.create_pledge(partner.id, "WSIS2024", amount=amount, signed_on=SIGNED,
                        instalments=split_evenly(amount, [DAY] * invoices))
    )  # fmt: skip
    for instalment in pledge.instalments:
        t.issue_invoice(instalment, DAY, due_on=DAY)
    for i in range(payments):
        t.record_payment(
            partner.id, money("10.00", "CHF"), received_on=DAY, reference=f"REF{i}",
            idempotency_key=f"key-{i}",
        )  # fmt: skip


def build(t: Tracker, size: int, payments: int, invoices: int) -> None:
    """Fill the books to ``size`` entries: the season first, then bulk entries."""
    season(t, payments, invoices)
    have = t.head().seq
    while have < size:
        n = min(CHUNK, size - have)
        t.post_entries(entries(n, have))
        have += n


def floor(t: Tracker) -> float:  # float-ok: seconds
    """Read every row of the tables verify reads on the raw cursor, sha256 each; seconds."""
    with t.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        start = time.perf_counter()
        cur = raw.cursor()
        for table in metadata.tables:
            cur.execute(f"SELECT * FROM {table}")  # our own table names
            while rows := cur.fetchmany(20_000):
                for row in rows:
                    sha256(repr(row).encode()).hexdigest()
        took = time.perf_counter() - start
        conn.rollback()
    return took


def timed(fn: Callable[[], Any], repeat: int = 2) -> float:  # float-ok: seconds
    """The best of ``repeat`` timings of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@contextmanager
def books(engine: str, size: int, payments: int, invoices: int) -> Iterator[Tracker]:
    """Yield books of ``size`` entries on ``engine``, built once for this run.

    On PostgreSQL, with fresh statistics and visibility map, as autovacuum would give them
    after a while (the same for every size and for the floor).
    """
    with database(engine) as url, open_tracker(url, issuer=example_issuer()) as t:
        build(t, size, payments, invoices)
        if engine == "postgresql":
            import psycopg

            with psycopg.connect(libpq(url), autocommit=True) as admin:
                admin.execute("VACUUM ANALYZE")
        yield t


def incremental(t: Tracker, appended: int) -> float:  # float-ok: seconds
    """Append ``appended`` entries after exporting the head; time verify from that head."""
    head = t.head()
    t.post_entries(entries(appended, head.seq))

    def check() -> None:
        assert t.verify(expected_head=head) == []

    timed(check, repeat=3)  # warm up: connection, statement caches, pages
    return timed(check, repeat=10)


def run(quick: bool = False) -> list[Figure]:
    """Run the verify benchmarks on both engines; return one figure per target and engine."""
    big, small, appended = (100_000, 10_000, 1_000) if quick else (1_000_000, 10_000, 1_000)
    payments, invoices = (200, 5) if quick else (PAYMENTS, INVOICES)
    figures: list[Figure] = []
    for engine in engines():
        with books(engine, small, payments, invoices) as t:
            small_s = incremental(t, appended)
        with books(engine, big, payments, invoices) as t:
            problems: list[Any] = []

            def full(t: Tracker = t, problems: list[Any] = problems) -> None:
                problems[:] = t.verify()

            floor_s = min(floor(t), floor(t))
            full_s = timed(full)
            floor_s = min(floor_s, floor(t))
            assert problems == [], problems[:3]
            figures.append(
                Figure(
                    suite="verify",
                    name=f"{engine}: verify() on {big:,} entries vs reading and hashing every row",
                    ratio=full_s / floor_s,
                    target=2.0,
                    detail=f"{big:,} entries ({payments} payments, {invoices} invoices sealed): "
                    f"verify {full_s:.2f} s; every row of every table read on the raw cursor "
                    f"and sha256-hashed {floor_s:.2f} s",
                )
            )
            big_s = incremental(t, appended)
        figures.append(
            Figure(
                suite="verify",
                name=f"{engine}: verify from a head after {appended:,} new entries, "
                f"{big:,} vs {small:,}",
                ratio=big_s / small_s,
                target=2.0,
                detail=f"verify(expected_head=...) on {appended:,} entries appended to a book "
                f"of {big:,}: {big_s * 1e3:.1f} ms; to a book of {small:,}: "
                f"{small_s * 1e3:.1f} ms",
            )
        )
    return figures


if __name__ == "__main__":
    import sys

    for figure in run(quick="--quick" in sys.argv[1:]):
        print(figure.line(), "|", figure.detail, flush=True)
