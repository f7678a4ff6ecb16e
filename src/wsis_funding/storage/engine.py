"""Engines and schema: database URLs checked, books opened honestly, migrations run in code.

Only SQLite (``sqlite:///PATH``) and PostgreSQL through psycopg
(``postgresql+psycopg://USER:PASSWORD@HOST/DATABASE``; plain ``postgresql://`` means psycopg
too) are supported; any other URL is :class:`InvalidDatabaseUrl` before a driver is imported.
:func:`open_engine` opens the books, creating them or not: a database error while doing so
becomes :class:`BooksUnavailable` (or :class:`BooksNotFound`), never a raw driver exception,
and no message ever shows the password.

SQLite gets foreign keys, WAL and ``BEGIN IMMEDIATE`` for every transaction (SQLAlchemy's
documented recipe: the driver's own transaction handling is switched off and the "begin"
event emits the BEGIN), so two writers never deadlock on a lock upgrade. The schema is created
or upgraded by the migrations shipped in ``storage/migrations``, with their own version table.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.util import asbool

from wsis_funding.storage.errors import BooksNotFound, BooksUnavailable, InvalidDatabaseUrl

__all__ = [
    "READ_ONLY",
    "SUPPORTED_URLS",
    "VERSION_TABLE",
    "database_errors",
    "database_url",
    "make_engine",
    "open_engine",
    "redact",
    "upgrade_schema",
]

READ_ONLY = "wsis_funding_read_only"
"""Execution option: a transaction that only reads (SQLite then begins DEFERRED)."""

VERSION_TABLE = "wsis_funding_alembic_version"
SUPPORTED_URLS = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"
_SCRIPT_LOCATION = "wsis_funding.storage:migrations"
# Options pysqlite takes from the URL; isolation_level is left out: the hooks below own BEGIN.
_SQLITE_OPTIONS = frozenset(
    {"timeout", "uri", "detect_types", "check_same_thread", "cached_statements"}
)
# Without it libpq waits for an unreachable host as long as the operating system lets it.
_PG_CONNECT_TIMEOUT = 10


def redact(url: str | URL) -> str:
    """Return ``url`` as text with its password (also a ``password=`` option) shown as ``***``."""
    if isinstance(url, str):
        text = url
        try:
            if not _is_text(text):
                raise ValueError(text)
            url = make_url(text)
        except (sa_exc.ArgumentError, ValueError):
            text = re.sub(r"(://[^/@:]*):[^@/]*@", r"\1:***@", text)
            return re.sub(r"(password=)[^&]*", r"\1***", text, flags=re.IGNORECASE)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url.render_as_string(hide_password=True))


def _is_text(value: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in value)


def database_url(url: str) -> URL:
    """Parse and check a database URL; return it with psycopg as PostgreSQL's driver.

    Raises ``TypeError`` if ``url`` is not a str and :class:`InvalidDatabaseUrl` for one that
    cannot be parsed, names another database or driver, or has options SQLite does not take.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    if not _is_text(url):
        raise InvalidDatabaseUrl(redact(url), "it contains control characters or invalid text")
    try:
        parsed = make_url(url)
    except (sa_exc.ArgumentError, ValueError) as e:
        if "://" not in url:
            hint = (
                f"for a SQLite file write sqlite:///{url}"
                if url.strip()
                else f"use {SUPPORTED_URLS}"
            )
            reason = f"not a database URL ({hint})"
        elif isinstance(e, ValueError):
            reason = "the port must be a number"
        else:
            reason = f"not a database URL (expected {SUPPORTED_URLS})"
        raise InvalidDatabaseUrl(redact(url), reason) from None
    shown = redact(parsed)
    backend = parsed.get_backend_name()  # the driver's name would import the dialect
    if backend == "sqlite" and parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        if parsed.username or parsed.password or parsed.host or parsed.port:
            raise InvalidDatabaseUrl(
                shown, "a SQLite URL has no user, password or host: write sqlite:///relative.db "
                "or sqlite:////absolute/path.db"
            )  # fmt: skip
        unknown = sorted(set(parsed.query) - _SQLITE_OPTIONS)
        if not _sqlite_uri(parsed, shown) and unknown:
            raise InvalidDatabaseUrl(shown, f"unknown SQLite option(s): {', '.join(unknown)}")
        if isinstance(parsed.query.get("mode"), tuple):
            raise InvalidDatabaseUrl(shown, "the mode option is given more than once")
        return parsed
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgresql+psycopg"):
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise InvalidDatabaseUrl(shown, f"port {parsed.port} is out of range")
        return parsed.set(drivername="postgresql+psycopg")
    raise InvalidDatabaseUrl(
        shown, f"unsupported database or driver {parsed.drivername!r}: use {SUPPORTED_URLS}"
    )


def _sqlite_uri(url: URL, shown: str | None = None) -> bool:
    """Whether a SQLite URL's database is a ``file:`` URI (the ``uri=true`` option)."""
    value = url.query.get("uri", "false")
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return asbool(value)
    except ValueError:
        where = shown if shown is not None else redact(url)
        raise InvalidDatabaseUrl(where, f"uri={value!r} is not one of true or false") from None


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Hand transaction control to the "begin" hook below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Readers take no write lock: under WAL they see the last commit and never block.
        # Straight to the driver: exec_driver_sql would cost a third of a short write.
        begin = "BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE"
        conn.connection.driver_connection.execute(begin)  # type: ignore[union-attr]


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (``sqlite:///books.db`` or ``postgresql+psycopg://...``).

    SQLite connections get foreign keys on, WAL and BEGIN IMMEDIATE; PostgreSQL connections
    give up after 10 seconds unless the URL sets ``connect_timeout``. Nothing is connected
    yet. Raises :class:`InvalidDatabaseUrl` and ``TypeError`` as :func:`database_url` does.
    """
    parsed = url if isinstance(url, URL) else database_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args = {"connect_timeout": _PG_CONNECT_TIMEOUT, **kwargs.pop("connect_args", {})}
        kwargs["connect_args"] = connect_args
    try:
        engine = create_engine(parsed, **kwargs)
    except (sa_exc.ArgumentError, ValueError) as e:
        raise InvalidDatabaseUrl(redact(parsed), _reason(e, parsed)) from None
    if engine.dialect.name == "sqlite":
        _sqlite_hooks(engine)
    return engine


def _reason(error: BaseException, url: URL | None) -> str:
    """Return the driver's own words for ``error`` on one line, without the password."""
    orig = getattr(error, "orig", None) or error
    text = " ".join(str(orig).split())
    text = text.removeprefix("connection failed: ")
    secrets = [] if url is None else [url.password, url.query.get("password")]
    for secret in secrets:
        for value in [secret] if isinstance(secret, str) else secret or ():
            if value:
                text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "***", text)
    return text


@contextmanager
def database_errors(url: str | URL) -> Iterator[None]:
    """Turn a database error raised in the block into :class:`BooksUnavailable` for ``url``."""
    parsed = url if isinstance(url, URL) else make_url(url)
    try:
        yield
    except sa_exc.DBAPIError as e:
        raise BooksUnavailable(redact(parsed), _reason(e, parsed)) from None


def _sqlite_path(url: URL) -> Path | None:
    """Return the file of a SQLite URL (relative to the working folder); None: in memory."""
    database = url.database or ""
    if _sqlite_uri(url):
        if url.query.get("mode") == "memory":
            return None
        database = unquote(urlsplit(database).path) if database.startswith("file:") else database
    return None if database in ("", ":memory:") else Path(database)


def _sqlite_probe(path: Path | None, shown: str) -> None:
    """Check, without writing a byte, that a SQLite file holds books; raise BooksNotFound."""
    if path is None:
        raise BooksNotFound(shown, "an in-memory database holds no books until they are created")
    where = os.path.abspath(path)
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as e:
        raise BooksUnavailable(shown, f"{where}: {e.strerror}") from None
    if not exists:
        raise BooksNotFound(shown, f"{where} does not exist")
    if is_dir:
        raise BooksNotFound(shown, f"{where} is a folder, not a database file")
    try:
        # Read-only, so that neither a missing file nor a stranger's database is touched.
        conn = sqlite3.connect(f"file:{quote(os.fsencode(where))}?mode=ro", uri=True)
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise BooksNotFound(shown, f"{where} is not a SQLite database") from None
        raise BooksUnavailable(shown, f"{where}: {e}") from None
    if found is None:
        raise BooksNotFound(shown, f"{where} holds no books (no table {VERSION_TABLE})")


def _sqlite_existing_only(url: URL, path: Path) -> URL:
    """``url`` opened read-write without ever creating the file (SQLite's ``mode=rw``)."""
    if _sqlite_uri(url):
        return url if "mode" in url.query else url.update_query_dict({"mode": "rw"})
    where = quote(os.fsencode(os.path.abspath(path)))
    return url.set(database=f"file:{where}").update_query_dict({"uri": "true", "mode": "rw"})


def _sqlite_creatable(path: Path | None, shown: str) -> None:
    if path is None:
        return
    where = os.path.abspath(path)
    folder = os.path.dirname(where)
    if os.path.isdir(where):
        raise BooksUnavailable(shown, f"{where} is a folder, not a database file")
    if not os.path.isdir(folder):
        state = "is not a folder" if os.path.exists(folder) else "does not exist"
        raise BooksUnavailable(shown, f"cannot create {where}: {folder} {state}")


def open_engine(url: str, *, create: bool) -> Engine:
    """Open the books at ``url`` and bring their schema up to date; return the engine.

    With ``create`` False, books that do not exist are refused and nothing is created: a
    SQLite file that is not there (the file is not made), a folder, a file that is not a
    database, a database without the books' version table. Raises :class:`BooksNotFound`,
    :class:`BooksUnavailable` (unreachable server, wrong password, database missing on the
    server, a file that cannot be opened or created, books from a newer wsis-funding),
    :class:`InvalidDatabaseUrl` and ``TypeError`` (see :func:`database_url`).
    """
    parsed = database_url(url)
    shown = redact(parsed)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(parsed)
        if create:
            _sqlite_creatable(path, shown)
        else:
            _sqlite_probe(path, shown)
            assert path is not None
            parsed = _sqlite_existing_only(parsed, path)
    engine = make_engine(parsed)
    try:
        with database_errors(parsed):
            try:
                conn = engine.connect()
            except sa_exc.ProgrammingError as e:  # psycopg: an option libpq does not know
                raise InvalidDatabaseUrl(shown, _reason(e, parsed)) from None
            with conn:
                if not create and not inspect(conn).has_table(VERSION_TABLE):
                    raise BooksNotFound(shown, f"the database has no table {VERSION_TABLE}")
            upgrade_schema(engine, shown=shown)
    except BaseException:
        engine.dispose()
        raise
    return engine


def upgrade_schema(engine: Engine, *, shown: str | None = None) -> None:
    """Create or upgrade the ledger schema to the newest migration, in one transaction.

    Runs the packaged Alembic migrations with the version table ``wsis_funding_alembic_version``;
    tables of a host application are not touched. Raises :class:`BooksUnavailable` (naming
    ``shown``, the URL without its password) for books whose schema revision this version does
    not know, and ``sqlalchemy.exc.DBAPIError`` on database errors, leaving the schema as it was.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", _SCRIPT_LOCATION)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Two processes opening a new database at once must not both create the schema.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7157432215)")
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except (CommandError, RevisionError) as e:
            where = shown if shown is not None else redact(engine.url)
            raise BooksUnavailable(
                where, f"the books were written by a newer wsis-funding ({_reason(e, None)})"
            ) from None
