"""Tier classification throughput against bisect over a list of integer minimums.

Floor: ``tiers[bisect.bisect_right(minimums, amount)]`` over plain ints, the least any
lookup can do. Measured: ``classify(Money, schedule)`` on the same amounts, which also checks
the currency. Target: classify takes at most 3x the floor's time per call.
"""

from __future__ import annotations

import bisect
import random
import time
from collections.abc import Callable

from bench.report import Figure
from wsis_funding.money import from_minor, to_minor
from wsis_funding.tiers import Tier, classify, illustrative_schedule


def _best_of(repeats: int, fn: Callable[[], object]) -> float:  # float-ok: seconds
    best = float("inf")  # float-ok: seconds
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(quick: bool = False) -> list[Figure]:
    """Measure classify against the bisect floor; return the ratio."""
    schedule = illustrative_schedule()
    rng = random.Random(2024)
    n = 20_000 if quick else 200_000
    top = to_minor(schedule.minimums[Tier.PLATINUM]) * 2
    ints = [rng.randrange(0, top) for _ in range(n)]
    moneys = [from_minor(i, "CHF") for i in ints]
    minimums = [to_minor(schedule.minimums[t]) for t in schedule.tiers]
    ladder: list[Tier | None] = [None, *schedule.tiers]

    def floor() -> None:
        for a in ints:
            ladder[bisect.bisect_right(minimums, a)]

    def library() -> None:
        for m in moneys:
            classify(m, schedule)

    assert [classify(m, schedule) for m in moneys[:1000]] == [
        ladder[bisect.bisect_right(minimums, a)] for a in ints[:1000]
    ], "classify disagrees with the floor"
    repeats = 3 if quick else 7
    t_floor = _best_of(repeats, floor)
    t_lib = _best_of(repeats, library)
    per_call = t_lib / n * 1e9
    return [
        Figure(
            suite="tiers",
            name="classify vs bisect over int minimums",
            ratio=t_lib / t_floor,
            target=3.0,
            detail=f"{n} lookups; classify {per_call:.0f} ns/call, floor "
            f"{t_floor / n * 1e9:.0f} ns/call",
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
