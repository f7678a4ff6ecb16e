"""The one place that makes throw-away databases: a SQLite file, or a PostgreSQL database.

The PostgreSQL server is started by ``make test`` (scripts/postgres-up), which exports
``WSIS_TEST_PG_URL``, the URL of a database its role may create databases beside. Tests, the
Hypothesis state machines and the benchmarks get their databases from here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_ENV = "WSIS_TEST_PG_URL"


class NoPostgres(RuntimeError):
    """``WSIS_TEST_PG_URL`` is missing or is not one postgresql+psycopg:// URL."""


def pg_admin_url() -> str:
    """Return the server's SQLAlchemy URL from ``WSIS_TEST_PG_URL``; raise :class:`NoPostgres`."""
    url = os.environ.get(PG_ENV)
    if not url:
        raise NoPostgres(
            f"{PG_ENV} is not set: run the tests with `make test`, or start PostgreSQL with "
            f"scripts/postgres-up and export {PG_ENV}=<the URL it prints>"
        )
    if not url.startswith("postgresql+psycopg://") or any(c.isspace() for c in url):
        raise NoPostgres(f"{PG_ENV} must be one postgresql+psycopg:// URL, got {url!r}")
    return url


def libpq(url: str) -> str:
    """Return a SQLAlchemy psycopg URL as a libpq connection string."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def postgres_database(prefix: str = "wsis_t") -> Iterator[str]:
    """Create a brand-new, empty PostgreSQL database; yield its URL; drop it afterwards."""
    import psycopg

    admin = pg_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(libpq(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def sqlite_database() -> Iterator[str]:
    """Yield the URL of a new SQLite file in a temporary folder, removed afterwards."""
    folder = tempfile.mkdtemp()
    try:
        yield f"sqlite:///{folder}/books.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def database(engine: str) -> Iterator[str]:
    """Yield the URL of a new database on ``engine`` ("sqlite" or "postgresql")."""
    with sqlite_database() if engine == "sqlite" else postgres_database() as url:
        yield url
