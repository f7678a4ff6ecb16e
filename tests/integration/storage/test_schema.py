"""The migrations and the tables describe the same schema, and every hot statement fits it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from wsis_funding.services import open_tracker
from wsis_funding.storage.engine import VERSION_TABLE
from wsis_funding.storage.statements import ALL_STATEMENTS
from wsis_funding.storage.tables import metadata


def test_the_migrated_schema_is_the_tables_metadata(db_url: str) -> None:
    with open_tracker(db_url) as tracker, tracker.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": lambda name, kind, parent: name != VERSION_TABLE,
            },
        )
        assert compare_metadata(context, metadata) == []
        assert set(inspect(conn).get_table_names()) == set(metadata.tables) | {VERSION_TABLE}


def test_every_hot_statement_compiles_from_the_tables_and_runs_on_the_schema(db_url: str) -> None:
    """Each statement is compiled on this dialect and executed (with placeholder values, in a
    transaction rolled back), so a column renamed in the tables or the migrations shows here."""
    import wsis_funding.storage.unit_of_work  # noqa: F401  (defines every statement)

    assert len(ALL_STATEMENTS) >= 10
    with open_tracker(db_url) as tracker, tracker.engine.connect() as conn:
        for statement in ALL_STATEMENTS:
            compiled = statement.compiled(conn.dialect)
            assert compiled.sql.count("?" if conn.dialect.name == "sqlite" else "%s") == len(
                compiled.names
            ), statement
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            savepoint = conn.begin_nested() if conn.in_transaction() else conn.begin()
            failure = ""
            try:
                cursor.execute(compiled.sql, tuple(None for _ in compiled.names))
            except Exception as exc:  # only constraint failures are expected (NULL values)
                failure = str(exc).lower()
            finally:
                savepoint.rollback()
            # NULL where a value is required is refused: by a NOT NULL constraint, or by the
            # trigger that keeps running totals integers on SQLite.
            refused = "null" in failure or "running total out of range" in failure
            assert failure == "" or refused, (statement, failure)
