"""Importing an XLSX of 10,000 pledges into books, against a floor measured in the same run.

    .venv/bin/python -m bench --only sheets_import [--quick]

On SQLite and on PostgreSQL (WSIS_TEST_PG_URL, an admin URL: throw-away databases are created
and dropped). The books hold the edition, 2,000 partners and a year of monthly USD, EUR and
JPY rates; the file holds 10,000 pledges in CHF, USD, EUR and JPY (every fourth in two
instalments, nine in ten to confirm, each declaring the tier its amount reaches).

Floor: an openpyxl read-only load of the same file iterating every row of both sheets with
``values_only=True``, plus a raw DB-API ``executemany`` of the very rows the import wrote
into ``pledges`` and ``instalments`` (read back from the imported books, inserted into fresh
identical books in one transaction). Measured: ``Tracker.import_pledges`` on the file, which
also converts every cell exactly, checks every row against the books (partners, edition,
schedule, rates in force, declared tiers), reserves ids and posts a journal entry for each
confirmed pledge. Target: at most 2x the floor. Every time is the best of several runs, each
on fresh books.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from tests.databases import database, libpq

from bench.bench_sheets import instalments_of
from bench.report import Figure
from wsis_funding.examples import example_edition, example_partner
from wsis_funding.imports.sheets import (
    PartnerRow,
    PledgeRow,
    write_partners,
    write_pledges,
)
from wsis_funding.money import ExchangeRate, from_minor
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.tiers import Tier

PARTNERS = 2_000
_RATES = {"USD": "0.89", "EUR": "0.95", "JPY": "0.0059"}
# The least amount of each currency that is worth a tier's minimum at the lowest rate above.
_TIERS = ((Tier.SUPPORTING, 20_000), (Tier.CONTRIBUTING, 50_000), (Tier.GOLD, 150_000))


def _rates() -> list[ExchangeRate]:
    """Monthly rates to CHF for 2024, each month a little different."""
    out = []
    for code, base in _RATES.items():
        for month in range(1, 13):
            rate = Decimal(base) * (Decimal(1000 + month) / 1000)
            out.append(
                ExchangeRate(
                    from_currency=code,
                    to_currency="CHF",
                    rate=rate,
                    effective=dt.date(2024, month, 1),
                    source=f"UN operational rate 2024-{month:02d}",
                )
            )
    return out


def _partners() -> list[PartnerRow]:
    rows = []
    for i in range(PARTNERS):
        p = example_partner(f"P{i:04d}")
        rows.append(
            PartnerRow(
                row=i + 2, legal_name=p.legal_name, short_name=p.short_name, country=p.country,
                stakeholder_type=p.stakeholder_type, language=p.language,
                address=p.billing_address, tax_id=p.tax_id, contact_email=p.contact_email,
            )
        )  # fmt: skip
    return rows


def _pledges(n: int) -> list[PledgeRow]:
    """``n`` tier pledges; each one's own base value reaches the tier it declares."""
    rng = random.Random(2024)
    pledges: list[PledgeRow] = []
    instalment_row = 2
    for i in range(n):
        code = ("CHF", "USD", "EUR", "JPY")[i % 4]
        tier, chf = _TIERS[i % 3]
        rate = Decimal(1) if code == "CHF" else Decimal(_RATES[code])
        least = int(Decimal(chf) / rate) + 1
        whole = least + rng.randrange(0, least)
        minor = whole * (1 if code == "JPY" else 100) + (0 if code == "JPY" else rng.randrange(100))
        amount = from_minor(minor, code)
        signed = dt.date(2024, 1, 2) + dt.timedelta(days=i % 330)
        instalments, instalment_row = instalments_of(i, minor, code, signed, instalment_row)
        pledges.append(
            PledgeRow(
                row=i + 2, ref=f"R{i:05d}", partner=f"P{i % PARTNERS:04d}", edition="WSIS2024",
                amount=amount, signed_on=signed, instalments=instalments, tier=tier,
                confirm=i % 10 != 9,
            )
        )  # fmt: skip
    return pledges


@contextmanager
def _books(engine: str, partners: Path) -> Iterator[tuple[str, Tracker]]:
    """Fresh books on ``engine`` with the edition, the partners and the rates."""
    with database(engine) as url, open_tracker(url) as tracker:
        tracker.add_edition(example_edition())
        tracker.add_rates(_rates())
        tracker.import_partners(partners)
        yield url, tracker


def _best(times: list[float]) -> float:  # float-ok: seconds
    return min(times)


def _raw_connect(engine: str, url: str) -> Any:
    if engine == "sqlite":
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn
    import psycopg

    return psycopg.connect(libpq(url))


# Every table an import of pledges writes rows into, in the order foreign keys allow.
_WRITTEN = (
    "pledges",
    "instalments",
    "accounts",
    "journal_entries",
    "journal_postings",
    "account_totals",
)


def _rows(tracker: Tracker, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with tracker.engine.connect() as c:
        result = c.exec_driver_sql(f"SELECT * FROM {table}")
        return list(result.keys()), [tuple(r) for r in result]


def _raw_insert(
    engine: str, url: str, tables: dict[str, tuple[list[str], list[Any]]]
) -> float:  # float-ok: seconds
    """Insert the rows in one transaction with executemany, move the journal's head to the
    last entry as the library does, commit; return the seconds it took."""
    conn = _raw_connect(engine, url)
    mark = "?" if engine == "sqlite" else "%s"
    try:
        start = time.perf_counter()
        cur = conn.cursor()
        if engine == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        for name, (columns, rows) in tables.items():
            sql = (f"INSERT INTO {name} ({', '.join(columns)}) "
                   f"VALUES ({', '.join([mark] * len(columns))})")  # fmt: skip
            cur.executemany(sql, rows)
        columns, entries = tables["journal_entries"]
        seq, digest = columns.index("seq"), columns.index("hash")
        last = max(entries, key=lambda e: int(e[seq]))
        cur.execute(
            f"UPDATE journal_chain SET seq = {mark}, hash = {mark}", (last[seq], last[digest])
        )
        cur.execute("COMMIT") if engine == "sqlite" else conn.commit()
        return time.perf_counter() - start
    finally:
        conn.close()


def bench_engine(
    engine: str, path: Path, partners: Path, repeats: int
) -> dict[str, float]:  # float-ok: seconds
    """Best library import time and best floor time on ``engine``."""
    library: list[float] = []  # float-ok: seconds
    written: dict[str, tuple[list[str], list[Any]]] = {}
    for _ in range(repeats):
        with _books(engine, partners) as (_, tracker):
            start = time.perf_counter()
            report = tracker.import_pledges(path)
            library.append(time.perf_counter() - start)
            assert report.added == report.rows
            if not written:
                written = {name: _rows(tracker, name) for name in _WRITTEN}
                assert tracker.verify() == []
    raw: list[float] = []  # float-ok: seconds
    for _ in range(repeats):
        with _books(engine, partners) as (url, tracker):
            tracker.close()
            raw.append(_raw_insert(engine, url, written))
    return {"library": _best(library), "raw": _best(raw)}


def _openpyxl_pass(path: Path) -> Callable[[], None]:
    def floor() -> None:
        book = load_workbook(path, read_only=True, data_only=True)
        for name in ("pledges", "instalments"):
            for _ in book[name].iter_rows(values_only=True):
                pass
        book.close()

    return floor


def run(quick: bool = False) -> list[Figure]:
    """Measure import_pledges against openpyxl plus raw executemany; return one ratio per engine."""
    n = 2_000 if quick else 10_000
    repeats = 2 if quick else 5
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        partners = write_partners(_partners(), Path(folder) / "partners.xlsx")
        (path,) = write_pledges(_pledges(n), Path(folder) / "pledges.xlsx")
        floor = _openpyxl_pass(path)
        read: list[float] = []  # float-ok: seconds
        for _ in range(repeats + 2):
            start = time.perf_counter()
            floor()
            read.append(time.perf_counter() - start)
        for engine in ("sqlite", "postgresql"):
            t = bench_engine(engine, path, partners, repeats)
            base = _best(read) + t["raw"]
            figures.append(
                Figure(
                    suite="sheets_import",
                    name=f"import_pledges XLSX vs openpyxl + raw executemany ({engine})",
                    ratio=t["library"] / base,
                    target=2.0,
                    detail=(
                        f"{n} pledges; import {t['library'] * 1e3:.0f} ms, floor "
                        f"{base * 1e3:.0f} ms (openpyxl {_best(read) * 1e3:.0f} ms, "
                        f"executemany {t['raw'] * 1e3:.0f} ms)"
                    ),
                )
            )
    return figures


if __name__ == "__main__":
    for figure in run():
        print(figure.line(), figure.detail)
