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

import operator
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
    ordered: bool = False
    """Whether the statement declared its bind order, so that callers may pass tuples."""
    _pick: Callable[[Mapping[str, Any]], Any] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # itemgetter builds the tuple in C: a per-row generator cost more than the statement.
        pick: Callable[[Mapping[str, Any]], Any]
        if not self.names:
            pick = lambda values: ()  # noqa: E731
        elif len(self.names) == 1:
            only = self.names[0]
            pick = lambda values: (values[only],)  # noqa: E731
        else:
            pick = operator.itemgetter(*self.names)
        object.__setattr__(self, "_pick", pick)

    def params(self, values: Params) -> tuple[Any, ...]:
        """Return ``values`` as a tuple in placeholder order (a tuple is taken as it is)."""
        if isinstance(values, tuple):
            if not self.ordered and values:
                raise TypeError(f"pass a mapping: this statement declares no bind order {self}")
            return values
        if self.fixed:
            values = {**self.fixed, **values}
        result: tuple[Any, ...] = self._pick(values)
        return result


ALL_STATEMENTS: list[Statement] = []
"""Every hot statement defined in the storage slice (for the test that compiles them all)."""


class Statement:
    """A Core statement compiled lazily, once per dialect, and cached.

    ``build`` receives the dialect name and returns the Core statement, so that dialect-specific
    constructs (``INSERT ... ON CONFLICT``) come from SQLAlchemy's own dialect modules.
    """

    __slots__ = ("_build", "_cache", "name", "order")

    def __init__(
        self,
        name: str,
        build: Callable[[str], ClauseElement],
        *,
        order: tuple[str, ...] | None = None,
    ) -> None:
        """Register the statement ``name`` built by ``build(dialect_name)``.

        ``order`` declares the bind names in placeholder order, for callers that pass tuples
        on a hot path; compiling checks that SQLAlchemy agrees (or raises ``AssertionError``).
        """
        self.name = name
        self._build = build
        self.order = order
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
            if self.order is not None and (names != self.order or fixed):
                raise AssertionError(f"{self.name}: binds {names}, declared {self.order}")
            found = self._cache[dialect.name] = Compiled(
                compiled.string, names, fixed, ordered=self.order is not None
            )
        return found

    def names(self, dialect: Dialect) -> tuple[str, ...]:
        """Return the bind names in placeholder order for ``dialect``."""
        return self.compiled(dialect).names

    def __repr__(self) -> str:
        """Name the statement."""
        return f"<Statement {self.name}>"
