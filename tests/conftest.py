"""Shared fixtures: a fresh database on each engine for integration tests.

``db_url`` is parametrised over a real SQLite file and a real PostgreSQL database. The
PostgreSQL server is started by ``make test`` (scripts/postgres-up), which exports
``WSIS_TEST_PG_URL``; each test gets its own throw-away database created on that server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "WSIS_TEST_PG_URL"


def _pg_admin_dsn() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(
            f"{PG_ENV} is not set: run the tests with `make test`, or start PostgreSQL with "
            f"scripts/postgres-up and export {PG_ENV}=<the URL it prints>",
            pytrace=False,
        )
    if not url.startswith("postgresql+psycopg://") or any(c.isspace() for c in url):
        pytest.fail(f"{PG_ENV} must be one postgresql+psycopg:// URL, got {url!r}", pytrace=False)
    return url


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL of a brand-new, empty PostgreSQL database, dropped afterwards."""
    import psycopg

    admin = _pg_admin_dsn()
    name = f"wsis_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_libpq(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLAlchemy URL of a new SQLite database file."""
    return f"sqlite:///{tmp_path / 'books.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database on each engine in turn: a SQLite file, then PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url
