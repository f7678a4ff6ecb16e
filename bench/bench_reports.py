"""Report benchmarks: roster, ageing and revenue stay flat as the journal grows.

    .venv/bin/python -m bench --only reports [--quick]      (or: python -m bench.bench_reports)

On SQLite and on PostgreSQL (WSIS_TEST_PG_URL). The books hold one edition played through
the use cases (120 partners, 160 pledges in CHF, USD and EUR with two instalments each, 40
invoices, 100 payments); the journal is then filled, in bulk through ``post_entries``, with
the everyday entries of the fund's own accounts (bank charges, PSC income, exchange
differences, write-offs between ``bank:CHF`` and the rest) up to 10,000 postings, where the
reports are timed, and in a second set of books up to 1,000,000. The edition's pledges,
instalments and payments are the same in both: what grows is the journal, which a report
must not scan (revenue reads the running account totals; roster and ageing read pledges,
instalments and settlements through their indexes). Both books are timed in alternating
rounds, so that both meet the same load on a shared machine. Each figure is the time at
1,000,000 postings over the time at 10,000 (target <= 1.5).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from bench.bench_ledger import engines, fresh_url, psycopg_autocommit
from bench.report import Figure
from wsis_funding.examples import RATES, example_edition, example_issuer, example_partner
from wsis_funding.ledger import accounts
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker

SIGNED = dt.date(2024, 1, 15)
AS_OF = dt.date(2024, 7, 1)
_FILLERS = (accounts.BANK_CHARGES, accounts.PSC_INCOME, accounts.FX_GAIN_LOSS, accounts.WRITE_OFF)


def play_edition(t: Tracker, partners: int = 120, pledges: int = 160) -> None:
    """One edition's season through the use cases: pledges, invoices, payments."""
    t.add_edition(example_edition())
    t.add_rates(RATES)
    ids = []
    for i in range(partners):
        p = t.add_partner(example_partner(f"P{i:04d}"))
        assert p.id is not None
        ids.append(p.id)
    dues = [dt.date(2024, 3, 1), dt.date(2024, 6, 1)]
    with t.transaction() as tx:
        for i in range(pledges):
            cur = ("CHF", "USD", "EUR")[i % 3]
            amount = money(25_000 + 1_000 * (i % 200), cur)
            pledge = tx.create_pledge(
                ids[i % partners], "WSIS2024", amount=amount, signed_on=SIGNED,
                instalments=split_evenly(amount, dues),
            )  # fmt: skip
            tx.confirm(pledge)
    for i in range(100):
        cur = ("CHF", "USD", "EUR")[i % 3]
        t.record_payment(ids[i % partners], money(5_000, cur), received_on=dt.date(2024, 3, 1),
                         reference=f"BANK-{i}", idempotency_key=f"bench-{i}")  # fmt: skip


def issue_invoices(t: Tracker, count: int = 40) -> None:
    """Invoice the first instalments of the first pledges (ageing reads their due dates)."""
    for pledge_id in range(1, count + 1):
        first = t.pledge(pledge_id).instalments[0]
        t.issue_invoice(first, dt.date(2024, 2, 1), due_on=dt.date(2024, 3, 2))


def filler(n: int) -> list[Entry]:
    """N two-line CHF entries between ``bank:CHF`` and the fund's other own accounts."""
    out = []
    for i in range(n):
        amount = 100 + i % 9_000
        out.append(
            Entry(
                entry_date=dt.date(2024, 1, 1) + dt.timedelta(days=i % 365),
                kind="bench", memo=f"bench {i}",
                postings=(
                    Posting(account=accounts.bank("CHF"), currency="CHF",
                            amount_minor=amount, base_minor=amount),
                    Posting(account=_FILLERS[i % len(_FILLERS)], currency="CHF",
                            amount_minor=-amount, base_minor=-amount),
                ),
            )
        )  # fmt: skip
    return out


def postings(t: Tracker) -> int:
    """How many postings the journal holds."""
    with t.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT COUNT(*) FROM journal_postings").scalar_one())


def grow(t: Tracker, target: int) -> int:
    """Post filler entries (two postings each) until the journal holds ``target`` postings."""
    have = postings(t)
    while have < target:
        chunk = min(50_000, (target - have + 1) // 2)
        t.post_entries(filler(chunk))
        have += 2 * chunk
    return have


def reports(t: Tracker) -> dict[str, Callable[[], Any]]:
    """The reports timed, as calls on ``t``."""
    return {
        "roster": lambda: t.roster("WSIS2024"),
        "ageing": lambda: t.receivables(AS_OF),
        "revenue": lambda: t.revenue("WSIS2024"),
    }


def paired_best(
    small: Callable[[], Any], big: Callable[[], Any], repeat: int = 25
) -> tuple[float, float]:
    """The best mean times (s) of ``small`` and ``big``, timed in alternating rounds.

    Alternating means both sides meet the same load on a shared machine: a burst from another
    process slows one round of each, and the best round of each is compared. Each round
    makes enough calls to last about 20 ms, so that a sub-millisecond report is timed over
    many calls rather than against the clock's resolution.
    """
    start = time.perf_counter()
    small()
    once = max(time.perf_counter() - start, 1e-6)
    number = max(3, min(200, int(0.02 / once)))
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((small, times[0]), (big, times[1])):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            out.append((time.perf_counter() - start) / number)
    return min(times[0]), min(times[1])


def build(url: str, engine: str, size: int, raw_connect: Callable[[], Any]) -> tuple[int, float]:
    """Play the edition on fresh books at ``url`` and fill the journal to ``size`` postings."""
    with open_tracker(url, issuer=example_issuer()) as t:
        play_edition(t)
        issue_invoices(t)
        start = time.perf_counter()
        have = grow(t, size)
        built = time.perf_counter() - start
    if engine == "postgresql":
        # Fresh statistics and visibility map, as autovacuum would give.
        with psycopg_autocommit(raw_connect) as admin:
            admin.execute("VACUUM ANALYZE")
    return have, built


def bench_engine(engine: str, sizes: tuple[int, int]) -> dict[str, Any]:
    """Build small and big books on one engine; time each report on both, alternately."""
    out: dict[str, Any] = {}
    with fresh_url(engine) as (small_url, small_raw), fresh_url(engine) as (big_url, big_raw):
        out["small_postings"], _ = build(small_url, engine, sizes[0], small_raw)
        out["big_postings"], out["build_s"] = build(big_url, engine, sizes[1], big_raw)
        with open_tracker(small_url) as small, open_tracker(big_url) as big:
            small_reports, big_reports = reports(small), reports(big)
            for name, fn in small_reports.items():
                # Same edition, same answers: only the journal differs.
                assert fn() == big_reports[name](), name
                a, b = paired_best(fn, big_reports[name])
                out[name] = (a * 1e3, b * 1e3)
    return out


def run(quick: bool = False) -> list[Figure]:
    """Run the report benchmarks on both engines; one figure per report and engine."""
    sizes = (10_000, 100_000) if quick else (10_000, 1_000_000)
    figures: list[Figure] = []
    for engine in engines():
        r = bench_engine(engine, sizes)
        for name in ("roster", "ageing", "revenue"):
            small, big = r[name]
            figures.append(
                Figure(
                    suite="reports",
                    name=f"{engine}: {name} at {sizes[1]:,} postings vs {sizes[0]:,}",
                    ratio=big / small,
                    target=1.5,
                    detail=f"{big:.2f} ms at {r['big_postings']:,} postings, {small:.2f} ms "
                    f"at {r['small_postings']:,} (both: 160 pledges, 100 payments, 40 "
                    "invoices; the rest bulk entries of the fund's own accounts, "
                    f"{r['build_s']:.0f} s to post)",
                )
            )
    return figures


if __name__ == "__main__":
    import sys

    for figure in run(quick="--quick" in sys.argv[1:]):
        print(figure.line(), "|", figure.detail, flush=True)
