"""Stable keys of bank lines and entries: what the books store to recognise them again.

A key is the SHA-256 (hex) of the identity's fields in a fixed JSON form, so that it has a
fixed length whatever the bank's references hold, and the same line read from an
overlapping file, or a camt.054 that details a camt.053 entry, gives the same key. The
direction is part of the key: a credit and the debit that reverses it are different lines.
"""

from __future__ import annotations

import hashlib
import json

from wsis_funding.imports.camt.model import BankLine, Credit, EntryKey, LineId

__all__ = ["entry_key", "line_key"]


def _digest(fields: list[object]) -> str:
    text = json.dumps(fields, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def line_key(line: BankLine) -> str:
    """Return the key of a credit line or of a reversal line (64 hex digits)."""
    identity: LineId = line.identity
    return _digest(
        [
            "credit" if isinstance(line, Credit) else "reversal",
            identity.account,
            identity.booking_date.isoformat() if identity.booking_date else "",
            identity.entry_reference,
            identity.transaction_position,
            str(identity.amount.amount),
            identity.amount.currency.code,
            identity.occurrence,
        ]
    )


def entry_key(key: EntryKey, credit: bool) -> str:
    """Return the key of a booked entry (64 hex digits); ``credit`` is its direction."""
    return _digest(
        [
            "credit" if credit else "debit",
            key.account,
            key.booking_date.isoformat() if key.booking_date else "",
            key.reference,
            str(key.amount.amount),
            key.amount.currency.code,
            key.occurrence,
        ]
    )
