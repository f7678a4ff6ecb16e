"""Benchmark of invoice rendering: overhead over bare WeasyPrint, parallel speed-up, memory.

Run as ``python bench/bench_render.py``. Prints ratios against floors measured in the same run
and returns the figures as a dict. Not a timed test: targets are reported, not asserted.
  (a) render_pdf vs bare WeasyPrint on the same HTML, same process (target ratio <= 1.25)
  (b) 200 invoices with 2 worker processes vs 1 (target speed-up >= 1.7)
  (c) 1,000 invoices in one process: peak RSS <= 300 MB, RSS not growing from 200 to 1,000
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import statistics
import sys
import time
from typing import Any

from bench.report import Figure
from wsis_funding.documents.model import InvoiceSnapshot
from wsis_funding.examples import example_invoice
from wsis_funding.rendering.fonts import font_configuration
from wsis_funding.rendering.render import prepare, render_pdf


def invoice(i: int) -> InvoiceSnapshot:
    return example_invoice(number=f"WSIS-2024-{i:04d}")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def overhead(repeats: int = 15) -> dict[str, float]:
    from weasyprint import HTML

    doc = invoice(1)
    render_pdf(doc)
    prepared = prepare(doc)
    HTML(string=prepared.html, url_fetcher=prepared.fetcher()).write_pdf(
        font_config=font_configuration()
    )
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        render_pdf(doc)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        prepared = prepare(doc)  # the same HTML; preparing it is not counted
        start = time.perf_counter()
        HTML(string=prepared.html, url_fetcher=prepared.fetcher()).write_pdf(
            font_config=font_configuration()
        )
        bare.append(time.perf_counter() - start)
    return {
        "render_pdf_s": statistics.median(ours),
        "bare_weasyprint_s": statistics.median(bare),
        "overhead_ratio": statistics.median(ours) / statistics.median(bare),
    }


def _render(i: int) -> int:
    return len(render_pdf(invoice(i)))


def _batch(count: int, workers: int) -> float:
    ctx = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with ctx.Pool(workers) as pool:
        pool.map(_render, range(1, count + 1), chunksize=4)
    return time.perf_counter() - start


def parallel(count: int = 200) -> dict[str, float]:
    one = _batch(count, 1)
    two = _batch(count, 2)
    return {"one_worker_s": one, "two_workers_s": two, "speedup": one / two}


def _memory(count: int, checkpoint: int, queue: Any) -> None:
    at_checkpoint = 0.0
    for i in range(1, count + 1):
        render_pdf(invoice(i))
        if i == checkpoint:
            at_checkpoint = rss_mb()
    queue.put(
        {
            "rss_at_checkpoint_mb": at_checkpoint,
            "rss_at_end_mb": rss_mb(),
            "peak_rss_mb": peak_rss_mb(),
        }
    )


def memory(count: int = 1000, checkpoint: int = 200) -> dict[str, float]:
    ctx = multiprocessing.get_context("spawn")  # a fresh process: nothing inherited
    queue = ctx.Queue()
    process = ctx.Process(target=_memory, args=(count, checkpoint, queue))
    start = time.perf_counter()
    process.start()
    figures: dict[str, float] = queue.get()
    process.join()
    figures["seconds"] = time.perf_counter() - start
    figures["growth_mb"] = figures["rss_at_end_mb"] - figures["rss_at_checkpoint_mb"]
    return figures


def main(argv: list[str]) -> dict[str, dict[str, float]]:
    scale = float(argv[1]) if len(argv) > 1 else 1.0
    results = {"overhead": overhead(), "parallel": parallel(int(200 * scale))}
    print(
        f"(a) render_pdf {results['overhead']['render_pdf_s'] * 1000:.0f} ms vs bare WeasyPrint "
        f"{results['overhead']['bare_weasyprint_s'] * 1000:.0f} ms: "
        f"ratio {results['overhead']['overhead_ratio']:.2f} (target <= 1.25)"
    )
    print(
        f"(b) {int(200 * scale)} invoices: 1 worker {results['parallel']['one_worker_s']:.1f} s, "
        f"2 workers {results['parallel']['two_workers_s']:.1f} s: "
        f"speed-up {results['parallel']['speedup']:.2f} (target >= 1.7; {os.cpu_count()} CPUs)"
    )
    results["memory"] = memory(int(1000 * scale), int(200 * scale))
    m = results["memory"]
    print(
        f"(c) {int(1000 * scale)} invoices in one process: RSS {m['rss_at_checkpoint_mb']:.0f} MB "
        f"after {int(200 * scale)}, {m['rss_at_end_mb']:.0f} MB at the end "
        f"(growth {m['growth_mb']:+.0f} MB), peak {m['peak_rss_mb']:.0f} MB (target <= 300 MB)"
    )
    return results


def run(quick: bool = False) -> list[Figure]:
    """Run (a), (b) and (c) and return them as figures for BENCHMARKS.md."""
    scale = 0.1 if quick else 1.0
    results = main(["bench_render", str(scale)])
    o, p, m = results["overhead"], results["parallel"], results["memory"]
    count = int(200 * scale)
    return [
        Figure(
            suite="render",
            name="one invoice: render_pdf vs bare WeasyPrint on the same HTML",
            ratio=o["overhead_ratio"],
            target=1.25,
            detail=f"{o['render_pdf_s'] * 1000:.0f} ms vs {o['bare_weasyprint_s'] * 1000:.0f} ms",
        ),
        Figure(
            suite="render",
            name=f"{count} invoices: speed-up of 2 worker processes over 1",
            ratio=p["speedup"],
            target=1.7,
            higher_is_better=True,
            detail=f"1 worker {p['one_worker_s']:.1f} s, 2 workers {p['two_workers_s']:.1f} s, "
            f"{os.cpu_count()} CPUs",
        ),
        Figure(
            suite="render",
            name=f"{int(1000 * scale)} invoices in one process: peak RSS / 300 MB",
            ratio=m["peak_rss_mb"] / 300,
            target=1.0,
            detail=f"peak {m['peak_rss_mb']:.0f} MB",
        ),
        Figure(
            suite="render",
            name=f"memory growth: RSS after {int(1000 * scale)} / RSS after {count} invoices",
            ratio=m["rss_at_end_mb"] / m["rss_at_checkpoint_mb"],
            target=1.1,
            detail=f"{m['rss_at_checkpoint_mb']:.0f} MB after {count}, "
            f"{m['rss_at_end_mb']:.0f} MB after {int(1000 * scale)}",
        ),
    ]


if __name__ == "__main__":
    main(sys.argv)
