"""Hot statements run on the DB-API connection that SQLAlchemy already holds for a transaction.

Building, caching and executing a Core statement costs tens of microseconds per call, more than
the database needs for a one-row insert. The few statements of the posting and payment paths are
therefore written once as SQL text (``?`` placeholders, translated for psycopg) and executed on
the driver cursor of the connection, inside the same transaction. SQLite stores dates as ISO
text (what SQLAlchemy's ``Date`` writes and reads there); PostgreSQL takes and returns dates.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

__all__ = ["Driver"]


@lru_cache(maxsize=256)
def _pyformat(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class Driver:
    """The driver cursor of one SQLAlchemy connection, with the dialect's small differences."""

    __slots__ = ("cursor", "native_dates", "sqlite")

    def __init__(self, conn: Connection) -> None:
        """Open a driver cursor on ``conn``; the caller's transaction must already be begun."""
        self.sqlite = conn.dialect.name == "sqlite"
        self.native_dates = not self.sqlite
        self.cursor: Any = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def sql(self, text: str) -> str:
        """Return ``text`` (written with ``?`` placeholders) in the driver's parameter style."""
        return text if self.sqlite else _pyformat(text)

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

    def one(self, text: str, params: tuple[Any, ...] = ()) -> Any:
        """Execute a query and return its first row, or None."""
        cur = self.cursor
        cur.execute(self.sql(text), params)
        return cur.fetchone()

    def all(self, text: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Execute a query and return all its rows."""
        cur = self.cursor
        cur.execute(self.sql(text), params)
        rows: list[Any] = cur.fetchall()
        return rows

    def run(self, text: str, params: tuple[Any, ...] = ()) -> None:
        """Execute a statement that returns nothing."""
        self.cursor.execute(self.sql(text), params)

    def many(self, text: str, rows: list[tuple[Any, ...]]) -> None:
        """Execute a statement once per row, with the driver's executemany."""
        if rows:
            self.cursor.executemany(self.sql(text), rows)
