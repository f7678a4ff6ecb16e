"""Problems found in the books, as values: what ``verify()`` returns instead of raising."""

from __future__ import annotations

import attrs

__all__ = ["Problem"]


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in the books.

    ``code`` names the check that failed (``"chain.hash"``, ``"totals"``, ``"receivable"``, ...),
    ``subject`` what it concerns (``"entry 17"``, ``"receivable:3 USD"``, ``"WSIS-2024-0003"``)
    and ``message`` says it in words; ``str(problem)`` is the message.
    """

    code: str
    subject: str
    message: str

    def __str__(self) -> str:
        """Return the message."""
        return self.message
