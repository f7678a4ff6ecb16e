"""Reminder letters: what a partner was invoiced, has not paid, and since when (snapshot values).

A reminder is about one pledge. Each :class:`OverdueItem` is an instalment of an invoice whose
due date has passed with part of it still open: the invoice (number, date, due date, its RF
creditor reference to pay with) and the amount still open on it in the invoice's currency. The
invoice's due date is when the amount fell due (ageing counts from it too), whatever the
instalment's own schedule date: the invoice asked to be paid by then. The partner pays each
invoice with that invoice's own reference, so that the payment is matched to it; a reminder
has a number of its own (``WSIS-REM-2024-0001``) but no reference to pay with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import attrs

from wsis_funding.documents.errors import InvalidSnapshot
from wsis_funding.documents.parties import Issuer, Party, require_language, require_text
from wsis_funding.documents.reference import is_valid_creditor_reference
from wsis_funding.money import Money, zero
from wsis_funding.money.errors import CurrencyMismatch

__all__ = ["OverdueItem", "ReminderSnapshot"]


@attrs.frozen(kw_only=True)
class OverdueItem:
    """An instalment of an invoice still open after the invoice's due date.

    ``instalment`` of ``instalments`` is its place in the schedule the partner sees; ``open``
    is what the invoice still asks for on it (asked, less credited, less paid), in the
    invoice's currency. Raises :class:`InvalidSnapshot` for a non-positive amount, a due date
    before the invoice's date, an instalment number outside 1..count or a reference that is
    not ISO 11649.
    """

    invoice: str
    invoice_issued_on: dt.date
    due_on: dt.date
    payment_reference: str
    instalment: int
    instalments: int
    open: Money

    def __attrs_post_init__(self) -> None:
        require_text("item.invoice", self.invoice)
        if self.open.amount <= 0:
            raise InvalidSnapshot("item.open", f"{self.open} must be above zero")
        if self.due_on < self.invoice_issued_on:
            raise InvalidSnapshot(
                "item.due_on", f"{self.due_on} is before invoice {self.invoice}'s date"
            )
        if not 1 <= self.instalment <= self.instalments:
            raise InvalidSnapshot(
                "item.instalment", f"{self.instalment} is not in 1..{self.instalments}"
            )
        if not is_valid_creditor_reference(self.payment_reference):
            raise InvalidSnapshot(
                "item.payment_reference",
                f"{self.payment_reference!r} is not an ISO 11649 reference",
            )


def _items(value: Iterable[OverdueItem]) -> tuple[OverdueItem, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ReminderSnapshot:
    """A reminder letter: the instalments of a pledge's invoices overdue on its date.

    ``total`` is what the items add up to, in the invoices' currency (a pledge has one).
    Raises :class:`UnsupportedLanguage` for a language outside the six UN languages,
    :class:`CurrencyMismatch` for an item in another currency than the total, and
    :class:`InvalidSnapshot` when there is no item, the same instalment of an invoice is
    listed twice, an item is not yet due on the reminder's date, or the items do not sum
    exactly to the total.
    """

    number: str
    issued_on: dt.date
    language: str
    issuer: Issuer
    partner: Party
    edition_code: str
    edition_title: str
    pledge_reference: str
    items: tuple[OverdueItem, ...] = attrs.field(converter=_items)
    total: Money

    def __attrs_post_init__(self) -> None:
        require_language(self.language)
        for field in ("number", "edition_code", "edition_title", "pledge_reference"):
            require_text(field, getattr(self, field))
        if not self.items:
            raise InvalidSnapshot("items", "a reminder states at least one overdue amount")
        code = self.total.currency.code
        running = zero(code)
        seen: set[tuple[str, int]] = set()
        for item in self.items:
            if item.open.currency.code != code:
                raise CurrencyMismatch(code, item.open.currency.code, f"invoice {item.invoice}")
            if item.due_on >= self.issued_on:
                raise InvalidSnapshot(
                    "items",
                    f"invoice {item.invoice} is due on {item.due_on}: not overdue on "
                    f"{self.issued_on}",
                )
            key = (item.invoice, item.instalment)
            if key in seen:
                raise InvalidSnapshot(
                    "items", f"instalment {item.instalment} of {item.invoice} is listed twice"
                )
            seen.add(key)
            running = running + item.open
        if running != self.total:
            raise InvalidSnapshot(
                "total",
                f"items sum to {running.amount} {code}, total is {self.total.amount} {code}",
            )

    @property
    def kind(self) -> Literal["reminder"]:
        """The document kind: ``"reminder"``."""
        return "reminder"

    @property
    def currency(self) -> str:
        """Return the ISO 4217 code of the amounts overdue."""
        return str(self.total.currency.code)

    @property
    def payment_reference(self) -> None:
        """None: a reminder has no reference of its own; each invoice is paid with its own."""
        return None

    @property
    def invoices(self) -> tuple[tuple[str, str], ...]:
        """The overdue invoices, each once, with the reference to pay it with, as listed."""
        return tuple(dict.fromkeys((i.invoice, i.payment_reference) for i in self.items))
