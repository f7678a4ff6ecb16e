"""Frozen snapshots of the documents wsis-funding issues: invoices, credit notes and letters.

A snapshot holds copies of everything printed on the document (parties, lines, amounts, rate,
language, issuer settings), so that rendering looks nothing up and an issued document can be
rendered again, byte for byte, years later. Snapshots validate themselves when built. The
parties (:mod:`.parties`) and reminders (:mod:`.reminders`) have modules of their own; their
names are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

import attrs

from wsis_funding.documents.errors import InvalidSnapshot
from wsis_funding.documents.parties import (
    LOGO_TYPES,
    BankAccount,
    Issuer,
    Logo,
    Party,
    PostalAddress,
    iban_is_valid,
    require_language,
    require_text,
)
from wsis_funding.documents.reference import is_valid_creditor_reference
from wsis_funding.documents.reminders import OverdueItem, ReminderSnapshot
from wsis_funding.i18n import LANGUAGES
from wsis_funding.money import Money, RecordedRate, zero
from wsis_funding.money.errors import CurrencyMismatch

__all__ = [
    "LANGUAGES",
    "LOGO_TYPES",
    "BankAccount",
    "CreditKind",
    "DocumentKind",
    "DocumentLine",
    "InvoiceSnapshot",
    "IssuedDocument",
    "Issuer",
    "LetterSnapshot",
    "Logo",
    "OverdueItem",
    "Party",
    "PostalAddress",
    "ReceivedPayment",
    "ReminderSnapshot",
    "Snapshot",
    "iban_is_valid",
]


def _lines(value: Iterable[DocumentLine]) -> tuple[DocumentLine, ...]:
    return tuple(value)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class DocumentLine:
    """One line of an invoice: what, how many, at what unit price, for what amount.

    Raises ``TypeError`` for a non-Decimal quantity and :class:`CurrencyMismatch` if the unit
    price and the amount are in different currencies.
    """

    description: str
    quantity: Decimal
    unit_price: Money
    amount: Money

    def __attrs_post_init__(self) -> None:
        require_text("line.description", self.description)
        if not isinstance(self.quantity, Decimal) or not self.quantity.is_finite():
            raise TypeError(f"quantity must be a finite Decimal, not {self.quantity!r}")
        if self.unit_price.currency.code != self.amount.currency.code:
            raise CurrencyMismatch(
                self.amount.currency.code, self.unit_price.currency.code, "line unit price"
            )


class CreditKind(enum.Enum):
    """What a credit note does; the caller always says which (there is no default).

    A *correction* credits the document (wrong address, wrong language, issued twice): the
    pledge and the receivable are unchanged and what it covered can be invoiced again. A
    *reduction* (an agreed discount, a partial cancellation) reduces the pledge by the
    credited amount: a reversing entry is posted and the amount is never invoiced again.
    """

    CORRECTION = "correction"
    REDUCTION = "reduction"


@attrs.frozen(kw_only=True)
class ReceivedPayment:
    """Money already received on what an invoice covers, printed on it: when and how much."""

    received_on: dt.date
    amount: Money

    def __attrs_post_init__(self) -> None:
        if self.amount.amount <= 0:
            raise InvalidSnapshot("received", f"{self.amount} must be above zero")


def _received(value: Iterable[ReceivedPayment]) -> tuple[ReceivedPayment, ...]:
    return tuple(value)


def _credit_kind(value: CreditKind | str | None) -> CreditKind | None:
    if value is None or isinstance(value, CreditKind):
        return value
    try:
        return CreditKind(value)
    except ValueError:
        raise InvalidSnapshot(
            "credit_kind", f"{value!r} is not one of {[k.value for k in CreditKind]}"
        ) from None


@attrs.frozen(kw_only=True)
class InvoiceSnapshot:
    """An issued invoice or credit note, with every printed value copied in.

    ``total`` is what the lines add up to; for an invoice, ``received`` lists money already
    received on what it covers, and :attr:`amount_due` (total less received) is what it asks
    for: the QR-bill and the e-invoice carry that amount. A credit note (format 3 on) says
    whether it is a correction or a reduction (``credit_kind``).

    Raises :class:`UnsupportedLanguage` for a language outside the six UN languages,
    :class:`CurrencyMismatch` if a line or a received amount is in another currency than the
    total, and :class:`InvalidSnapshot` if the lines do not sum exactly to the total, received
    money leaves nothing due, the kind is unknown, a credit note does not say which invoice it
    corrects, the payment reference is not a valid ISO 11649 reference, the due date precedes
    the issue date, or the conversion fields (base_equivalent and rate) are only partly given.
    """

    kind: Literal["invoice", "credit_note"]
    number: str
    issued_on: dt.date
    due_on: dt.date | None
    language: str
    issuer: Issuer
    partner: Party
    edition_code: str
    edition_title: str
    lines: tuple[DocumentLine, ...] = attrs.field(converter=_lines)
    total: Money
    base_equivalent: Money | None = None
    rate: RecordedRate | None = None
    payment_reference: str
    refers_to: str | None = None
    pledge_reference: str
    received: tuple[ReceivedPayment, ...] = attrs.field(default=(), converter=_received)
    credit_kind: CreditKind | None = attrs.field(default=None, converter=_credit_kind)

    def __attrs_post_init__(self) -> None:
        require_language(self.language)
        if self.kind not in ("invoice", "credit_note"):
            raise InvalidSnapshot("kind", f"expected 'invoice' or 'credit_note', got {self.kind!r}")
        for field in ("number", "edition_code", "edition_title", "pledge_reference"):
            require_text(field, getattr(self, field))
        if not self.lines:
            raise InvalidSnapshot("lines", "a document needs at least one line")
        code = self.total.currency.code
        running = zero(code)
        for line in self.lines:
            if line.amount.currency.code != code:
                raise CurrencyMismatch(
                    code, line.amount.currency.code, f"line {line.description!r}"
                )
            running = running + line.amount
        if running != self.total:
            raise InvalidSnapshot(
                "total",
                f"lines sum to {running.amount} {code}, total is {self.total.amount} {code}",
            )
        if self.kind == "credit_note" and not self.refers_to:
            raise InvalidSnapshot("refers_to", "a credit note must name the invoice it corrects")
        if self.kind == "invoice" and self.refers_to is not None:
            raise InvalidSnapshot("refers_to", "only a credit note refers to another invoice")
        if self.due_on is not None and self.due_on < self.issued_on:
            raise InvalidSnapshot("due_on", f"{self.due_on} is before the issue date")
        if not is_valid_creditor_reference(self.payment_reference):
            raise InvalidSnapshot(
                "payment_reference", f"{self.payment_reference!r} is not an ISO 11649 reference"
            )
        if (self.base_equivalent is None) != (self.rate is None):
            raise InvalidSnapshot("rate", "base_equivalent and rate go together")
        if self.rate is not None and not isinstance(self.rate, RecordedRate):
            raise InvalidSnapshot("rate", f"must be a RecordedRate, got {self.rate!r}")
        if self.received and self.kind != "invoice":
            raise InvalidSnapshot("received", "only an invoice lists money already received")
        for paid in self.received:
            if paid.amount.currency.code != code:
                raise CurrencyMismatch(code, paid.amount.currency.code, "money received")
        if self.kind == "invoice" and self.amount_due.amount <= 0:
            raise InvalidSnapshot("received", "the money received leaves nothing due")
        if self.credit_kind is not None and self.kind != "credit_note":
            raise InvalidSnapshot(
                "credit_kind", "only a credit note is a correction or a reduction"
            )

    @property
    def currency(self) -> str:
        """Return the ISO 4217 code of the document's currency."""
        return str(self.total.currency.code)

    @property
    def amount_due(self) -> Money:
        """What the document asks for: the total less the money already received."""
        due = self.total
        for paid in self.received:
            due = due - paid.amount
        return due


@attrs.frozen(kw_only=True)
class LetterSnapshot:
    """An acknowledgement letter thanking a partner for a payment received: the payment's facts.

    ``amount_received`` is what the payment settled on the pledge (in the pledge currency) and
    ``remaining_balance`` the pledge's balance right after the payment. From format 3 on, the
    letter also states what the bank credited (``amount_credited``, in the payment currency),
    the bank charges deducted on the way, what was kept as the partner's credit, and the
    invoice the payment paid (``paid_invoice`` with its ``payment_reference``) or, when it paid
    none, the bank's reference of the payment (``bank_reference``).

    Raises :class:`UnsupportedLanguage` for an unknown language, :class:`CurrencyMismatch` if
    the amount received and the remaining balance (or the amount credited, the charges and the
    credit kept) differ in currency, and :class:`InvalidSnapshot` for a non-positive amount
    received, a negative remaining balance or charge, an invalid ISO 11649 payment reference,
    or no reference at all.
    """

    number: str
    issued_on: dt.date
    language: str
    issuer: Issuer
    partner: Party
    edition_code: str
    edition_title: str
    amount_received: Money
    received_on: dt.date
    remaining_balance: Money
    recognition: str
    benefits: tuple[str, ...] = attrs.field(converter=_texts)
    payment_reference: str | None = None
    amount_credited: Money | None = None
    bank_charges: Money | None = None
    kept_as_credit: Money | None = None
    paid_invoice: str | None = None
    bank_reference: str | None = None

    def __attrs_post_init__(self) -> None:
        require_language(self.language)
        for field in ("number", "edition_code", "edition_title", "recognition"):
            require_text(field, getattr(self, field))
        received, remaining = self.amount_received, self.remaining_balance
        if received.currency.code != remaining.currency.code:
            raise CurrencyMismatch(
                received.currency.code, remaining.currency.code, "remaining balance"
            )
        if received.amount <= 0:
            raise InvalidSnapshot("amount_received", "must be positive")
        if remaining.amount < 0:
            raise InvalidSnapshot("remaining_balance", "cannot be negative")
        if self.payment_reference is not None and not is_valid_creditor_reference(
            self.payment_reference
        ):
            raise InvalidSnapshot(
                "payment_reference", f"{self.payment_reference!r} is not an ISO 11649 reference"
            )
        if self.payment_reference is None and not self.bank_reference:
            raise InvalidSnapshot(
                "payment_reference", "a letter names the invoice or bank reference"
            )
        credited = self.amount_credited
        if credited is not None:
            if credited.amount <= 0:
                raise InvalidSnapshot("amount_credited", "must be positive")
            for field in ("bank_charges", "kept_as_credit"):
                value = getattr(self, field)
                if value is None:
                    continue
                if value.currency.code != credited.currency.code:
                    raise CurrencyMismatch(credited.currency.code, value.currency.code, field)
                if value.amount < 0:
                    raise InvalidSnapshot(field, "cannot be negative")


Snapshot = InvoiceSnapshot | LetterSnapshot | ReminderSnapshot
"""Any document snapshot."""

DocumentKind = Literal["invoice", "credit_note", "letter", "reminder"]
"""The kinds of document the books issue."""


@attrs.frozen(kw_only=True)
class IssuedDocument:
    """A stored, numbered document and the snapshot it was issued with."""

    id: int
    kind: DocumentKind
    number: str
    pledge_id: int
    instalment_id: int | None
    payment_id: int | None
    refers_to_id: int | None
    issued_on: dt.date
    total: Money
    payment_reference: str | None
    snapshot: Snapshot
