"""The shape of a benchmark result, and how results are printed and written to BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Sequence
from pathlib import Path

import attrs

PEAK_KB = """
import resource


def peak_kb():
    # VmHWM is this process's own peak: ru_maxrss is kept across exec, so in a child started
    # by a large benchmark process it would report the parent's size at the fork.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
"""Source of ``peak_kb()``, the peak resident set size in kB, for the measured child processes."""


@attrs.frozen(kw_only=True)
class Figure:
    """One benchmark figure: a ratio against a floor, and the target it must meet.

    ``higher_is_better`` is False for time ratios (library / floor <= target) and True for
    speed-ups or throughput ratios (>= target).
    """

    suite: str
    name: str
    ratio: float  # float-ok: a timing ratio, not money
    target: float  # float-ok: a timing ratio, not money
    higher_is_better: bool = False
    detail: str = ""

    @property
    def met(self) -> bool:
        """Whether the ratio meets its target."""
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    def line(self) -> str:
        """A one-line summary for the console."""
        op = ">=" if self.higher_is_better else "<="
        verdict = "ok" if self.met else "MISSED"
        return f"[{self.suite}] {self.name}: {self.ratio:.2f} (target {op} {self.target}) {verdict}"


def write_markdown(figures: Sequence[Figure], path: Path) -> None:
    """Write the figures as a Markdown table, with when and where they were measured."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench`. Every figure is a ratio against a floor measured in the same",
        "run on the same machine, so it means something on a shared, noisy machine where",
        "absolute times do not. Time ratios: lower is better; speed-ups: higher is better.",
        "",
        f"Measured {now} on {platform.machine()}, Python {platform.python_version()}.",
        "",
        "| suite | benchmark | ratio | target | met | details |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    for f in figures:
        op = ">=" if f.higher_is_better else "<="
        lines.append(
            f"| {f.suite} | {f.name} | {f.ratio:.2f} | {op} {f.target} | "
            f"{'yes' if f.met else '**no**'} | {f.detail} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
