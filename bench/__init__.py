"""Benchmarks: each module measures the library against a floor measured in the same run.

Run them all with ``make bench`` (``python -m bench``); they print ratios and write
BENCHMARKS.md. Only ratios from one run mean anything on a shared, noisy machine.
"""
