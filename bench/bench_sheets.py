"""Reading an XLSX of 10,000 pledges against a bare openpyxl read-only pass over the same cells.

Floor: ``load_workbook(read_only=True, data_only=True)`` and iterating every row of the
pledges and instalments sheets with ``values_only=True``, which is what the reader does
before any cell means anything. Measured: ``read_pledges`` on the same file, which also
checks the header, converts every cell exactly (Decimal through the float's repr, dates,
enums, currencies), attaches instalments and checks their sums. Target: at most 2x the floor.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from bench.report import Figure
from wsis_funding.imports.sheets import InstalmentRow, PledgeRow, read_pledges, write_pledges
from wsis_funding.money import from_minor
from wsis_funding.tiers import Tier


def instalments_of(
    i: int, minor: int, code: str, signed: dt.date, row: int
) -> tuple[tuple[InstalmentRow, ...], int]:
    """The instalments of generated pledge ``i``: every fourth in two halves 90 days apart,
    on rows of the instalments sheet from ``row``; the others one, due on signing. Returns
    them and the next free row."""
    amount = from_minor(minor, code)
    if i % 4:
        return (InstalmentRow(row=None, due_on=signed, amount=amount),), row
    first = from_minor(minor // 2, code)
    return (
        InstalmentRow(row=row, due_on=signed, amount=first),
        InstalmentRow(row=row + 1, due_on=signed + dt.timedelta(days=90), amount=amount - first),
    ), row + 2


def _best_of(repeats: int, fn: Callable[[], object]) -> float:  # float-ok: seconds
    best = float("inf")  # float-ok: seconds
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _pledges(n: int) -> list[PledgeRow]:
    """``n`` pledges in CHF, JPY and KWD; every fourth one in two instalments."""
    rng = random.Random(2024)
    pledges: list[PledgeRow] = []
    instalment_row = 2
    for i in range(n):
        code = ("CHF", "JPY", "KWD")[i % 3]
        minor = rng.randrange(1_000, 10**9)
        amount = from_minor(minor, code)
        signed = dt.date(2024, 1, 1) + dt.timedelta(days=i % 300)
        instalments, instalment_row = instalments_of(i, minor, code, signed, instalment_row)
        tier = rng.choice(list(Tier)) if i % 5 else None
        pledges.append(
            PledgeRow(
                row=i + 2,
                ref=f"P{i:05d}",
                partner=f"partner-{i % 700}",
                edition="WSIS2024",
                amount=amount,
                signed_on=signed,
                instalments=instalments,
                tier=tier,
                package="hackathon" if tier is None else None,
                discount_reason=None,
                confirm=bool(i % 2),
            )
        )
    return pledges


def run(quick: bool = False) -> list[Figure]:
    """Measure read_pledges against the openpyxl read-only floor; return the ratio."""
    n = 2_000 if quick else 10_000
    pledges = _pledges(n)
    with tempfile.TemporaryDirectory() as folder:
        (path,) = write_pledges(pledges, Path(folder) / "pledges.xlsx")

        def floor() -> None:
            book = load_workbook(path, read_only=True, data_only=True)
            for name in ("pledges", "instalments"):
                for _ in book[name].iter_rows(values_only=True):
                    pass
            book.close()

        def library() -> None:
            read_pledges(path).or_raise()

        assert read_pledges(path).or_raise() == tuple(pledges), "the reader lost a pledge"
        assert sum(r.amount.amount for r in pledges) > Decimal(0)
        repeats = 3 if quick else 5
        t_floor = _best_of(repeats, floor)
        t_lib = _best_of(repeats, library)
    return [
        Figure(
            suite="sheets",
            name="read_pledges XLSX vs openpyxl read-only pass",
            ratio=t_lib / t_floor,
            target=2.0,
            detail=f"{n} pledges; reader {t_lib * 1e3:.0f} ms, floor {t_floor * 1e3:.0f} ms",
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
