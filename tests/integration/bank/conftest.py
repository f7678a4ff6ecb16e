"""Fixture of the bank statement tests: books with the example issuer (its bank account)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import Books, example_issuer
from wsis_funding.services import open_tracker


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        yield Books(tracker)
