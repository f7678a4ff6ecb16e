"""``python -m wsis_funding.cli``: the same as the ``wsis-funding`` command."""

from wsis_funding.cli import run

run()
