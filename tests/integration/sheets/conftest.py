"""Fixture of the spreadsheet import tests: books with ACME, WSIS2024 and the test rates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import Books
from wsis_funding.services import open_tracker


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    with open_tracker(db_url) as tracker:
        yield Books(tracker)
