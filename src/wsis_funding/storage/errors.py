"""Errors of opening the books: a URL we cannot use, no books there, a database out of reach.

Each class derives from :class:`wsis_funding.errors.WsisFundingError` and from the builtin
exception that fits. ``url`` is always the URL with its password replaced by ``***``: these
messages end up in logs and on terminals.
"""

from __future__ import annotations

from wsis_funding.errors import WsisFundingError

__all__ = [
    "BooksNotFound",
    "BooksUnavailable",
    "ChainKeyMismatch",
    "ChainKeyRequired",
    "InvalidChainKey",
    "InvalidDatabaseUrl",
]


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


class InvalidChainKey(WsisFundingError, ValueError):
    """A chain key that cannot be used: too short, not bytes, text or a file, or unreadable.

    ``source`` says where it came from (``"chain_key"``, a file name); never the key itself.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"invalid chain key ({source}): {reason}")


class ChainKeyMismatch(WsisFundingError, ValueError):
    """A chain key that is not the one the books declared, or a key for books declared none.

    ``declared`` is the fingerprint the books keep (None: the books have no key), ``given``
    the fingerprint of the key given (None: no key was given). Only fingerprints, never keys.
    """

    def __init__(self, declared: str | None, given: str | None, reason: str) -> None:
        self.declared = declared
        self.given = given
        self.reason = reason
        super().__init__(reason)


class ChainKeyRequired(WsisFundingError, PermissionError):
    """Writing to books whose hash chain is keyed, opened without the key."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        super().__init__(
            f"these books' hash chain is keyed (key fingerprint {fingerprint[:16]}): open them "
            "with chain_key= (the CLI: $WSIS_FUNDING_CHAIN_KEY or --chain-key-file) to change "
            "them; without it they can only be read"
        )
