"""Hot statements: built from the ``Table`` objects, compiled once per dialect, run on the cursor.

Building, caching and executing a Core statement costs tens of microseconds per call, more than
the database needs for a one-row insert, so the few statements of the posting, payment and
locking paths are compiled once per dialect (SQLAlchemy's own compiler, from the tables of
:mod:`wsis_funding.storage.tables`) and executed on the driver cursor of the connection that
the unit of work already holds, inside the same transaction. Nothing here is typed by hand:
a column renamed in the tables renames it in the statement, and a test compiles every
statement on both dialects against the migrated schema.

Values are passed as the driver stores them (see :class:`wsis_funding.storage.driver.Driver`):
SQLite keeps dates as ISO text, which SQLAlchemy's type processing would otherwise do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

__all__ = ["ALL_STATEMENTS", "Compiled", "Params", "Statement"]


Params = Mapping[str, Any] | tuple[Any, ...]
"""Statement parameters: by bind name, or a tuple already in the statement's ``names`` order."""


@attrs.frozen
class Compiled:
    """A statement's SQL with positional placeholders, and the order of its bind names.

    ``fixed`` holds the values of the statement's own constants (``status = 'confirmed'``),
    which callers do not pass. Write a list of constants as ``or_(col == a, col == b)``: an
    ``IN`` list is an expanding parameter that would have to be rendered per call.
    """

    sql: str
    names: tuple[str, ...]
    fixed: Mapping[str, Any] = attrs.field(factory=dict)

    def params(self, values: Params) -> tuple[Any, ...]:
        """Return ``values`` as a tuple in placeholder order (a tuple is taken as it is)."""
        if isinstance(values, tuple):
            return values
        fixed = self.fixed
        if not fixed:
            return tuple(values[n] for n in self.names)
        return tuple(fixed[n] if n in fixed else values[n] for n in self.names)


ALL_STATEMENTS: list[Statement] = []
"""Every hot statement defined in the storage slice (for the test that compiles them all)."""


class Statement:
    """A Core statement compiled lazily, once per dialect, and cached.

    ``build`` receives the dialect name and returns the Core statement, so that dialect-specific
    constructs (``INSERT ... ON CONFLICT``) come from SQLAlchemy's own dialect modules.
    """

    __slots__ = ("_build", "_cache", "name")

    def __init__(self, name: str, build: Callable[[str], ClauseElement]) -> None:
        """Register the statement ``name`` built by ``build(dialect_name)``."""
        self.name = name
        self._build = build
        self._cache: dict[str, Compiled] = {}
        ALL_STATEMENTS.append(self)

    def compiled(self, dialect: Dialect) -> Compiled:
        """Return the statement compiled for ``dialect`` (cached per dialect name).

        Placeholders are always positional (``?`` for sqlite3, ``%s`` for psycopg), so that
        bulk rows can be handed to ``executemany`` as tuples without building a mapping each.
        """
        found = self._cache.get(dialect.name)
        if found is None:
            target: Any = dialect
            if not dialect.positional:
                target = type(dialect)(paramstyle="format")  # type: ignore[call-arg]
            compiled = self._build(dialect.name).compile(dialect=target)
            assert isinstance(compiled, SQLCompiler)
            fixed = {
                name: bind.value
                for name, bind in compiled.binds.items()
                if bind.value is not None and not bind.required
            }
            names = tuple(compiled.positiontup or ())
            fixed = {n: fixed[n] for n in names if n in fixed}
            found = self._cache[dialect.name] = Compiled(compiled.string, names, fixed)
        return found

    def names(self, dialect: Dialect) -> tuple[str, ...]:
        """Return the bind names in placeholder order for ``dialect``."""
        return self.compiled(dialect).names

    def __repr__(self) -> str:
        """Name the statement."""
        return f"<Statement {self.name}>"
