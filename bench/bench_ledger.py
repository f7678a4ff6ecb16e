"""Ledger benchmarks: library throughput against a raw-driver floor measured in the same run.

    .venv/bin/python bench/bench_ledger.py [--quick] [--engine sqlite|postgresql|both]

PostgreSQL needs WSIS_TEST_PG_URL (an admin URL; throw-away databases are created on it).
Prints ratios library_time / raw_time (lower is better) and returns a dict of figures:

- bulk: posting N journal entries with Tracker.post_entries vs raw executemany of the same
  rows (target ratio <= 2);
- payment: record_payment, one per transaction, vs hand-written raw SQL of the same statements
  (target ratio <= 2);
- balance: Tracker.balance of one partner account vs the raw indexed SUM query, as the journal
  grows (target ratio <= 1.5 and flat).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import resources
from typing import Any

from wsis_funding.ledger.chain import canonical_refs, entry_hash
from wsis_funding.ledger.journal import posting_key
from wsis_funding.ledger.model import (
    Address,
    Edition,
    Entry,
    Language,
    Partner,
    Posting,
    StakeholderType,
)
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker

DAY = dt.date(2024, 3, 1)


@contextmanager
def fresh_url(engine: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Yield a new database URL and a function returning a raw DB-API connection to it."""
    if engine == "sqlite":
        import sqlite3

        folder = tempfile.mkdtemp()
        path = f"{folder}/bench.db"

        def raw_sqlite() -> Any:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn

        try:
            yield f"sqlite:///{path}", raw_sqlite
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    admin = os.environ["WSIS_TEST_PG_URL"].replace("+psycopg", "")
    name = f"wsis_b_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    dsn = f"{admin.rpartition('/')[0]}/{name}"
    try:
        yield dsn.replace("postgresql://", "postgresql+psycopg://"), lambda: psycopg.connect(dsn)
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_books(t: Tracker) -> int:
    """Add one partner and one edition; return the partner id."""
    toml = (
        resources.files("wsis_funding.tiers")
        .joinpath("schedules", "illustrative.toml")
        .read_text(encoding="utf-8")
    )
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
    """N two-line CHF entries; every tenth one touches the measured partner's receivable."""
    out = []
    for i in range(n):
        debit = f"receivable:{partner_id}" if i % 10 == 0 else f"bank:{_CODES[i % other_accounts]}"
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


_CODES = [f"X{i:02d}" for i in range(100)]  # distinct bank:<code> accounts, cheap to create


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


def bench_payments(engine: str, n: int) -> dict[str, float]:
    """record_payment, one per transaction, vs raw SQL doing the same statements."""
    from bench_ledger_raw import raw_payments  # type: ignore[import-not-found]

    results = {}
    with fresh_url(engine) as (url, _), open_tracker(url) as t:
        pid = setup_books(t)
        pledge = t.create_pledge(pid, "WSIS2024", money("100000000", "CHF"), DAY)
        t.confirm(pledge)
        t.record_payment(pid, money("1", "CHF"), DAY, "warm-up")
        start = time.perf_counter()
        for i in range(n):
            t.record_payment(pid, money("10.00", "CHF"), DAY, f"REF{i}", f"key-{i}")
        results["library_s"] = time.perf_counter() - start
        assert t.verify() == []
    with fresh_url(engine) as (url, raw_connect):
        with open_tracker(url) as t:
            pid = setup_books(t)
            pledge = t.create_pledge(pid, "WSIS2024", money("100000000", "CHF"), DAY)
            t.confirm(pledge)
            t.record_payment(pid, money("1", "CHF"), DAY, "warm-up")
        conn = raw_connect()
        start = time.perf_counter()
        raw_payments(conn, engine, pid, n)
        results["raw_s"] = time.perf_counter() - start
        conn.close()
        with open_tracker(url) as t:
            problems = t.verify()
            assert problems == [], problems[:3]
    return {"payments": n, **results, "ratio": results["library_s"] / results["raw_s"]}


def bench_balance(engine: str, sizes: list[int]) -> dict[str, Any]:
    """Tracker.balance of one partner account vs the raw indexed SUM, as the journal grows."""
    out: dict[str, Any] = {}
    with fresh_url(engine) as (url, raw_connect), open_tracker(url) as t:
        pid = setup_books(t)
        account = f"receivable:{pid}"
        posted = 0
        conn = raw_connect()
        with t.engine.connect():
            pass
        for size in sizes:
            while posted < size:
                chunk = min(50_000, (size - posted) // 2)
                t.post_entries(make_entries(chunk, pid))
                posted += 2 * chunk
            account_id = t.engine.connect().exec_driver_sql(
                f"SELECT id FROM accounts WHERE code = '{account}'").scalar()  # fmt: skip
            sql = ("SELECT currency, SUM(amount_minor), SUM(base_minor) FROM journal_postings "
                   f"WHERE account_id = {_ph(engine, 1)} GROUP BY currency")  # fmt: skip

            def raw(account_id: Any = account_id, sql: str = sql) -> Any:
                cur = conn.cursor()
                cur.execute(sql, (account_id,))
                rows = cur.fetchall()
                if engine != "sqlite":
                    conn.rollback()
                return rows

            lib = _best(lambda: t.balance(account))
            floor = _best(raw)
            out[str(size)] = {"library_ms": lib * 1e3, "raw_sum_ms": floor * 1e3,
                              "ratio": lib / floor}  # fmt: skip
        conn.close()
    return out


def _best(fn: Callable[[], Any], repeat: int = 7, number: int = 20) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times) if times else statistics.mean(times)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmarks, print the figures and return them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    bulk_n = 10_000 if args.quick else 100_000
    pay_n = 200 if args.quick else 1_000
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    figures: dict[str, Any] = {}
    for engine in engines:
        f = figures[engine] = {}
        f["bulk"] = bench_bulk(engine, bulk_n)
        print(f"[{engine}] bulk {bulk_n} entries: {f['bulk']}", flush=True)
        f["payment"] = bench_payments(engine, pay_n)
        print(f"[{engine}] {pay_n} payments: {f['payment']}", flush=True)
        f["balance"] = bench_balance(engine, sizes)
        print(f"[{engine}] balance: {f['balance']}", flush=True)
    return figures


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
