"""Persistence: the only code that spells SQL.

Tables on one MetaData (:mod:`.tables`), the Alembic migrations that create them
(``migrations/``), engines (:mod:`.engine`), the repositories, the hot statements compiled from
the tables once per dialect (:mod:`.statements`), and the unit of work that holds a transaction
and its repositories (:mod:`.unit_of_work`). Importing this package imports nothing;
its modules import SQLAlchemy.
"""
