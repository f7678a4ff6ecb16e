"""The driver cursor of the connection a unit of work holds, with the dialects' small differences.

The hot statements (:mod:`wsis_funding.storage.statements`) run here, on the DB-API cursor of
the SQLAlchemy connection, inside its transaction. SQLite stores dates as ISO text (what
SQLAlchemy's ``Date`` writes and reads there); PostgreSQL takes and returns dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from wsis_funding.storage.statements import Params, Statement

__all__ = ["Driver"]


class Driver:
    """The driver cursor of one SQLAlchemy connection, with the dialect's small differences."""

    __slots__ = ("cursor", "dialect", "errors", "native_dates", "sqlite")

    def __init__(self, conn: Connection) -> None:
        """Open a driver cursor on ``conn``; the caller's transaction must already be begun."""
        self.dialect = conn.dialect
        self.sqlite = conn.dialect.name == "sqlite"
        self.native_dates = not self.sqlite
        self.cursor: Any = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        self.errors: type[Exception] = conn.dialect.loaded_dbapi.Error
        """The driver's root exception class (``sqlite3.Error``, ``psycopg.Error``)."""

    def day(self, value: dt.date) -> Any:
        """Return a date as the driver stores it (ISO text on SQLite)."""
        return value if self.native_dates else value.isoformat()

    def opt_day(self, value: dt.date | None) -> Any:
        """Return an optional date as the driver stores it."""
        if value is None or self.native_dates:
            return value
        return value.isoformat()

    def read_day(self, value: Any) -> dt.date | None:
        """Return a date column as read from the driver (ISO text on SQLite) as a date."""
        if value is None or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(value)

    def read_date(self, value: Any) -> dt.date:
        """Return a date column that is never NULL, as read from the driver, as a date."""
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(value)

    def one(self, statement: Statement, values: Params = ()) -> Any:
        """Execute a query and return its first row, or None."""
        compiled = statement.compiled(self.dialect)
        cur = self.cursor
        cur.execute(compiled.sql, compiled.params(values))
        return cur.fetchone()

    def all(self, statement: Statement, values: Params = ()) -> list[Any]:
        """Execute a query and return all its rows."""
        compiled = statement.compiled(self.dialect)
        cur = self.cursor
        cur.execute(compiled.sql, compiled.params(values))
        rows: list[Any] = cur.fetchall()
        return rows

    def run(self, statement: Statement, values: Params = ()) -> None:
        """Execute a statement that returns nothing."""
        compiled = statement.compiled(self.dialect)
        self.cursor.execute(compiled.sql, compiled.params(values))

    def many(self, statement: Statement, rows: Sequence[Params]) -> None:
        """Execute a statement once per row (mappings, or tuples in its names' order)."""
        if rows:
            compiled = statement.compiled(self.dialect)
            if isinstance(rows[0], tuple):  # in the statement's declared order
                compiled.params(rows[0])  # refuses tuples for a statement without one
                self.cursor.executemany(compiled.sql, rows)
            else:
                self.cursor.executemany(compiled.sql, [compiled.params(r) for r in rows])
