"""Use cases on the journal itself: manual entries and verification of the books."""

from __future__ import annotations

from collections.abc import Iterable

from wsis_funding.ledger import accounts
from wsis_funding.ledger.errors import ControlledAccount
from wsis_funding.ledger.model import Entry
from wsis_funding.ledger.problems import Problem
from wsis_funding.money import minor_unit_exponent
from wsis_funding.money.errors import CurrencyMismatch
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.storage.verify import verify_books

__all__ = ["post_entries", "verify"]

_KEEPERS = {
    accounts.AccountKind.RECEIVABLE: "the pledges and payments",
    accounts.AccountKind.UNAPPLIED: "the payments",
    accounts.AccountKind.REVENUE: "the pledges",
    accounts.AccountKind.PSC_CHARGE: "the payments",
    accounts.AccountKind.CONVERSION: "the payments",
}


def post_entries(uow: UnitOfWork, entries: Iterable[Entry]) -> list[Entry]:
    """Append balanced entries in bulk, hash chained, and return them with their sequence.

    Each :class:`Entry` must sum to zero per currency and in base currency, and may touch only
    accounts that no subledger controls (``bank:<currency>`` in its own currency,
    ``bank_charges``, ``psc_income``, ``fx_gain_loss``, ``write_off``): receivables, unapplied
    credit, revenue, PSC charges and currency conversion move only through the use cases, or
    the books would contradict their pledges and payments. Raises ``TypeError`` for anything
    but Entry values, :class:`ControlledAccount`, :class:`UnknownCurrency`,
    :class:`CurrencyMismatch` for a bank account in another currency,
    :class:`UnbalancedEntry` if any entry does not balance and :class:`UnknownAccount` for a
    malformed account code; nothing is written then.
    """
    batch = list(entries)
    for e in batch:
        if not isinstance(e, Entry):
            raise TypeError(f"expected Entry values, not {type(e).__name__}")
        for p in e.postings:
            kind = accounts.kind_of(p.account)
            if kind in accounts.CONTROLLED:
                raise ControlledAccount(p.account, _KEEPERS[kind])
            minor_unit_exponent(p.currency)
            if kind is accounts.AccountKind.BANK and p.account != accounts.bank(p.currency):
                raise CurrencyMismatch(
                    p.account.partition(":")[2], p.currency, f"posting to {p.account}"
                )
    return uow.post(batch)


def verify(uow: UnitOfWork) -> list[Problem]:
    """Return every problem found in the books; an empty list when they are sound.

    Checks the hash chain (no gap, every link, every recomputed hash, the chain head), that
    every entry balances per currency and in base currency, the running account totals against
    the postings, and each partner's receivable against its pledges less settlements and
    write-offs. Each :class:`Problem` has a code, what it concerns and a message. Raises
    nothing for books that do not add up: every fault found is a problem in the list.
    """
    return verify_books(uow.conn)
