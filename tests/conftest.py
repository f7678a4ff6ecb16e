"""Fixtures: a fresh database on each engine for integration tests (helpers live elsewhere).

``db_url`` is parametrised over a real SQLite file and a real PostgreSQL database (see
``tests/databases.py``). Builders of partners, editions, pledges and books are in
``tests/factories.py``; nothing is imported from a conftest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.databases import NoPostgres, postgres_database, sqlite_database


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL of a brand-new, empty PostgreSQL database, dropped afterwards."""
    try:
        with postgres_database() as url:
            yield url
    except NoPostgres as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture
def sqlite_url() -> Iterator[str]:
    """A SQLAlchemy URL of a new SQLite database file."""
    with sqlite_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database on each engine in turn: a SQLite file, then PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url
