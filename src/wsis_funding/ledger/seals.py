"""Seals: the SHA-256 of stored payments, settlements and documents, kept in the hash chain.

A row that is not a journal entry is covered by the chain through its seal, the sha256 of a
canonical serialisation of what is stored, written into a chain entry's references:

- a payment's entry carries the seal of the payment row (``payment_sha256``) and of its
  settlements (``settlements_sha256``), computed before the entry is appended;
- issuing a document appends an entry without postings (kind ``document``) that carries the
  seal of the stored document, its snapshot text and what it covers (``document_sha256``);
- books written before seals existed were sealed when migrated: a ``document`` entry per
  document, a ``payment_seal`` entry per payment naming the entry of that payment.

``verify()`` recomputes each seal from the rows as stored and compares. The serialisations
below are versioned and never change: books sealed with them must verify forever.

Values are normalised as stored on any engine: dates as ISO text, integers, text or null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from hashlib import sha256

from wsis_funding.ledger.chain import canonical_json

__all__ = [
    "CHAIN_KEY_KIND",
    "DOCUMENT_ID",
    "DOCUMENT_KIND",
    "DOCUMENT_NUMBER",
    "DOCUMENT_SEAL",
    "FINGERPRINT",
    "PAYMENT_ENTRY",
    "PAYMENT_SEAL",
    "PAYMENT_SEAL_KIND",
    "PAYMENT_SETTLEMENTS",
    "RESERVED_KINDS",
    "RESERVED_REFS",
    "document_seal",
    "payment_seal",
    "settlements_seal",
]

DOCUMENT_KIND = "document"
"""Kind of the entry (no postings) that seals a document when it is issued."""
PAYMENT_SEAL_KIND = "payment_seal"
"""Kind of the entry (no postings) that sealed a payment of books written before seals."""
CHAIN_KEY_KIND = "chain_key"
"""Kind of the entry (no postings) from which the chain is keyed; it names the fingerprint."""
RESERVED_KINDS = frozenset({DOCUMENT_KIND, PAYMENT_SEAL_KIND, CHAIN_KEY_KIND})
"""Entry kinds that only the books write (a manual entry may not use them)."""

DOCUMENT_NUMBER = "document"
DOCUMENT_ID = "document_id"
DOCUMENT_SEAL = "document_sha256"
PAYMENT_SEAL = "payment_sha256"
PAYMENT_SETTLEMENTS = "settlements_sha256"
PAYMENT_ENTRY = "payment_entry"
FINGERPRINT = "key_fingerprint"
RESERVED_REFS = frozenset(
    {DOCUMENT_ID, DOCUMENT_SEAL, PAYMENT_SEAL, PAYMENT_SETTLEMENTS, PAYMENT_ENTRY, FINGERPRINT}
)
"""Reference names that only the books write (a manual entry may not use them)."""

PAYMENT_COLUMNS = (
    "partner_id", "currency", "amount_minor", "charges_minor", "received_on", "reference",
    "idempotency_key", "apply_to", "settled_minor", "unapplied_minor", "source", "invoice_id",
    "target_currency", "target_minor", "target_basis",
)  # fmt: skip
"""The payment columns a seal covers, in order (all but its id and its entry)."""
SETTLEMENT_COLUMNS = (
    "instalment_id", "pledge_id", "amount_minor", "carrying_base_minor", "paid_base_minor",
    "received_on", "invoice_id",
)  # fmt: skip
"""The settlement columns a seal covers, in order (all but its id and its payment)."""
DOCUMENT_COLUMNS = (
    "id", "kind", "series", "year", "seq", "number", "pledge_id", "instalment_id", "payment_id",
    "refers_to_id", "issued_on", "due_on", "currency", "total_minor", "payment_reference",
    "language", "credit_kind",
)  # fmt: skip
"""The document columns a seal covers, in order, before the snapshot's own sha256."""


def _plain(value: object) -> object:
    """Return a stored value as the seal sees it: dates as ISO text (as SQLite stores them)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _digest(payload: object) -> str:
    return sha256(canonical_json(payload).encode()).hexdigest()


def payment_seal(values: Sequence[object]) -> str:
    """Return the seal of a payment row: ``values`` in the order of :data:`PAYMENT_COLUMNS`."""
    return _digest(["payment", 1, *map(_plain, values)])


def settlements_seal(rows: Iterable[Sequence[object]]) -> str:
    """Return the seal of a payment's settlements (each in :data:`SETTLEMENT_COLUMNS` order).

    Their order does not matter; a payment that settled nothing has the seal of no rows.
    """
    plain = sorted(([_plain(v) for v in row] for row in rows), key=canonical_json)
    return _digest(["settlements", 1, plain])


def document_seal(
    values: Sequence[object], snapshot_text: str, coverage: Iterable[tuple[int, int]]
) -> str:
    """Return the seal of a stored document.

    ``values`` in the order of :data:`DOCUMENT_COLUMNS`, ``snapshot_text`` the stored snapshot
    (canonical JSON) and ``coverage`` its (instalment id, minor units) rows, in any order.
    """
    text_sha = sha256(snapshot_text.encode()).hexdigest()
    covered = sorted([int(i), int(a)] for i, a in coverage)
    return _digest(["document", 1, *map(_plain, values), text_sha, covered])
