"""Errors of the tier engine: inconsistent schedules, sold-out packages, unknown tiers."""

from __future__ import annotations

from collections.abc import Sequence

from wsis_funding.errors import WsisFundingError

__all__ = ["CapacityExceeded", "InvalidSchedule", "UnknownPackage"]


class InvalidSchedule(WsisFundingError, ValueError):
    """A tier schedule that is inconsistent; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid tier schedule{where}: {len(self.problems)} problem(s)\n{lines}")


class CapacityExceeded(WsisFundingError, ValueError):
    """An activity package sold beyond its capacity."""

    def __init__(self, package: str, capacity: int, requested: int) -> None:
        self.package = package
        self.capacity = capacity
        self.requested = requested
        super().__init__(
            f"activity package {package!r} has capacity {capacity}; {requested} would be sold"
        )


class UnknownPackage(WsisFundingError, LookupError):
    """An activity package or tier name that the edition's schedule does not offer."""

    def __init__(self, package: object, edition: str) -> None:
        self.package = package
        self.edition = edition
        super().__init__(f"edition {edition!r} offers no tier or activity package {package!r}")
