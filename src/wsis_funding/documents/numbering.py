"""Gapless document numbers per series and calendar year: ``WSIS-2024-0001``.

A number is taken in the same transaction that stores the document, from a counter row that
the UPDATE locks (PostgreSQL row lock; on SQLite the whole write transaction is serialised by
``BEGIN IMMEDIATE``). If the transaction rolls back, the counter rolls back with it, so a
failed issue leaves no hole. The unique constraint on (series, year, seq) stands behind it.
"""

from __future__ import annotations

import attrs
from sqlalchemy import update
from sqlalchemy.engine import Connection

from wsis_funding.storage.document_tables import document_counters

__all__ = ["DocumentNumber", "format_number", "take_number"]


@attrs.frozen
class DocumentNumber:
    """A number taken from a series: its parts and the printed form."""

    series: str
    year: int
    seq: int

    @property
    def text(self) -> str:
        """The printed number, ``{series}-{year}-{seq:04d}``."""
        return format_number(self.series, self.year, self.seq)


def format_number(series: str, year: int, seq: int) -> str:
    """Format a document number: ``format_number("WSIS", 2024, 1) == "WSIS-2024-0001"``."""
    return f"{series}-{year}-{seq:04d}"


def take_number(conn: Connection, series: str, year: int) -> DocumentNumber:
    """Take the next number of ``series`` for ``year`` inside the caller's transaction.

    The caller stores the document in the same transaction; rolling back gives the number back.
    """
    bump = (
        update(document_counters)
        .where(document_counters.c.series == series, document_counters.c.year == year)
        .values(last_seq=document_counters.c.last_seq + 1)
        .returning(document_counters.c.last_seq)
    )
    bumped = conn.execute(bump).scalar_one_or_none()
    if bumped is None:
        _create_counter(conn, series, year)
        bumped = conn.execute(bump).scalar_one()
    return DocumentNumber(series, year, int(bumped))


def _create_counter(conn: Connection, series: str, year: int) -> None:
    """Insert the counter row at zero unless a concurrent transaction already did."""
    values = {"series": series, "year": year, "last_seq": 0}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(document_counters).values(values).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(document_counters).values(values).on_conflict_do_nothing())
