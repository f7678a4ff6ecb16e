"""Fixtures of the report tests: the season's books on each engine, built once per session.

Reports only read, so the tests of a session share one set of books per engine; a test that
writes opens its own books from ``db_url``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.databases import NoPostgres, database
from tests.factories import example_issuer
from tests.integration.reports.season import Season, play_season
from wsis_funding.services import Tracker, open_tracker


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def season_books(request: pytest.FixtureRequest) -> Iterator[tuple[Tracker, Season, str]]:
    """The season of ``season.py`` played on a fresh database of each engine, and its URL."""
    try:
        with database(request.param) as url, open_tracker(url, issuer=example_issuer()) as t:
            yield t, play_season(t), url
    except NoPostgres as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture
def books(season_books: tuple[Tracker, Season, str]) -> Tracker:
    return season_books[0]


@pytest.fixture
def ids(season_books: tuple[Tracker, Season, str]) -> dict[str, int]:
    return season_books[1].ids


@pytest.fixture
def season_url(season_books: tuple[Tracker, Season, str]) -> str:
    return season_books[2]


@pytest.fixture
def pdf_text(tmp_path: Path) -> Callable[[bytes], str]:
    """Return a function extracting a PDF's text with pdftotext (poppler-utils)."""

    def extract(pdf: bytes) -> str:
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    return extract
