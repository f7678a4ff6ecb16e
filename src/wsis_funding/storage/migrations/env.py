"""Alembic environment of the wsis-funding ledger, run programmatically by :mod:`schema`.

The caller passes an open SQLAlchemy connection in ``config.attributes["connection"]``; the
version table is ``wsis_funding_alembic_version`` so a host application's own migrations and
version table are left alone.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

VERSION_TABLE = "wsis_funding_alembic_version"


def _run(connection: Connection) -> None:
    context.configure(connection=connection, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("wsis-funding migrations run only through wsis_funding.storage.engine")
_run(_connection)
