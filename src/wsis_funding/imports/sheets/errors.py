"""The one error a spreadsheet import raises when its caller wants an exception.

A reader returns its problems as data (:class:`~wsis_funding.imports.sheets.model.Problem`);
:meth:`Imported.or_raise` turns a rejected import into :class:`SpreadsheetRejected`, which
carries every problem and lists the first of them in its message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from wsis_funding.errors import WsisFundingError

if TYPE_CHECKING:
    from wsis_funding.imports.sheets.model import Problem

__all__ = ["SpreadsheetRejected"]

#: How many problems the message lists before "and N more"; ``problems`` holds them all.
SHOWN: Final = 20


class SpreadsheetRejected(WsisFundingError, ValueError):
    """A spreadsheet import with at least one problem; nothing from it may be written.

    ``problems`` holds every problem found, in file order; the message lists the first
    twenty, then says how many more there are.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = [f"spreadsheet rejected: {count} problem(s)"]
        lines.extend(f"  - {p}" for p in self.problems[:SHOWN])
        if count > SHOWN:
            lines.append(f"  ... and {count - SHOWN} more")
        super().__init__("\n".join(lines))
