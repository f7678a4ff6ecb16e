"""Bank statement parsing: time against bare lxml iterparse, and memory on a ~100 MB file.

Run as ``python -m bench.bench_camt`` (or ``python -m bench --only camt``). Not a timed
test: targets are reported, not asserted.
  (a) parse_statement over a generated camt.053 of 10,000 credits (3,334 entries: single
      credits and batches of three with charges and references) against a floor of plain
      ``lxml.etree.iterparse`` over the same bytes that only clears each element; target:
      at most 12x the floor (the parse checks, converts and canonicalises every entry);
  (b) peak RSS of a fresh process parsing a generated ~100 MB camt.053 from disk, against
      300 MB (ratio = peak / 300 MB, target <= 1).
"""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree
from tests.statements import IBAN, EntrySpec, account_statement, charge, entry, tx, write_document

from bench.report import PEAK_KB, Figure
from wsis_funding.imports.camt import Credit, parse_statement

_CHILD = (
    PEAK_KB
    + """
import resource, sys, time
from pathlib import Path
from wsis_funding.imports.camt import Credit, parse_statement
before = peak_kb()
start = time.perf_counter()
credits = sum(isinstance(i, Credit) for i in parse_statement(Path(sys.argv[1])))
elapsed = time.perf_counter() - start
peak = peak_kb()
print(credits, before, peak, elapsed)
"""
)


def _entries(count: int) -> Iterator[EntrySpec]:
    """Entries holding ``count`` credits: two single credits, then a batch of three."""
    for i in itertools.count():
        if 5 * i >= count:
            return
        yield entry(
            "1250.00",
            servicer_ref=f"ASR-{i}-1",
            details=tx(
                end_to_end=f"E2E-{i}",
                scor="RF18539007547034",
                debtor="Ministry of Digital Affairs",
                debtor_iban="DE89370400440532013000",
                ustrd=[f"WSIS Forum sponsorship, invoice WSIS-2024-{i:05d}"],
            ),
        )
        yield entry("80.00", servicer_ref=f"ASR-{i}-2", addtl_ntry_info="rf18 5390 0754 7034")
        yield entry(
            batch=[
                tx("100.00", charges=[charge("0.50")], qrr="210000000003139471430009017"),
                tx("200.00", ustrd=["Payment RF18 5390 0754 7034"], debtor="ACME"),
                tx("300.00", end_to_end=f"B-{i}"),
            ],
            servicer_ref=f"ASR-{i}-3",
        )


def _write(out: io.BufferedIOBase | io.BytesIO, credits: int) -> None:
    spec = account_statement(IBAN, "CHF", _entries(credits), totals=None, closing="0.00")
    write_document(out, [spec])  # type: ignore[arg-type]


def _best_of(repeats: int, fn: Callable[[], object]) -> float:  # float-ok: seconds
    best = float("inf")  # float-ok: seconds
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _speed(quick: bool) -> Figure:
    credits = 2_000 if quick else 10_000
    buffer = io.BytesIO()
    _write(buffer, credits)
    xml = buffer.getvalue()

    def floor() -> None:
        for _, element in etree.iterparse(io.BytesIO(xml), events=("end",)):
            element.clear()

    def library() -> int:
        return sum(isinstance(i, Credit) for i in parse_statement(xml))

    assert library() == credits, "the generated file does not hold the credits it should"
    repeats = 3 if quick else 5
    t_floor = _best_of(repeats, floor)
    t_lib = _best_of(repeats, library)
    return Figure(
        suite="camt",
        name=f"parse {credits:,} credits vs bare lxml iterparse",
        ratio=t_lib / t_floor,
        target=12.0,
        detail=f"{len(xml) / 2**20:.1f} MB; parse {t_lib * 1e3:.0f} ms "
        f"({t_lib / credits * 1e6:.0f} µs/credit), floor {t_floor * 1e3:.0f} ms",
    )


def _memory(quick: bool) -> Figure:
    credits = 20_000 if quick else 250_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statement.xml"
        with path.open("wb") as out:
            _write(out, credits)
        size = path.stat().st_size
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    got, before_kb, peak_kb, elapsed = result.stdout.split()
    assert int(got) == credits, f"the child read {got} credits, not {credits}"
    peak_mb = int(peak_kb) / 1024
    return Figure(
        suite="camt",
        name=f"peak RSS parsing a {size / 2**20:.0f} MB camt.053 vs 300 MB",
        ratio=peak_mb / 300,
        target=1.0,
        detail=f"{credits:,} credits; peak {peak_mb:.0f} MB (after imports "
        f"{int(before_kb) / 1024:.0f} MB); {float(elapsed):.1f} s",
    )


def run(quick: bool = False) -> list[Figure]:
    """Measure parse time against the iterparse floor, and peak memory on a large file."""
    return [_speed(quick), _memory(quick)]


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure.line(), figure.detail)
