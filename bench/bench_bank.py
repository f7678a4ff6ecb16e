"""Bank statement import: time against a floor of the same work by hand, and memory.

    .venv/bin/python -m bench --only bank [--quick]      (or: python -m bench.bench_bank)

Runs on SQLite and on PostgreSQL (WSIS_TEST_PG_URL, as for the ledger benchmarks). Targets
are reported, not asserted:

- import: ``import_statement`` of a camt.053 of 10,000 credits, each paying one of 10,000
  invoices (100 partners of 100 pledges each, issued by a batch run) by its RF reference,
  against a floor measured in the same run on the same books: an lxml iterparse of the same
  file, plus the same 10,000 ``record_payment`` calls (partner, amount, value date, bank
  reference, idempotency key, the invoice's RF) through the public API in one
  ``tracker.transaction()``. Both run in a transaction that is then rolled back, so each run
  finds the invoices open; best of a few runs. Target: at most 1.5 times the floor, on each
  engine.
- memory: peak RSS of a fresh process importing a ~100 MB camt.053 (generated on disk,
  streaming) into new SQLite books, against 300 MB (ratio = peak / 300 MB, target <= 1).
  Its credits quote no invoice of the books and wait in the queue.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from lxml import etree
from tests.databases import database
from tests.statements import IBAN, EntrySpec, account_statement, entry, tx, write_document

from bench.bench_ledger import setup_books
from bench.report import PEAK_KB, Figure
from wsis_funding.examples import ExampleCredit, camt053, example_issuer, example_partner
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.money import money
from wsis_funding.services import Tracker, Transaction, open_tracker

DAY = dt.date(2024, 3, 1)
PAID = dt.date(2024, 3, 20)


class _Rollback(Exception):
    """Ends a measured transaction without keeping anything."""


PER_PARTNER = 100
"""Pledges (and invoices) per partner: 10,000 invoices are a season of 100 partners."""


def _invoices(t: Tracker, n: int) -> list[tuple[str, str, int]]:
    """Issue ``n`` invoices of 100.00 + i centimes; return (RF reference, amount, partner).

    ``PER_PARTNER`` pledges per partner, issued by a batch run rendering in two processes
    (the invoices' setup, not measured).
    """
    owner: dict[int, int] = {}
    with t.transaction() as tx:
        partner = 0
        for i in range(n):
            if i % PER_PARTNER == 0:
                added = tx.add_partner(example_partner(f"BANK{i // PER_PARTNER:04d}"))
                assert added.id is not None
                partner = added.id
            total = money(Decimal(10000 + i).scaleb(-2), "CHF")
            pledge = tx.create_pledge(partner, "WSIS2024", amount=total, signed_on=DAY,
                                      instalments=split_evenly(total, [DAY]))  # fmt: skip
            assert pledge.id is not None
            owner[pledge.id] = partner
            tx.confirm(pledge)
    summary = t.issue_due_invoices("WSIS2024", DAY, on=DAY, workers=2)
    assert len(summary.issued) == n, summary.failed[:3]
    out = []
    for item in summary.issued:
        assert item.number is not None
        issued = t.document(item.number)
        assert issued.payment_reference is not None
        amount = t.invoice_balance(item.number).open.amount
        out.append((issued.payment_reference, str(amount), owner[issued.pledge_id]))
    return out


def _rolled_back(t: Tracker, work: Callable[[Transaction], object]) -> float:  # float-ok: s
    """Time ``work`` in a transaction, then roll the transaction back."""
    try:
        with t.transaction() as tx:
            start = time.perf_counter()
            work(tx)
            elapsed = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        return elapsed
    raise AssertionError("not rolled back")  # pragma: no cover


def _speed(engine: str, quick: bool) -> Figure:
    n = 1_000 if quick else 10_000
    with database(engine) as url, open_tracker(url, issuer=example_issuer()) as t:
        setup_books(t)
        bills = _invoices(t, n)
        credits = [
            ExampleCredit(amount=money(amount, "CHF"), reference=rf, debtor="Bench SA")
            for rf, amount, _ in bills
        ]
        xml = camt053(IBAN, "CHF", credits, day=PAID, statement_id="BENCH")

        def floor(tx: Transaction) -> None:
            for _, element in etree.iterparse(io.BytesIO(xml), events=("end",)):
                element.clear()
            for i, (rf, amount, partner) in enumerate(bills, start=1):
                tx.record_payment(
                    partner, money(amount, "CHF"), received_on=PAID,
                    reference=f"BENCH-{i:06d}", idempotency_key=f"bench-{i}", invoice=rf,
                )  # fmt: skip

        def library(tx: Transaction) -> None:
            result = tx.import_statement(xml)
            assert result.matched_by("reference").count == n, result

        times: dict[str, float] = {"floor": float("inf"), "library": float("inf")}  # float-ok
        for _ in range(2 if quick else 1):
            times["floor"] = min(times["floor"], _rolled_back(t, floor))
            times["library"] = min(times["library"], _rolled_back(t, library))
    ratio = times["library"] / times["floor"]
    return Figure(
        suite="bank",
        name=f"{engine}: import {n:,} credits matched by RF vs iterparse + record_payment",
        ratio=ratio,
        target=1.5,
        detail=f"{len(xml) / 2**20:.1f} MB; import {times['library']:.2f} s "
        f"({times['library'] / n * 1e3:.2f} ms/credit), floor {times['floor']:.2f} s "
        f"({times['floor'] / n * 1e3:.2f} ms/credit), one transaction each",
    )


_CHILD = (
    PEAK_KB
    + """
import resource, sys, time
from pathlib import Path
from wsis_funding.examples import example_issuer
from wsis_funding.services import open_tracker
before = peak_kb()
start = time.perf_counter()
with open_tracker(sys.argv[2], issuer=example_issuer()) as books:
    result = books.import_statement(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
peak = peak_kb()
print(result.queued.count, before, peak, elapsed)
"""
)


def _entries(count: int) -> Iterator[EntrySpec]:
    """Entries holding ``count`` credits: two single credits, then a batch of three."""
    for i in itertools.count():
        if 5 * i >= count:
            return
        yield entry(
            "1250.00", servicer_ref=f"ASR-{i}-1",
            details=tx(end_to_end=f"E2E-{i}", scor="RF18539007547034",
                       debtor="Ministry of Digital Affairs", debtor_iban="DE89370400440532013000",
                       ustrd=[f"WSIS Forum sponsorship, order {i:07d}"]),
        )  # fmt: skip
        yield entry("80.00", servicer_ref=f"ASR-{i}-2", addtl_ntry_info=f"Donation {i}")
        yield entry(
            batch=[tx("100.00", debtor="A"), tx("200.00", ustrd=["Payment"]), tx("300.00")],
            servicer_ref=f"ASR-{i}-3",
        )


def _memory(quick: bool) -> Figure:
    credits = 20_000 if quick else 320_000  # about 100 MB
    with tempfile.TemporaryDirectory() as folder, database("sqlite") as url:
        path = Path(folder) / "statement.xml"
        with path.open("wb") as out:
            spec = account_statement(IBAN, "CHF", _entries(credits), totals=None, closing="0.00")
            write_document(out, [spec])
        size = path.stat().st_size
        open_tracker(url).close()  # the schema is made outside the measured process
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), url],
            capture_output=True, text=True, check=True, env=env,
        )  # fmt: skip
    got, before_kb, peak_kb, elapsed = result.stdout.split()
    assert int(got) == credits, f"the child queued {got} credits, not {credits}"
    peak_mb = int(peak_kb) / 1024
    return Figure(
        suite="bank",
        name=f"sqlite: peak RSS importing a {size / 2**20:.0f} MB camt.053 vs 300 MB",
        ratio=peak_mb / 300,
        target=1.0,
        detail=f"{credits:,} credits queued; peak {peak_mb:.0f} MB (after imports "
        f"{int(before_kb) / 1024:.0f} MB); {float(elapsed):.0f} s",
    )


def run(quick: bool = False) -> list[Figure]:
    """Import time against the floor on both engines, and peak memory on a large file."""
    figures = [_speed("sqlite", quick)]
    if os.environ.get("WSIS_TEST_PG_URL"):
        figures.append(_speed("postgresql", quick))
    figures.append(_memory(quick))
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure.line(), figure.detail)
