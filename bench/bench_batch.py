"""Benchmark of batch issuing: 500 invoices with their PDFs written, 2 worker processes against 1.

Run as ``python -m bench --only batch``. Two fresh SQLite books hold the same 500 confirmed
pledges (one instalment each, partners in the six languages, CHF so each invoice carries a
QR-bill); ``issue_due_invoices(..., out=DIR)`` is timed on one with ``workers=1`` (everything
in this process) and on the other with ``workers=2``. Target: a speed-up of at least 1.7. The
load average is reported beside the figure: on a shared machine other processes take cores
from the workers, which lowers the speed-up and says nothing about the code. So is the
speed-up the CPU times alone allow on two idle cores: the one-process run's CPU time over the
larger of the parent's CPU time and half of all the CPU time of the two-worker run.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import tempfile
import time
from pathlib import Path

import attrs
from tests.databases import sqlite_database
from tests.factories import SIGNED, example_issuer, make_edition, make_partner

from bench.report import Figure
from wsis_funding.ledger.model import Language
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker

ON = dt.date(2024, 2, 1)
UP_TO = dt.date(2024, 3, 31)


def books(tracker: Tracker, count: int) -> None:
    """``count`` partners with one confirmed CHF pledge each, due in March (one transaction)."""
    languages = list(Language)
    with tracker.transaction() as tx:
        tx.add_edition(make_edition())
        for n in range(count):
            partner = attrs.evolve(make_partner(f"P{n:04d}"), language=languages[n % 6])
            stored = tx.add_partner(partner)
            assert stored.id is not None
            total = money(f"{10000 + n}.{n % 100:02d}", "CHF")
            due = [(dt.date(2024, 3, 1 + n % 28), total)]
            pledge = tx.create_pledge(
                stored.id, "WSIS2024", amount=total, signed_on=SIGNED, instalments=due
            )
            tx.confirm(pledge)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(count: int, workers: int) -> dict[str, float]:
    """Issue ``count`` invoices with PDFs on fresh books; return seconds and CPU seconds."""
    with sqlite_database() as url, open_tracker(url, issuer=example_issuer()) as tracker:
        books(tracker, count)
        out = Path(tempfile.mkdtemp())
        load = os.getloadavg()[0]
        own = time.process_time()
        children = _children_cpu()
        start = time.perf_counter()
        summary = tracker.issue_due_invoices("WSIS2024", UP_TO, on=ON, workers=workers, out=out)
        seconds = time.perf_counter() - start
        issued = len(summary.issued)
        written = len(list(out.glob("*.pdf")))
    assert issued == written == count, (issued, written, summary.failed[:3])
    return {
        "seconds": seconds,
        "parent_cpu": time.process_time() - own,
        "workers_cpu": _children_cpu() - children,
        "load": load,
    }


def run(quick: bool = False) -> list[Figure]:
    """Time the batch with 1 and 2 workers and return the speed-up as a figure."""
    count = 50 if quick else 500
    one = timed(count, 1)
    two = timed(count, 2)
    speedup = one["seconds"] / two["seconds"]
    busy = two["parent_cpu"] + two["workers_cpu"]
    bound = one["parent_cpu"] / max(two["parent_cpu"], busy / 2)
    print(
        f"{count} invoices with PDFs: 1 worker {one['seconds']:.1f} s "
        f"(cpu {one['parent_cpu']:.1f} s), 2 workers {two['seconds']:.1f} s (parent cpu "
        f"{two['parent_cpu']:.1f} s, workers cpu {two['workers_cpu']:.1f} s), load "
        f"{one['load']:.1f} / {two['load']:.1f} on {os.cpu_count()} CPUs; the CPU times allow "
        f"{bound:.2f} on two idle cores"
    )
    return [
        Figure(
            suite="batch",
            name=f"{count} invoices issued with their PDFs: speed-up of 2 workers over 1",
            ratio=speedup,
            target=1.7,
            higher_is_better=True,
            detail=f"1 worker {one['seconds']:.1f} s, 2 workers {two['seconds']:.1f} s "
            f"(parent {two['parent_cpu']:.1f} s cpu, workers {two['workers_cpu']:.1f} s cpu), "
            f"load average {one['load']:.1f} / {two['load']:.1f}, {os.cpu_count()} CPUs; "
            f"the CPU times allow {bound:.2f} on two idle cores",
        )
    ]
