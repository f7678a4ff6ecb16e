"""Issuing documents does not stop the money: payment latency while invoices are issued.

    .venv/bin/python -m bench --only concurrency [--quick]

On PostgreSQL (WSIS_TEST_PG_URL), three processes record payments, one per transaction, each
timing every call. Floor: the same three processes alone. Measured: the same three while a
fourth process issues invoices the whole time (each invoice prepares its template, QR-bill,
XML and glyph check, about 80 ms, before it takes the lock). Target: payment p99 latency at
most 2x the floor's, in the same run.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import statistics
import time
from multiprocessing.synchronize import Event

from tests.databases import postgres_database

from bench.report import Figure
from wsis_funding import open_tracker, split_evenly
from wsis_funding.examples import RATES, example_edition, example_issuer, example_partner
from wsis_funding.money import money

PAYERS = 3
SIGNED = dt.date(2024, 1, 15)


def _setup(url: str, pledges: int) -> tuple[list[int], int]:
    """Payers with an open pledge each, and an invoicing partner with ``pledges`` pledges."""
    with open_tracker(url, issuer=example_issuer()) as t:
        t.add_edition(example_edition())
        t.add_rates(RATES)
        payers = []
        for i in range(PAYERS):
            p = t.add_partner(example_partner(f"PAYER{i}"))
            assert p.id is not None
            amount = money("10000000", "CHF")
            t.confirm(
                t.create_pledge(p.id, "WSIS2024", amount=amount, signed_on=SIGNED,
                                instalments=split_evenly(amount, [dt.date(2024, 3, 1)] * 4))
            )  # fmt: skip
            payers.append(p.id)
        invoiced = t.add_partner(example_partner("INVOICED"))
        assert invoiced.id is not None
        for _ in range(pledges):
            t.confirm(
                t.create_pledge(invoiced.id, "WSIS2024", amount=money("25000", "CHF"),
                                signed_on=SIGNED, tier="supporting")
            )  # fmt: skip
        return payers, invoiced.id


def _pay(
    url: str, partner_id: int, n: int, label: str, start: Event, out: mp.Queue[list[float]]
) -> None:
    with open_tracker(url) as t:
        t.partner(partner_id)  # connect and warm up before the clock starts
        start.wait()
        latencies = []
        for i in range(n):
            began = time.perf_counter()
            t.record_payment(partner_id, money("10.00", "CHF"), received_on=dt.date(2024, 3, 5),
                             reference=f"P{partner_id}-{label}-{i}")  # fmt: skip
            latencies.append(time.perf_counter() - began)
    out.put(latencies)


def _invoice(url: str, partner_id: int, start: Event, stop: Event, out: mp.Queue[int]) -> None:
    with open_tracker(url, issuer=example_issuer()) as t:
        pledge_ids = [p.id for p in t.partner_pledges(partner_id)]
        start.wait()
        issued = 0
        for pledge_id in pledge_ids:
            if stop.is_set():
                break
            t.issue_invoice(pledge_id, dt.date(2024, 2, 1), due_on=dt.date(2024, 3, 2))
            issued += 1
    out.put(issued)


def _round(url: str, payers: list[int], n: int, invoicer: int | None) -> tuple[list[float], int]:
    """Run one round; each round's bank lines have references of their own (no duplicates)."""
    ctx = mp.get_context("fork")
    start, stop = ctx.Event(), ctx.Event()
    lat_q: mp.Queue[list[float]] = ctx.Queue()
    inv_q: mp.Queue[int] = ctx.Queue()
    label = "alone" if invoicer is None else "busy"
    procs = [ctx.Process(target=_pay, args=(url, p, n, label, start, lat_q)) for p in payers]
    if invoicer is not None:
        procs.append(ctx.Process(target=_invoice, args=(url, invoicer, start, stop, inv_q)))
    for p in procs:
        p.start()
    time.sleep(1.0)
    start.set()
    latencies = [x for _ in payers for x in lat_q.get()]
    stop.set()
    issued = inv_q.get() if invoicer is not None else 0
    for p in procs:
        p.join()
    return latencies, issued


def _p99(values: list[float]) -> float:  # float-ok: seconds
    return statistics.quantiles(values, n=100)[98]


def run(quick: bool = False) -> list[Figure]:
    """Measure payment p99 latency with and without a concurrent invoicing process."""
    n = 60 if quick else 300
    with postgres_database("wsis_b") as url:
        payers, invoicer = _setup(url, pledges=n)
        alone, _ = _round(url, payers, n, None)
        busy, issued = _round(url, payers, n, invoicer)
    ratio = _p99(busy) / _p99(alone)
    return [
        Figure(
            suite="concurrency",
            name="postgresql: payment p99 with a 4th process issuing invoices / without",
            ratio=ratio,
            target=2.0,
            detail=f"{PAYERS} processes x {n} payments: p99 {_p99(alone) * 1e3:.1f} ms alone, "
            f"{_p99(busy) * 1e3:.1f} ms while {issued} invoices were issued; p50 "
            f"{statistics.median(alone) * 1e3:.1f} ms vs {statistics.median(busy) * 1e3:.1f} ms",
        )
    ]


if __name__ == "__main__":
    for figure in run(quick=True):
        print(figure.line())
