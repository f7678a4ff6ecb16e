"""Document numbers: gapless per series and calendar year, printed as ``WSIS-2024-0001``.

Numbers are taken by the storage slice (:meth:`wsis_funding.storage.documents.Documents.
take_number`) in the same transaction that stores the document, so a failed issue leaves no
hole; this module holds their value type and printed form.
"""

from __future__ import annotations

import attrs

__all__ = ["DocumentNumber", "format_number", "series_of"]


@attrs.frozen
class DocumentNumber:
    """A number taken from a series: its parts and the printed form."""

    series: str
    year: int
    seq: int

    @property
    def text(self) -> str:
        """The printed number, ``{series}-{year}-{seq:04d}``."""
        return format_number(self.series, self.year, self.seq)


def format_number(series: str, year: int, seq: int) -> str:
    """Format a document number: ``format_number("WSIS", 2024, 1) == "WSIS-2024-0001"``."""
    return f"{series}-{year}-{seq:04d}"


def series_of(prefix: str, kind: str) -> str:
    """Return the number series of a document kind for an edition's invoice prefix.

    Invoices use the prefix itself (``WSIS``), credit notes ``WSIS-CN``, letters ``WSIS-ACK``,
    reminders ``WSIS-REM``.
    """
    suffix = {"invoice": "", "credit_note": "-CN", "letter": "-ACK", "reminder": "-REM"}[kind]
    return f"{prefix}{suffix}"
