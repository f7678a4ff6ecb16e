"""Payments that quote an invoice: library time against a raw-SQL floor in the same run.

    .venv/bin/python -m bench --only payments [--quick]

Two figures per engine, each a ratio (lower is better, target <= 2 like every payment):

- invoice-directed: ``record_payment(..., invoice=RF)`` of a CHF invoice, one per transaction;
- cross-currency: a CHF payment of a USD invoice stating the USD amount it settles (the bank's
  instructed amount), one per transaction: conversion postings, the realised exchange
  difference and PSC valued at the value-date rate.

Books with N issued invoices are built once through the library and copied, so the library
and the floor pay the same invoices from the same state. The floor (bench/bench_invoice_raw.py)
issues the statements the use case needs by hand: the partner, the idempotency key, the
invoice by its reference, what it covers and is still open on it, the rate, the hash-chained
entry with its postings and running totals, the payment, its settlement, the instalment and
the pledge. Both runs must leave the same account totals, and books that verify.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from tests.databases import database, libpq, pg_admin_url

from bench.bench_invoice_raw import Invoice, raw_invoice_payments
from bench.bench_ledger import engines, setup_books
from bench.report import Figure
from wsis_funding.examples import example_issuer
from wsis_funding.money import ExchangeRate, money
from wsis_funding.services import open_tracker

SIGNED = dt.date(2024, 1, 15)
ISSUED = dt.date(2024, 2, 1)
PAID = dt.date(2024, 3, 1)
RATES = (
    ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.90"),
                 effective=dt.date(2024, 1, 1), source="bench"),
    ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.88"),
                 effective=dt.date(2024, 3, 1), source="bench"),
)  # fmt: skip


def build(url: str, n: int, currency: str) -> tuple[int, list[Invoice]]:
    """Books with ``n + 1`` invoices of 100.00 in ``currency``, the first one paid (warm-up)."""
    with open_tracker(url, issuer=example_issuer()) as t:
        pid = setup_books(t)
        t.add_rates(RATES)
        invoices = []
        with t.transaction() as tx:
            for _ in range(n + 1):
                amount = money("100.00", currency)
                pledge = tx.confirm(
                    tx.create_pledge(pid, "WSIS2024", amount=amount, signed_on=SIGNED)
                )
                doc = tx.issue_invoice(pledge, ISSUED, due_on=PAID)
                assert doc.payment_reference is not None
                invoices.append(Invoice(doc.id, doc.payment_reference, pledge.id))
        _pay(t, pid, invoices[0], currency, "warm-up")
        return pid, invoices[1:]


def _pay(t: Any, pid: int, invoice: Invoice, currency: str, key: str) -> None:
    if currency == "CHF":
        t.record_payment(pid, money("100.00", "CHF"), received_on=PAID, reference=key,
                         idempotency_key=key, invoice=invoice.reference)  # fmt: skip
    else:
        t.record_payment(pid, money("88.00", "CHF"), received_on=PAID, reference=key,
                         idempotency_key=key, invoice=invoice.reference,
                         settles=money("100.00", "USD"))  # fmt: skip


@contextmanager
def copy_of(engine: str, url: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Yield a copy of the books at ``url`` and a raw DB-API connector to the copy."""
    if engine == "sqlite":
        import sqlite3

        path = url.removeprefix("sqlite:///")
        target = f"{path}.{uuid.uuid4().hex[:8]}"
        for suffix in ("", "-wal", "-shm"):  # the write-ahead log holds the latest pages
            if os.path.exists(path + suffix):
                shutil.copyfile(path + suffix, target + suffix)

        def connect_sqlite() -> Any:
            conn = sqlite3.connect(target, isolation_level=None)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn

        try:
            yield f"sqlite:///{target}", connect_sqlite
        finally:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(target + suffix):
                    os.remove(target + suffix)
        return
    import psycopg

    admin = pg_admin_url()
    source, name = url.rpartition("/")[2], f"wsis_b_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    copy = f"{url.rpartition('/')[0]}/{name}"
    try:
        yield copy, lambda: psycopg.connect(libpq(copy))
    finally:
        with psycopg.connect(libpq(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _totals(url: str) -> list[tuple[Any, ...]]:
    with open_tracker(url, create=False) as t:
        assert t.verify() == []
        with t.engine.connect() as conn:
            from sqlalchemy import text

            rows = conn.execute(
                text(
                    "SELECT a.code, t.currency, t.amount_minor, t.base_minor FROM account_totals "
                    "t JOIN accounts a ON a.id = t.account_id ORDER BY 1, 2"
                )
            ).all()
    return [tuple(r) for r in rows]


def bench(engine: str, n: int, currency: str) -> dict[str, float]:
    """Library and floor paying the same ``n`` invoices from copies of the same books."""
    with database(engine) as url:
        pid, invoices = build(url, n, currency)
        with copy_of(engine, url) as (lib_url, _):
            with open_tracker(lib_url, issuer=example_issuer()) as t:
                start = time.perf_counter()
                for i, invoice in enumerate(invoices):
                    _pay(t, pid, invoice, currency, f"key-{i}")
                lib = time.perf_counter() - start
            lib_totals = _totals(lib_url)
        with copy_of(engine, url) as (raw_url, connect):
            conn = connect()
            start = time.perf_counter()
            raw_invoice_payments(conn, engine, pid, invoices, cross=currency != "CHF")
            raw = time.perf_counter() - start
            conn.close()
            assert _totals(raw_url) == lib_totals, "the floor must do the same work"
    return {"library_s": lib, "raw_s": raw, "ratio": lib / raw}


def run(quick: bool = False) -> list[Figure]:
    """Run both payment kinds on both engines; one figure each."""
    n = 100 if quick else 400
    figures = []
    for engine in engines():
        for currency, what in (("CHF", "invoice-directed"), ("USD", "cross-currency")):
            r = bench(engine, n, currency)
            figures.append(
                Figure(
                    suite="payments",
                    name=f"{engine}: {what} record_payment vs raw SQL, one per transaction",
                    ratio=r["ratio"],
                    target=2.0,
                    detail=f"{n} payments quoting the RF reference of a {currency} invoice"
                    + (" in CHF, stating the USD amount settled" if currency == "USD" else "")
                    + f": library {r['library_s'] / n * 1e3:.3f} ms, raw SQL of the same "
                    f"statements {r['raw_s'] / n * 1e3:.3f} ms each",
                )
            )
    return figures


if __name__ == "__main__":
    import sys

    for figure in run(quick="--quick" in sys.argv[1:]):
        print(figure.line(), "|", figure.detail, flush=True)
