"""Rules every journal entry obeys: it balances, and what of it the hash chain covers (pure)."""

from __future__ import annotations

from wsis_funding.ledger.chain import PostingKey
from wsis_funding.ledger.errors import UnbalancedEntry
from wsis_funding.ledger.model import Entry, Posting

__all__ = ["check_balanced", "posting_key"]


def check_balanced(entry: Entry, base: str | None = None) -> None:
    """Raise :class:`UnbalancedEntry` unless the entry sums to zero per currency and in base.

    ``base`` is the books' base currency, named in the error.

    Raises ``TypeError`` for an amount that is not an int (a float or a bool).
    """
    per_currency: dict[str, int] = {}
    total = 0
    for p in entry.postings:
        amount, value = p.amount_minor, p.base_minor
        if type(amount) is not int:
            _require_int(amount, "amount_minor")
        if type(value) is not int:
            _require_int(value, "base_minor")
        per_currency[p.currency] = per_currency.get(p.currency, 0) + amount
        total += value
    if any(per_currency.values()):
        for code, residue in sorted(per_currency.items()):
            if residue:
                raise UnbalancedEntry(entry.memo, code, residue)
    if total:
        raise UnbalancedEntry(entry.memo, "base currency", total, base)


def _require_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def posting_key(p: Posting) -> PostingKey:
    """Return the tuple of a posting that the entry hash covers (the rate as stored text)."""
    rate = p.rate
    return (
        p.account,
        p.currency,
        p.amount_minor,
        p.base_minor,
        None if rate is None else rate.text,
        None if rate is None else rate.effective.isoformat(),
        None if rate is None else rate.source,
        p.pledge_id,
    )
