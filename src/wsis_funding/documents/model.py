"""Frozen snapshots of the documents wsis-funding issues: invoices, credit notes and letters.

A snapshot holds copies of everything printed on the document (parties, lines, amounts, rate,
language, issuer settings), so that rendering looks nothing up and an issued document can be
rendered again, byte for byte, years later. Snapshots validate themselves when built.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final, Literal

import attrs

from wsis_funding.documents.errors import InvalidBankAccount, InvalidSnapshot
from wsis_funding.documents.reference import is_valid_creditor_reference
from wsis_funding.i18n import LANGUAGES, UnsupportedLanguage
from wsis_funding.money import Money, RecordedRate, zero
from wsis_funding.money.errors import CurrencyMismatch

__all__ = [
    "LANGUAGES",
    "BankAccount",
    "CreditKind",
    "DocumentKind",
    "DocumentLine",
    "InvoiceSnapshot",
    "IssuedDocument",
    "Issuer",
    "LetterSnapshot",
    "Logo",
    "Party",
    "PostalAddress",
    "ReceivedPayment",
    "Snapshot",
    "iban_is_valid",
]

_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_IBAN: Final = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC: Final = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
# Lengths for the countries our bank accounts are likely to be in; others only get the checksum.
_IBAN_LENGTHS: Final = {"CH": 21, "LI": 21, "FR": 27, "DE": 22, "BE": 16, "GB": 22, "IT": 27}


def _require_text(field: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSnapshot(field, f"must be a non-empty string, got {value!r}")


def _require_language(language: object) -> None:
    if language not in LANGUAGES:
        raise UnsupportedLanguage(language, LANGUAGES)


def iban_is_valid(iban: str) -> bool:
    """Return whether ``iban`` (spaces allowed) has a valid shape and ISO 13616 mod-97 checksum."""
    compact = iban.replace(" ", "").upper()
    if not _IBAN.fullmatch(compact):
        return False
    expected = _IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _compact(value: str) -> str:
    return str(value).replace(" ", "").upper()


def _lines(value: Iterable[DocumentLine]) -> tuple[DocumentLine, ...]:
    return tuple(value)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PostalAddress:
    """A structured postal address (the form Swiss QR-bills require since November 2025).

    Raises :class:`InvalidSnapshot` if postcode or town is empty or the country is not an
    upper-case ISO 3166 alpha-2 code.
    """

    street: str
    building_number: str
    postcode: str
    town: str
    country: str

    def __attrs_post_init__(self) -> None:
        _require_text("address.postcode", self.postcode)
        _require_text("address.town", self.town)
        if not _COUNTRY.fullmatch(self.country):
            raise InvalidSnapshot(
                "address.country", f"{self.country!r} is not an ISO 3166 alpha-2 code"
            )


@attrs.frozen(kw_only=True)
class Party:
    """The partner (sponsor, donor) a document is addressed to. Raises InvalidSnapshot."""

    name: str
    address: PostalAddress
    tax_id: str | None = None
    email: str | None = None

    def __attrs_post_init__(self) -> None:
        _require_text("party.name", self.name)


@attrs.frozen(kw_only=True)
class BankAccount:
    """A bank account to be paid into; the IBAN is stored without spaces, upper case.

    Raises :class:`InvalidBankAccount` if the IBAN checksum or shape, or the BIC, is wrong.
    """

    iban: str = attrs.field(converter=_compact)
    bic: str = attrs.field(converter=_compact)
    holder: str

    def __attrs_post_init__(self) -> None:
        if not iban_is_valid(self.iban):
            raise InvalidBankAccount("IBAN", self.iban, "wrong shape, length or mod-97 checksum")
        if not _BIC.fullmatch(self.bic):
            raise InvalidBankAccount("BIC", self.bic, "expected 8 or 11 characters (ISO 9362)")
        _require_text("bank_account.holder", self.holder)

    @property
    def country(self) -> str:
        """Return the ISO 3166 country code of the account (first two letters of the IBAN)."""
        return self.iban[:2]

    @property
    def iban_grouped(self) -> str:
        """Return the IBAN in groups of four characters, as printed on paper."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


LOGO_TYPES: Final = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
"""The media types a logo may have, and the usual file suffix of each."""


@attrs.frozen
class Logo:
    """An image printed on documents (the issuer's logo): its media type and its bytes.

    A snapshot refers to the logo by its SHA-256; the bytes are stored once beside the
    documents, so that rendering on any machine gives the same bytes. Raises
    :class:`InvalidSnapshot` for a media type outside :data:`LOGO_TYPES` or no bytes.
    """

    media_type: str
    data: bytes = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        if self.media_type not in LOGO_TYPES:
            raise InvalidSnapshot(
                "issuer.logo", f"media type {self.media_type!r} is not one of {sorted(LOGO_TYPES)}"
            )
        if not isinstance(self.data, bytes) or not self.data:
            raise InvalidSnapshot("issuer.logo", "the image has no bytes")

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the image bytes, which identifies it."""
        return hashlib.sha256(self.data).hexdigest()


def _notes(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))


@attrs.frozen(kw_only=True)
class Issuer:
    """Who issues the documents: ITU's WSIS Secretariat, its bank account and signatory.

    ``vat_notes`` overrides, per language, the translated note saying why no VAT is charged.
    Raises :class:`InvalidSnapshot` for empty names or an override in an unknown language.
    """

    organisation: str
    unit: str
    address: PostalAddress
    bank_account: BankAccount | None
    signatory_name: str
    signatory_title: str
    email: str | None = None
    logo: Logo | None = None
    vat_notes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_notes)

    def __attrs_post_init__(self) -> None:
        for field in ("organisation", "unit", "signatory_name", "signatory_title"):
            _require_text(f"issuer.{field}", getattr(self, field))
        for language, _ in self.vat_notes:
            _require_language(language)

    def vat_note_override(self, language: str) -> str | None:
        """Return the configured VAT note for ``language``, or None to use the catalog's."""
        return dict(self.vat_notes).get(language)


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
        _require_text("line.description", self.description)
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
        _require_language(self.language)
        if self.kind not in ("invoice", "credit_note"):
            raise InvalidSnapshot("kind", f"expected 'invoice' or 'credit_note', got {self.kind!r}")
        for field in ("number", "edition_code", "edition_title", "pledge_reference"):
            _require_text(field, getattr(self, field))
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
        _require_language(self.language)
        for field in ("number", "edition_code", "edition_title", "recognition"):
            _require_text(field, getattr(self, field))
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


Snapshot = InvoiceSnapshot | LetterSnapshot
"""Any document snapshot."""

DocumentKind = Literal["invoice", "credit_note", "letter"]
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
