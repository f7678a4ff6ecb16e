"""Errors of the report writers (the table's own errors live in :mod:`.table`)."""

from __future__ import annotations

from collections.abc import Sequence

from wsis_funding.errors import WsisFundingError

__all__ = ["UnsupportedFormat"]


class UnsupportedFormat(WsisFundingError, ValueError):
    """A report asked for in a file format it is not written in; names the ones it is."""

    def __init__(self, report: str, format: object, supported: Sequence[str]) -> None:
        self.report = report
        self.format = format
        self.supported = tuple(supported)
        super().__init__(
            f"the {report} report is not written as {format!r}; "
            f"it is written as {', '.join(self.supported)}"
        )
