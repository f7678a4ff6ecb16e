"""Alembic migrations of the wsis-funding schema, run in code by ``ledger.schema``."""
