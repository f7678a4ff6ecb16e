"""Engines and schema: SQLite pragmas and BEGIN IMMEDIATE, Alembic upgrades run in code.

SQLite gets foreign keys, WAL and ``BEGIN IMMEDIATE`` for every transaction (SQLAlchemy's
documented recipe: the driver's own transaction handling is switched off and the "begin"
event emits the BEGIN), so two writers never deadlock on a lock upgrade. The schema is created
or upgraded by the migrations shipped in ``storage/migrations``, with their own version table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

__all__ = ["READ_ONLY", "VERSION_TABLE", "make_engine", "upgrade_schema"]

READ_ONLY = "wsis_funding_read_only"
"""Execution option: a transaction that only reads (SQLite then begins DEFERRED)."""

VERSION_TABLE = "wsis_funding_alembic_version"
_SCRIPT_LOCATION = "wsis_funding.storage:migrations"


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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (``sqlite:///books.db`` or ``postgresql+psycopg://...``).

    SQLite connections get foreign keys on, WAL and BEGIN IMMEDIATE. Raises
    ``sqlalchemy.exc.ArgumentError`` for a malformed URL and ``TypeError`` if it is not a str.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__} ({url!r})")
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _sqlite_hooks(engine)
    return engine


def upgrade_schema(engine: Engine) -> None:
    """Create or upgrade the ledger schema to the newest migration, in one transaction.

    Runs the packaged Alembic migrations with the version table ``wsis_funding_alembic_version``;
    tables of a host application are not touched. Raises ``sqlalchemy.exc.DBAPIError`` on
    database errors, leaving the schema as it was.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", _SCRIPT_LOCATION)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Two processes opening a new database at once must not both create the schema.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7157432215)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
