"""Run every benchmark suite, print the ratios and write BENCHMARKS.md.

Usage: ``python -m bench [--quick] [--only SUITE,...] [--output BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bench.report import Figure, write_markdown

SUITES = (
    "tiers",
    "ledger",
    "payments",
    "concurrency",
    "render",
    "verify",
    "camt",
    "bank",
    "sheets_import",
    "batch",
    "reports",
)


def main(argv: list[str] | None = None) -> int:
    """Run the suites; return 0 (a missed target is reported, not an error)."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", default=",".join(SUITES), help="comma-separated suites")
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    for suite in args.only.split(","):
        module = importlib.import_module(f"bench.bench_{suite.strip()}")
        print(f"== {suite}", flush=True)
        for figure in module.run(quick=args.quick):
            print(figure.line(), flush=True)
            figures.append(figure)
    write_markdown(figures, args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
