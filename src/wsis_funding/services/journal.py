"""Use cases on the journal itself: manual entries, verification, the chain head and its key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from wsis_funding.ledger import accounts
from wsis_funding.ledger.chain import ChainHead
from wsis_funding.ledger.errors import ControlledAccount
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Entry
from wsis_funding.ledger.problems import Problem
from wsis_funding.ledger.seals import RESERVED_KINDS, RESERVED_REFS
from wsis_funding.money import minor_unit_exponent
from wsis_funding.money.errors import CurrencyMismatch
from wsis_funding.storage.chainkey import ChainKeyInput, read_chain_key
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.storage.verify import verify_books

__all__ = ["chain_head", "declare_chain_key", "post_entries", "verify"]

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
    malformed account code, ``ValueError`` for an entry of a kind or with references that
    only the books write (seals, key declarations); nothing is written then.
    """
    batch = list(entries)
    for e in batch:
        if not isinstance(e, Entry):
            raise TypeError(f"expected Entry values, not {type(e).__name__}")
        if e.kind in RESERVED_KINDS or any(name in RESERVED_REFS for name, _ in e.references):
            raise ValueError(
                f"entry {e.memo!r}: the kinds {', '.join(sorted(RESERVED_KINDS))} and the "
                f"references {', '.join(sorted(RESERVED_REFS))} are written by the books "
                "themselves (seals and key declarations), never by a manual entry"
            )
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


def verify(uow: UnitOfWork, *, expected_head: ChainHead | str | None = None) -> list[Problem]:
    """Return every problem found in the books; an empty list when they are sound.

    Checks the hash chain (no gap, every link, every recomputed hash, or HMAC under the chain
    key, the chain head), that every entry balances per currency and in base currency, the
    running account totals against the postings, each partner's receivable against its
    pledges less settlements and write-offs, every payment and its settlements against the
    seal its entry holds, every document against the seal appended when it was issued and
    the document numbers against their counters (a deleted document is a gap), instalments
    and pledges against their settlements, and dates in order. Keyed books opened without
    their key are checked too, but their keyed hashes cannot be: that is reported.

    ``expected_head`` is a chain head exported earlier (:func:`chain_head`, or its text
    ``SEQ:HASH``): the books are reported as truncated or rewritten if the chain no longer
    passes through it, and only what was appended since is checked (the entries after it,
    the payments and documents they seal), which takes time in proportion to that, not to
    the books. Each :class:`Problem` has a code, the entry, payment or document it concerns
    and a message. Raises ``ValueError`` for a malformed head and ``TypeError`` for one that
    is neither a :class:`ChainHead` nor a str.
    """
    head = None
    if expected_head is not None:
        head = (
            expected_head
            if isinstance(expected_head, ChainHead)
            else ChainHead.parse(expected_head)
        )
    uow.flush()  # the chain head and running totals as this transaction moved them
    return verify_books(uow.conn, base=uow.base, keying=uow.keying, expected_head=head)


def chain_head(uow: UnitOfWork) -> ChainHead:
    """Return the head of the journal's hash chain: the last entry's sequence and hash.

    ``str()`` of it (``SEQ:HASH``) is what to keep outside the database (an auditor's file,
    the annual report) and give back later to ``verify(expected_head=...)``. The books'
    first head, before any entry, is ``0:000...0``. Raises nothing.
    """
    seq, digest = uow.head()
    return ChainHead(seq, digest)


def declare_chain_key(uow: UnitOfWork, key: ChainKeyInput, *, on: dt.date | None = None) -> str:
    """Key the hash chain of books created without a key, from now on; return the fingerprint.

    ``key`` is the key's bytes, its text or the path of a file holding it (at least 16
    bytes; keep it outside the database: the books keep only its fingerprint). Appends an
    entry without postings, dated ``on`` (default today), that declares the key; it and every
    later entry are hashed with HMAC-SHA256 under the key, and the books must be opened with
    the key to be changed. Raises :class:`ChainKeyMismatch` if the books are keyed already
    and :class:`InvalidChainKey` for a key too short or a file that cannot be read.
    """
    on = dt.date.today() if on is None else require_date(on, "on")
    keying = uow.declare_chain_key(read_chain_key(key), on)
    assert keying.fingerprint is not None
    return keying.fingerprint
