"""A read-only view of a parsed element whose children are found through dictionaries.

lxml's ``find``, ``findtext`` and ``iterfind`` go through ElementPath, in Python, at a few
microseconds a call, and an entry is read with some thirty of them: that was most of the
time a statement took to read. :class:`Indexed` groups an element's children by tag once, the
first time it is asked, so that a path is a few dictionary look-ups.

It offers the part of the element interface the readers use (``find``, ``findtext``,
``findall``, ``iterfind``, ``get``, ``tag``, ``text`` and iteration over the children),
with the same results for their paths: ``/``-separated qualified tags, children only, in
document order (tests/unit/test_camt_indexed.py compares it with lxml).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

__all__ = ["Indexed"]


@functools.lru_cache(maxsize=1024)
def _steps(path: str) -> tuple[str, ...]:
    """Split a path of qualified tags (ISO 20022 namespaces are URNs, without ``/``)."""
    return tuple(path.split("/"))


class Indexed:
    """An lxml element, read through its children grouped by tag (see the module)."""

    __slots__ = ("_by_tag", "_children", "element", "tag", "text")

    def __init__(self, element: Any) -> None:
        """View ``element`` (an lxml element of a tree that is no longer changing)."""
        self.element = element
        self.tag: str = element.tag
        self.text: str | None = element.text
        self._children: list[Indexed] | None = None
        self._by_tag: dict[str, list[Indexed]] | None = None

    def _index(self) -> dict[str, list[Indexed]]:
        by_tag = self._by_tag
        if by_tag is None:
            children: list[Indexed] = []
            by_tag = {}
            view = type(self)
            for child in self.element:
                if isinstance(child.tag, str):  # not a comment, entity or instruction
                    node = view(child)
                    children.append(node)
                    found = by_tag.get(node.tag)
                    if found is None:
                        by_tag[node.tag] = [node]
                    else:
                        found.append(node)
            self._children, self._by_tag = children, by_tag
        return by_tag

    def __iter__(self) -> Iterator[Indexed]:
        """Iterate over the child elements, in document order."""
        self._index()
        assert self._children is not None
        return iter(self._children)

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the attribute ``name``, or ``default``."""
        value: str | None = self.element.get(name, default)
        return value

    def findall(self, path: str) -> list[Indexed]:
        """Return the elements at ``path`` under this one, in document order."""
        nodes = [self]
        for step in _steps(path):
            found: list[Indexed] = []
            for node in nodes:
                found.extend(node._index().get(step, ()))
            if not found:
                return found
            nodes = found
        return nodes

    def iterfind(self, path: str) -> Iterator[Indexed]:
        """Iterate over the elements at ``path`` under this one, in document order."""
        return iter(self.findall(path))

    def find(self, path: str) -> Indexed | None:
        """Return the first element at ``path`` under this one, or None."""
        steps = _steps(path)
        node = self
        for i, step in enumerate(steps):
            found = node._index().get(step)
            if not found:
                return None
            if len(found) > 1 and i + 1 < len(steps):
                # The first match may be under a later one: search in document order.
                return next(iter(self.findall(path)), None)
            node = found[0]
        return node

    def findtext(self, path: str, default: str | None = None) -> str | None:
        """Return the text of the first element at ``path`` ("" when it has none), or default."""
        node = self.find(path)
        if node is None:
            return default
        return node.text or ""
