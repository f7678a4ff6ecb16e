"""Use cases on the journal itself: manual entries and verification of the books."""

from __future__ import annotations

from collections.abc import Iterable

from wsis_funding.ledger.model import Entry
from wsis_funding.ledger.problems import Problem
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.storage.verify import verify_books

__all__ = ["post_entries", "verify"]


def post_entries(uow: UnitOfWork, entries: Iterable[Entry]) -> list[Entry]:
    """Append balanced entries in bulk, hash chained, and return them with their sequence.

    Each :class:`Entry` must sum to zero per currency and in base currency. Raises
    ``TypeError`` for anything but Entry values, :class:`UnbalancedEntry` (nothing is written)
    if any entry does not balance and :class:`UnknownAccount` for a malformed account code.
    """
    batch = list(entries)
    for e in batch:
        if not isinstance(e, Entry):
            raise TypeError(f"expected Entry values, not {type(e).__name__}")
    return uow.post(batch)


def verify(uow: UnitOfWork) -> list[Problem]:
    """Return every problem found in the books; an empty list when they are sound.

    Checks the hash chain (no gap, every link, every recomputed hash, the chain head), that
    every entry balances per currency and in base currency, the running account totals against
    the postings, and each partner's receivable against its pledges less settlements and
    write-offs. Each :class:`Problem` has a code, what it concerns and a message.
    """
    return verify_books(uow.conn)
