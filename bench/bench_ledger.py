"""Ledger benchmarks: library time against a raw-driver floor measured in the same run.

    .venv/bin/python -m bench --only ledger [--quick]      (or: python -m bench.bench_ledger)

Runs on SQLite and on PostgreSQL (WSIS_TEST_PG_URL, an admin URL: throw-away databases are
created on it and dropped afterwards). Every figure is a time ratio, lower is better:

- bulk: posting N journal entries with Tracker.post_entries vs raw executemany of the same
  rows, hashes precomputed (target <= 2);
- payment: record_payment, one per transaction, vs hand-written raw SQL issuing the same
  statements (bench/bench_ledger_raw.py; target <= 2), on books whose chain holds invoices;
- balance: Tracker.balance of one account vs the raw indexed SUM over its postings,
  with 1,000,000 postings in the journal (target <= 1.5);
- balance flatness: Tracker.balance time at 1,000,000 postings / at 10,000 (target <= 1.5).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from tests.databases import database, libpq

from bench.bench_ledger_raw import raw_payments
from bench.report import Figure
from wsis_funding.examples import example_issuer
from wsis_funding.ledger.chain import canonical_refs, entry_hash
from wsis_funding.ledger.entries import posting_key
from wsis_funding.ledger.model import (
    Address,
    Edition,
    Entry,
    Language,
    Partner,
    Posting,
    StakeholderType,
)
from wsis_funding.money import EXPONENTS, money
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.tiers import illustrative_schedule_toml

DAY = dt.date(2024, 3, 1)
DOCUMENTS = 5


@contextmanager
def fresh_url(engine: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Yield a new database URL and a function returning a raw DB-API connection to it."""
    with database(engine) as url:
        if engine == "sqlite":
            import sqlite3

            path = url.removeprefix("sqlite:///")

            def raw_sqlite() -> Any:
                conn = sqlite3.connect(path, isolation_level=None)
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA synchronous=NORMAL")
                return conn

            yield url, raw_sqlite
        else:
            import psycopg

            yield url, lambda: psycopg.connect(libpq(url))


def setup_books(t: Tracker) -> int:
    """Add one partner and one edition; return the partner id."""
    toml = illustrative_schedule_toml()
    partner = t.add_partner(
        Partner(
            legal_name="Bench SA", short_name="BENCH", country="CH",
            stakeholder_type=StakeholderType.PRIVATE_SECTOR, language=Language.EN,
            billing_address=Address(street="Rue", building_number="1", postcode="1211",
                                    town="Geneve", country="CH"),
        )
    )  # fmt: skip
    t.add_edition(
        Edition(
            code="WSIS2024", title="Bench", start=DAY, end=DAY, base_currency="CHF",
            schedule_toml=toml, psc_rate=Decimal("0.07"), invoice_prefix="WSIS",
        )
    )  # fmt: skip
    assert partner.id is not None
    return partner.id


def make_entries(n: int, partner_id: int, other_accounts: int = 50) -> list[Entry]:
    """N two-line entries; every tenth one touches the measured account (CHF bank charges).

    The others move the bank account of one of ``other_accounts`` currencies against PSC
    income in that currency: manual entries may touch only accounts no subledger controls.
    ``partner_id`` is kept for callers; the measured account is no partner's.
    """
    out = []
    for i in range(n):
        code = "CHF" if i % 10 == 0 else _CODES[i % other_accounts]
        debit = MEASURED if i % 10 == 0 else f"bank:{code}"
        out.append(
            Entry(
                entry_date=DAY, kind="bench", memo=f"bench {i}",
                postings=(
                    Posting(account=debit, currency=code, amount_minor=100 + i,
                            base_minor=100 + i),
                    Posting(account="psc_income", currency=code, amount_minor=-100 - i,
                            base_minor=-100 - i),
                ),
            )
        )  # fmt: skip
    return out


MEASURED = "bank_charges"
"""The account whose balance is measured: one posting in ten is on it."""
_CODES = sorted(c for c, e in EXPONENTS.items() if e == 2)[:100]  # bank:<code>, each its own


def raw_rows(
    entries: list[Entry], ids: dict[str, int], first: int, prev: str
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows the library writes for ``entries`` (hashes included), for the raw floor."""
    e_rows, p_rows = [], []
    for seq, e in enumerate(entries, start=first):
        refs = canonical_refs(e.references)
        h = entry_hash(seq, prev, e.entry_date, e.kind, e.memo, refs, map(posting_key, e.postings))
        e_rows.append((seq, e.entry_date.isoformat(), e.kind, e.memo, refs, prev, h))
        for n, p in enumerate(e.postings, start=1):
            p_rows.append((seq, n, ids[p.account], p.currency, p.amount_minor, p.base_minor,
                           None, None, None, None, e.entry_date.isoformat()))  # fmt: skip
        prev = h
    return e_rows, p_rows


def _ph(engine: str, n: int) -> str:
    return ", ".join(["?" if engine == "sqlite" else "%s"] * n)


def bench_bulk(engine: str, n: int) -> dict[str, float]:
    """Library post_entries vs raw executemany of the same rows into an identical schema."""
    with fresh_url(engine) as (url, _), fresh_url(engine) as (raw_url, raw_connect):
        with open_tracker(url) as t:
            pid = setup_books(t)
            entries = make_entries(n, pid)
            start = time.perf_counter()
            t.post_entries(entries)
            lib = time.perf_counter() - start
            with t.engine.connect() as c:
                ids: dict[str, int] = dict(c.exec_driver_sql("SELECT code, id FROM accounts").all())
        with open_tracker(raw_url) as t2:  # same schema and accounts, empty journal
            setup_books(t2)
            warm = t2.post_entries(make_entries(100, pid))  # creates the same accounts
            assert warm[-1].seq is not None
            assert warm[-1].hash is not None
            first, prev = warm[-1].seq + 1, warm[-1].hash
        e_rows, p_rows = raw_rows(entries, ids, first, prev)
        conn = raw_connect()
        start = time.perf_counter()
        cur = conn.cursor()
        if engine == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        cur.executemany(f"INSERT INTO journal_entries (seq, entry_date, kind, memo, refs, "
                        f"prev_hash, hash) VALUES ({_ph(engine, 7)})", e_rows)  # fmt: skip
        cur.executemany(
            "INSERT INTO journal_postings (entry_seq, line_no, account_id, currency, amount_minor,"
            " base_minor, rate, rate_date, rate_source, pledge_id, entry_date) "
            f"VALUES ({_ph(engine, 11)})", p_rows,
        )  # fmt: skip
        cur.execute("COMMIT") if engine == "sqlite" else conn.commit()
        raw = time.perf_counter() - start
        conn.close()
    return {"entries": n, "library_s": lib, "raw_s": raw, "ratio": lib / raw}


def add_documents(t: Tracker, n: int) -> None:
    """Issue ``n`` invoices to another partner: documents sealed in the chain, on pledges the
    measured payments do not settle."""
    other = t.add_partner(
        Partner(
            legal_name="Documents SA", short_name="DOCS", country="CH",
            stakeholder_type=StakeholderType.PRIVATE_SECTOR, language=Language.EN,
            billing_address=Address(street="Rue", building_number="2", postcode="1211",
                                    town="Geneve", country="CH"),
        )
    )  # fmt: skip
    assert other.id is not None
    for _ in range(n):
        pledge = t.create_pledge(other.id, "WSIS2024", amount=money("1000", "CHF"), signed_on=DAY)
        t.issue_invoice(t.confirm(pledge), DAY, due_on=DAY)


def bench_payments(engine: str, n: int) -> dict[str, float]:
    """record_payment, one per transaction, vs raw SQL doing the same statements.

    Both books hold invoices (documents sealed in the hash chain) of another partner.
    """
    results = {}
    with fresh_url(engine) as (url, _), open_tracker(url, issuer=example_issuer()) as t:
        pid = setup_books(t)
        add_documents(t, DOCUMENTS)
        pledge = t.create_pledge(pid, "WSIS2024", amount=money("100000000", "CHF"), signed_on=DAY)
        t.confirm(pledge)
        t.record_payment(pid, money("1", "CHF"), received_on=DAY, reference="warm-up")
        start = time.perf_counter()
        for i in range(n):
            t.record_payment(
                pid,
                money("10.00", "CHF"),
                received_on=DAY,
                reference=f"REF{i}",
                idempotency_key=f"key-{i}",
            )
        results["library_s"] = time.perf_counter() - start
        assert t.verify() == []
    with fresh_url(engine) as (url, raw_connect):
        with open_tracker(url, issuer=example_issuer()) as t:
            pid = setup_books(t)
            add_documents(t, DOCUMENTS)
            pledge = t.create_pledge(
                pid, "WSIS2024", amount=money("100000000", "CHF"), signed_on=DAY
            )
            t.confirm(pledge)
            t.record_payment(pid, money("1", "CHF"), received_on=DAY, reference="warm-up")
        conn = raw_connect()
        start = time.perf_counter()
        raw_payments(conn, engine, pid, n)
        results["raw_s"] = time.perf_counter() - start
        conn.close()
        with open_tracker(url) as t:
            problems = t.verify()
            assert problems == [], problems[:3]
    return {"payments": n, **results, "ratio": results["library_s"] / results["raw_s"]}


@contextmanager
def psycopg_autocommit(connect: Callable[[], Any]) -> Iterator[Any]:
    """Yield a raw PostgreSQL connection in autocommit mode (for VACUUM), closed afterwards."""
    conn = connect()
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def bench_balance(engine: str, sizes: list[int]) -> dict[int, dict[str, float]]:
    """Tracker.balance of one partner account vs the raw indexed SUM, as the journal grows."""
    out: dict[int, dict[str, float]] = {}
    with fresh_url(engine) as (url, raw_connect), open_tracker(url) as t:
        pid = setup_books(t)
        account = MEASURED
        posted = 0
        conn = raw_connect()
        for size in sizes:
            while posted < size:
                chunk = min(50_000, (size - posted) // 2)
                t.post_entries(make_entries(chunk, pid))
                posted += 2 * chunk
            if engine == "postgresql":
                # Fresh statistics and visibility map, as autovacuum would eventually give:
                # the floor's SUM can then be an index-only scan. Helps both sides.
                with psycopg_autocommit(raw_connect) as admin:
                    admin.execute("VACUUM ANALYZE")
            with t.engine.connect() as lookup:
                account_id = lookup.exec_driver_sql(
                    "SELECT id FROM accounts WHERE code = " + _ph(engine, 1), (account,)
                ).scalar()
            sql = ("SELECT currency, SUM(amount_minor), SUM(base_minor) FROM journal_postings "
                   f"WHERE account_id = {_ph(engine, 1)} GROUP BY currency")  # fmt: skip

            def raw(account_id: Any = account_id, sql: str = sql) -> Any:
                cur = conn.cursor()
                cur.execute(sql, (account_id,))
                rows = cur.fetchall()
                if engine != "sqlite":
                    conn.rollback()
                return rows

            assert t.balance(account).base.amount * 100 == sum(r[2] for r in raw())
            lib = _best(lambda: t.balance(account))
            floor = _best(raw)
            out[size] = {"library_ms": lib * 1e3, "raw_sum_ms": floor * 1e3,
                         "ratio": lib / floor}  # fmt: skip
        conn.close()
    return out


def _best(fn: Callable[[], Any], repeat: int = 15, number: int = 20) -> float:  # float-ok: s
    """The best mean time of ``number`` calls over ``repeat`` rounds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def engines() -> list[str]:
    """SQLite, and PostgreSQL (required: the targets hold on both engines)."""
    if not os.environ.get("WSIS_TEST_PG_URL"):
        raise SystemExit(
            "WSIS_TEST_PG_URL is not set: start PostgreSQL with scripts/postgres-up and export "
            "the URL it prints (make bench does both)"
        )
    return ["sqlite", "postgresql"]


def run(quick: bool = False) -> list[Figure]:
    """Run the ledger benchmarks on both engines; return one figure per target and engine."""
    bulk_n = 10_000 if quick else 100_000
    pay_n = 200 if quick else 1_000
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    figures: list[Figure] = []
    for engine in engines():
        bulk = bench_bulk(engine, bulk_n)
        figures.append(
            Figure(
                suite="ledger",
                name=f"{engine}: bulk post_entries vs raw executemany",
                ratio=bulk["ratio"],
                target=2.0,
                detail=f"{bulk_n} entries ({2 * bulk_n} postings) in one transaction: library "
                f"{bulk['library_s']:.2f} s, raw executemany of the same rows with "
                f"precomputed hashes {bulk['raw_s']:.2f} s",
            )
        )
        pay = bench_payments(engine, pay_n)
        figures.append(
            Figure(
                suite="ledger",
                name=f"{engine}: record_payment vs raw SQL, one per transaction",
                ratio=pay["ratio"],
                target=2.0,
                detail=f"{pay_n} payments: library {pay['library_s'] / pay_n * 1e3:.3f} ms, "
                f"raw SQL of the same statements {pay['raw_s'] / pay_n * 1e3:.3f} ms each",
            )
        )
        bal = bench_balance(engine, sizes)
        small, big = bal[sizes[0]], bal[sizes[-1]]
        figures.append(
            Figure(
                suite="ledger",
                name=f"{engine}: balance at {sizes[-1]:,} postings vs raw indexed SUM",
                ratio=big["ratio"],
                target=1.5,
                detail=f"the CHF bank charges account ({sizes[-1] // 20:,} of its postings): "
                f"library {big['library_ms']:.3f} ms, raw SUM {big['raw_sum_ms']:.3f} ms; "
                + ", ".join(
                    f"at {n:,}: {v['library_ms']:.3f} vs {v['raw_sum_ms']:.3f} ms"
                    for n, v in bal.items()
                ),
            )
        )
        figures.append(
            Figure(
                suite="ledger",
                name=f"{engine}: balance flatness, {sizes[-1]:,} vs {sizes[0]:,} postings",
                ratio=big["library_ms"] / small["library_ms"],
                target=1.5,
                detail=f"library balance time at {sizes[-1]:,} postings / at {sizes[0]:,}: "
                f"{big['library_ms']:.3f} ms / {small['library_ms']:.3f} ms",
            )
        )
    return figures


if __name__ == "__main__":
    import sys

    for figure in run(quick="--quick" in sys.argv[1:]):
        print(figure.line(), "|", figure.detail, flush=True)
