"""Errors of opening the books: a URL we cannot use, no books there, a database out of reach.

Each class derives from :class:`wsis_funding.errors.WsisFundingError` and from the builtin
exception that fits. ``url`` is always the URL with its password replaced by ``***``: these
messages end up in logs and on terminals.
"""

from __future__ import annotations

from wsis_funding.errors import WsisFundingError

__all__ = ["BooksNotFound", "BooksUnavailable", "InvalidDatabaseUrl"]


class InvalidDatabaseUrl(WsisFundingError, ValueError):
    """A database URL that cannot be parsed, or names a database or driver we do not support.

    Only SQLite (``sqlite:///PATH``) and PostgreSQL through psycopg
    (``postgresql+psycopg://USER:PASSWORD@HOST/DATABASE``) are supported.
    """

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"invalid database URL {url!r}: {reason}")


class BooksNotFound(WsisFundingError, LookupError):
    """Books opened without creating them (``create=False``) that do not exist at the URL.

    A SQLite file that is not there, a folder, a file that is not a database, or a database
    without the books' schema (no ``wsis_funding_alembic_version`` table).
    """

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"no books at {url}: {reason}")


class BooksUnavailable(WsisFundingError, ConnectionError):
    """The database at the URL cannot be reached or opened.

    An unreachable server, a wrong password, a database missing on the server, a SQLite file
    that cannot be opened or created, books written by a newer wsis-funding.
    """

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot open the books at {url}: {reason}")
