"""Errors of the facade: using the books the wrong way round."""

from __future__ import annotations

from wsis_funding.errors import WsisFundingError

__all__ = ["TransactionInProgress"]


class TransactionInProgress(WsisFundingError, RuntimeError):
    """A tracker method, or a second transaction, called while this thread has one open.

    Inside ``with tracker.transaction() as books:`` every use case is called on ``books``; a
    call on the tracker itself would need a second connection, which would wait for the
    first one's lock forever.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"{what} while a transaction is open in this thread: call it on the object that "
            "`with tracker.transaction() as books:` gave you"
        )
