"""Database URLs are checked before any driver is imported, and never shown with a password."""

from __future__ import annotations

import pytest

from wsis_funding.storage.engine import database_url, redact
from wsis_funding.storage.errors import InvalidDatabaseUrl


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://user:S3cret-pw@db/books", "unsupported database or driver 'mysql'"),
        ("postgressql://user:S3cret-pw@db/books", "unsupported database or driver 'postgressql'"),
        ("postgres://user:S3cret-pw@db/books", "unsupported database or driver 'postgres'"),
        ("postgresql+psycopg2://user:S3cret-pw@db/books", "'postgresql+psycopg2'"),
        ("sqlite+aiosqlite:///books.db", "'sqlite+aiosqlite'"),
        ("sqllite:///books.db", "'sqllite'"),
        ("garbage", "for a SQLite file write sqlite:///garbage"),
        ("out/demo.db", "for a SQLite file write sqlite:///out/demo.db"),
        ("", "use sqlite:///PATH or postgresql+psycopg://"),
        ("sqlite://books.db", "a SQLite URL has no user, password or host"),
        ("sqlite:///books.db?colour=blue", "unknown SQLite option(s): colour"),
        ("sqlite:///books.db?uri=maybe", "is not one of true or false"),
        ("postgresql+psycopg://user:S3cret-pw@db:http/books", "the port must be a number"),
        ("postgresql+psycopg://user:S3cret-pw@db:99999/books", "port 99999 is out of range"),
        ("postgresql+psycopg://user:S3cret-pw@db/bo\x00oks", "control characters"),
        ("sqlite:///bo\udcffoks.db", "invalid text"),
    ],
)
def test_a_url_we_cannot_use_is_refused_naming_why_without_the_password(
    url: str, fragment: str
) -> None:
    with pytest.raises(InvalidDatabaseUrl) as caught:
        database_url(url)
    message = str(caught.value)
    assert fragment in message
    assert "S3cret-pw" not in message
    assert isinstance(caught.value, ValueError)
    message.encode("utf-8")  # printable: invalid text is shown escaped


def test_a_url_that_is_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="url must be a str, not bytes"):
        database_url(b"sqlite:///books.db")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///books.db", "sqlite"),
        ("sqlite+pysqlite:///books.db", "sqlite+pysqlite"),
        ("sqlite://", "sqlite"),
        ("sqlite:///file:books.db?uri=true&mode=ro", "sqlite"),
        ("postgresql://user:pw@db/books", "postgresql+psycopg"),
        ("postgresql+psycopg://user:pw@db:5433/books?sslmode=require", "postgresql+psycopg"),
    ],
)
def test_sqlite_and_postgresql_through_psycopg_are_accepted(url: str, driver: str) -> None:
    assert database_url(url).drivername == driver


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://user:S3cret-pw@db/books", "postgresql+psycopg://user:***@db/books"),
        ("postgresql+psycopg://user@db/books?password=S3cret-pw", "password=***"),
        ("postgresql+psycopg://user:S3cret-pw@db:port/books", "user:***@db:port/books"),
        ("sqlite:///books.db", "sqlite:///books.db"),
    ],
)
def test_redact_hides_the_password_wherever_it_is_given(url: str, shown: str) -> None:
    assert shown in redact(url)
    assert "S3cret-pw" not in redact(url)
