"""The accounting rules for pledges, as pure functions that build journal entries.

- Confirming a pledge (IPSAS 23): debit receivable(partner), credit revenue(edition), in the
  pledge currency and in base currency at the signing-date rate.
- Amending it: the difference, at the same signing-date rate, as an adjusting entry.
- Cancelling it (nothing paid): the reversal of what is still receivable.
- Writing off the unpaid rest: debit write-off expense, credit receivable, at carrying value.
"""

from __future__ import annotations

import datetime as dt

from moneyed import Money

from wsis_funding.ledger import accounts
from wsis_funding.ledger.model import Entry, Pledge, Posting
from wsis_funding.money import RecordedRate, from_minor, to_minor

__all__ = [
    "adjusting_entry",
    "base_value",
    "cancel_entry",
    "confirm_entry",
    "reduction_entry",
    "write_off_entry",
]


def _fmt(m: Money) -> str:
    """Render an amount for a memo independently of any locale ("100000.00 USD")."""
    return f"{m.amount} {m.currency.code}"


def base_value(
    amount_minor: int, pledge_currency: str, rate: RecordedRate | None, base: str
) -> int:
    """Value ``amount_minor`` of ``pledge_currency`` in ``base`` at a recorded rate, half up.

    Without a rate (a pledge in the base currency) the amount is its own base value.
    """
    if rate is None:
        return amount_minor
    return to_minor(rate.apply(from_minor(amount_minor, pledge_currency), base))


def _pair(
    pledge: Pledge, debit: str, credit: str, amount_minor: int, base_minor: int
) -> tuple[Posting, ...]:
    def line(account: str, amount: int, base: int) -> Posting:
        return Posting(
            account=account,
            currency=pledge.currency,
            amount_minor=amount,
            base_minor=base,
            rate=pledge.rate,
            pledge_id=pledge.id,
        )

    return (line(debit, amount_minor, base_minor), line(credit, -amount_minor, -base_minor))


def _refs(pledge: Pledge) -> tuple[tuple[str, str], ...]:
    return (
        ("pledge", str(pledge.id)),
        ("partner", str(pledge.partner_id)),
        ("edition", pledge.edition_code),
    )


def confirm_entry(pledge: Pledge) -> Entry:
    """Return the IPSAS 23 revenue entry of a confirmed pledge, dated on its signing date."""
    return Entry(
        entry_date=pledge.signed_on,
        kind="pledge_confirmed",
        memo=f"Pledge {pledge.id} confirmed: {_fmt(pledge.amount)}",
        references=_refs(pledge),
        postings=_pair(
            pledge,
            accounts.receivable(pledge.partner_id),
            accounts.revenue(pledge.edition_code),
            to_minor(pledge.amount),
            to_minor(pledge.base_amount),
        ),
    )


def adjusting_entry(pledge: Pledge, delta_minor: int, delta_base: int, on: dt.date) -> Entry:
    """Return the entry of an amendment changing the amount by ``delta_minor`` (may be < 0)."""
    return Entry(
        entry_date=on,
        kind="pledge_amended",
        memo=f"Pledge {pledge.id} amended {'up' if delta_minor > 0 else 'down'} by "
        f"{_fmt(from_minor(abs(delta_minor), pledge.currency))}",
        references=_refs(pledge),
        postings=_pair(
            pledge,
            accounts.receivable(pledge.partner_id),
            accounts.revenue(pledge.edition_code),
            delta_minor,
            delta_base,
        ),
    )


def cancel_entry(pledge: Pledge, on: dt.date) -> Entry:
    """Return the reversal of a confirmed pledge on which nothing was paid."""
    return Entry(
        entry_date=on,
        kind="pledge_cancelled",
        memo=f"Pledge {pledge.id} cancelled: reversal of {_fmt(pledge.amount)}",
        references=_refs(pledge),
        postings=_pair(
            pledge,
            accounts.revenue(pledge.edition_code),
            accounts.receivable(pledge.partner_id),
            to_minor(pledge.amount),
            to_minor(pledge.base_amount),
        ),
    )


def write_off_entry(
    pledge: Pledge, rest: Money, rest_base_minor: int, on: dt.date, reason: str
) -> Entry:
    """Return the write-off of the unpaid ``rest`` at its carrying base value."""
    return Entry(
        entry_date=on,
        kind="pledge_written_off",
        memo=f"Pledge {pledge.id}: {_fmt(rest)} written off ({reason})",
        references=(*_refs(pledge), ("reason", reason)),
        postings=_pair(
            pledge,
            accounts.WRITE_OFF,
            accounts.receivable(pledge.partner_id),
            to_minor(rest),
            rest_base_minor,
        ),
    )


def reduction_entry(
    pledge: Pledge, amount_minor: int, base_minor: int, on: dt.date, credit_note: str
) -> Entry:
    """Return the reversal of a reduction credit note: debit revenue, credit receivable.

    ``amount_minor`` and its carrying ``base_minor`` (at the pledge's signing-date rate) are
    positive; the entry names the credit note.
    """
    return Entry(
        entry_date=on,
        kind="pledge_reduced",
        memo=f"Pledge {pledge.id} reduced by credit note {credit_note}: "
        f"{_fmt(from_minor(amount_minor, pledge.currency))}",
        references=(*_refs(pledge), ("document", credit_note)),
        postings=_pair(
            pledge,
            accounts.revenue(pledge.edition_code),
            accounts.receivable(pledge.partner_id),
            amount_minor,
            base_minor,
        ),
    )
