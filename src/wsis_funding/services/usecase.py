"""Use cases as methods: the facade's methods are derived from the use-case functions.

A use case is a function ``(uow, *args, **kwargs)`` of a unit of work and plain values. Wrapped
in :class:`UseCase` and set as an attribute of a :class:`UseCases` class, it becomes a method
with the function's own signature minus the unit of work, and its docstring: the facade never
restates a signature, so the two cannot drift, and mypy checks every call against the function.
How the method runs (a transaction of its own, or inside an open one) is the facade's choice.
"""

from __future__ import annotations

import abc
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["UseCase", "UseCases"]

P = ParamSpec("P")
R = TypeVar("R")

Prepare = Callable[..., Callable[[], None] | None]
"""Reads what a use case will do, in a read-only unit of work, and returns the slow work that
needs no lock (rendering a document), to be done before the use case's own transaction."""


class UseCase(Generic[P, R]):
    """A use-case function exposed as a method of a :class:`UseCases` facade.

    ``writes`` says whether it runs in a writing transaction (which locks the journal head).
    ``prepare``, if given, takes the same arguments and returns work to do outside any lock.
    """

    def __init__(
        self,
        fn: Callable[Concatenate[UnitOfWork, P], R],
        *,
        writes: bool,
        prepare: Callable[Concatenate[UnitOfWork, P], Callable[[], None] | None] | None = None,
    ) -> None:
        """Wrap ``fn``."""
        self.fn = fn
        self.writes = writes
        self.prepare = prepare
        self.name = fn.__name__
        signature = inspect.signature(fn)
        self._signature = signature.replace(parameters=list(signature.parameters.values())[1:])

    def __set_name__(self, owner: type, name: str) -> None:
        """Remember the attribute name the use case is known by."""
        self.name = name

    @overload
    def __get__(
        self, obj: None, owner: type | None = None
    ) -> Callable[Concatenate[UnitOfWork, P], R]: ...

    @overload
    def __get__(self, obj: UseCases, owner: type | None = None) -> Callable[P, R]: ...

    def __get__(self, obj: UseCases | None, owner: type | None = None) -> Any:
        """On the class, the use-case function itself; on a facade, the bound method."""
        if obj is None:
            return self.fn

        run = obj._run

        def method(*args: P.args, **kwargs: P.kwargs) -> R:
            return run(self, args, kwargs)

        functools.update_wrapper(method, self.fn)
        method.__name__ = self.name
        method.__signature__ = self._signature  # type: ignore[attr-defined]
        del method.__wrapped__  # type: ignore[attr-defined]
        # A non-data descriptor: the bound method kept on the instance answers next time.
        obj.__dict__[self.name] = method
        return method


class UseCases(abc.ABC):
    """A facade whose methods are :class:`UseCase` attributes; subclasses say how to run one."""

    @abc.abstractmethod
    def _run(
        self, use_case: UseCase[Any, R], args: tuple[Any, ...], kwargs: Mapping[str, Any]
    ) -> R:
        """Run ``use_case`` with ``args`` and ``kwargs`` and return its result."""
