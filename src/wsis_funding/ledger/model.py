"""Frozen domain types of the ledger: reference data, pledges, payments and journal entries.

These are plain values (``attrs.frozen``); the adapters in :mod:`tables` and :mod:`repository`
turn rows into them and back. Amounts are :class:`Money` in code and integer minor units in
storage; a journal :class:`Posting` keeps both its original amount and its base-currency value
with the rate, rate date and rate source used.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs
from moneyed import Money

from wsis_funding.ledger.errors import InvalidField
from wsis_funding.ledger.inputs import positive_money
from wsis_funding.ledger.validation import (
    check_choice,
    check_country,
    check_date,
    check_invoice_prefix,
    check_new_id,
    check_optional_email,
    edition_text,
    partner_text,
)
from wsis_funding.money import RecordedRate

__all__ = [
    "Address",
    "Edition",
    "Entry",
    "Instalment",
    "Language",
    "Partner",
    "Payment",
    "Pledge",
    "PledgeStatus",
    "Posting",
    "StakeholderType",
    "status_for",
]


class StakeholderType(enum.Enum):
    """The WSIS stakeholder groups a partner belongs to."""

    GOVERNMENT = "government"
    PRIVATE_SECTOR = "private_sector"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    TECHNICAL_COMMUNITY = "technical_community"
    INTERNATIONAL_ORGANIZATION = "international_organization"


class Language(enum.Enum):
    """The six UN languages, by ISO 639-1 code."""

    AR = "ar"
    ZH = "zh"
    EN = "en"
    FR = "fr"
    RU = "ru"
    ES = "es"


class PledgeStatus(enum.Enum):
    """Where a pledge is in its life: draft -> confirmed -> partially paid -> fulfilled."""

    DRAFT = "draft"
    CONFIRMED = "confirmed"
    PARTIALLY_PAID = "partially_paid"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    WRITTEN_OFF = "written_off"

    @property
    def posted(self) -> bool:
        """True when the pledge's revenue and receivable are in the journal."""
        return self in _POSTED


_POSTED = frozenset(
    {
        PledgeStatus.CONFIRMED,
        PledgeStatus.PARTIALLY_PAID,
        PledgeStatus.FULFILLED,
        PledgeStatus.WRITTEN_OFF,
    }
)


def _street(value: object) -> str:
    return partner_text(value, "billing_address.street")


def _building_number(value: object) -> str:
    return partner_text(value, "billing_address.building_number", required=False) or ""


def _postcode(value: object) -> str:
    return partner_text(value, "billing_address.postcode")


def _town(value: object) -> str:
    return partner_text(value, "billing_address.town")


def _address_country(value: object) -> str:
    return check_country(value, "billing_address.country")


@attrs.frozen(kw_only=True)
class Address:
    """A structured postal address, complete enough for a Swiss QR-bill (no free-form lines).

    Checked when built: street, postcode and town are required, the building number may be
    empty (``""``); each is NFC-normalised, trimmed and within the QR-bill's field length
    (street 70, building number 16, postcode 16, town 35); the country is an ISO 3166-1
    alpha-2 code. Raises ``TypeError`` for a non-str and :class:`InvalidField` naming the field
    (``billing_address.town``) for anything else.
    """

    street: str = attrs.field(converter=_street)
    building_number: str = attrs.field(converter=_building_number)
    postcode: str = attrs.field(converter=_postcode)
    town: str = attrs.field(converter=_town)
    country: str = attrs.field(converter=_address_country)


def _legal_name(value: object) -> str:
    return partner_text(value, "legal_name")


def _short_name(value: object) -> str:
    return partner_text(value, "short_name")


def _country(value: object) -> str:
    return check_country(value, "country")


def _stakeholder_type(value: object) -> StakeholderType:
    return check_choice(value, StakeholderType, "stakeholder_type")


def _language(value: object) -> Language:
    return check_choice(value, Language, "language")


def _billing_address(value: object) -> Address:
    if not isinstance(value, Address):
        raise TypeError(f"billing_address must be an Address, not {type(value).__name__}")
    return value


def _tax_id(value: object) -> str | None:
    return partner_text(value, "tax_id", required=False)


def _contact_email(value: object) -> str | None:
    return check_optional_email(value, "contact_email")


def _id(value: object) -> int | None:
    return check_new_id(value)


@attrs.frozen(kw_only=True)
class Partner:
    """A contributor to the WSIS Fund in Trust; ``id`` is None until stored.

    Checked when built, so that an invalid partner cannot exist (see
    :mod:`wsis_funding.ledger.validation` for every rule): legal and short names NFC-normalised,
    trimmed, single-line, with a visible character, at most 70 (the QR-bill's name) and 40
    characters; ISO 3166-1 alpha-2 country; ``stakeholder_type`` and ``language`` given as the
    enum or its value (``language="fr"``); the optional tax id (at most 60 characters) and
    e-mail (syntax checked) None when blank. Raises ``TypeError`` naming the field for a value
    of the wrong type and :class:`InvalidField` naming it for a value that breaks a rule.
    Whether the document fonts can draw the printed fields is checked when the partner is
    stored (it depends on the fonts installed, not on the value).
    """

    legal_name: str = attrs.field(converter=_legal_name)
    short_name: str = attrs.field(converter=_short_name)
    country: str = attrs.field(converter=_country)
    stakeholder_type: StakeholderType = attrs.field(converter=_stakeholder_type)
    language: Language = attrs.field(converter=_language)
    billing_address: Address = attrs.field(converter=_billing_address)
    tax_id: str | None = attrs.field(default=None, converter=_tax_id)
    contact_email: str | None = attrs.field(default=None, converter=_contact_email)
    id: int | None = attrs.field(default=None, converter=_id)


def _code(value: object) -> str:
    return edition_text(value, "code")


def _title(value: object) -> str:
    return edition_text(value, "title")


def _start(value: object) -> dt.date:
    return check_date(value, "start")


def _end(value: object) -> dt.date:
    return check_date(value, "end")


def _invoice_prefix(value: object) -> str:
    return check_invoice_prefix(value)


def _funding_target(value: object) -> Money | None:
    if value is None:
        return None
    return positive_money(value, "funding_target")


@attrs.frozen(kw_only=True)
class Edition:
    """One WSIS Forum edition with its tier schedule (TOML text), PSC rate and invoice series.

    Checked when built: ``code`` (at most 40 characters) and ``title`` (at most 200) follow the
    partner text rules; ``start`` and ``end`` are dates, the end not before the start; the
    invoice prefix is ASCII letters and digits joined by single hyphens whose RF creditor
    references fit (see :func:`~wsis_funding.ledger.validation.check_invoice_prefix`).
    ``funding_target`` (optional) is the money the edition aims to raise, in its base
    currency, above zero: the funding report measures what is committed and received against
    it. Raises ``TypeError`` naming the field for a value of the wrong type,
    :class:`InvalidAmount` for a target that is not above zero, finer than its currency's
    minor unit or beyond the books' 64-bit limit, and :class:`InvalidField` naming the field
    otherwise (a target in another currency than the base currency included). The base
    currency, schedule and PSC rate are checked by ``add_edition`` against the books and the
    schedule's own rules.
    """

    code: str = attrs.field(converter=_code)
    title: str = attrs.field(converter=_title)
    start: dt.date = attrs.field(converter=_start)
    end: dt.date = attrs.field(converter=_end)
    base_currency: str
    schedule_toml: str
    psc_rate: Decimal
    invoice_prefix: str = attrs.field(converter=_invoice_prefix)
    id: int | None = attrs.field(default=None, converter=_id)
    funding_target: Money | None = attrs.field(default=None, converter=_funding_target)

    def __attrs_post_init__(self) -> None:
        target = self.funding_target
        if target is not None and target.currency.code != self.base_currency:
            raise InvalidField(
                "funding_target",
                target,
                f"is in {target.currency.code}; expected the edition's base currency "
                f"{self.base_currency}",
            )
        if self.end < self.start:
            raise InvalidField(
                "end",
                self.end,
                f"is before the start {self.start.isoformat()}; expected an edition that ends "
                "on or after the day it starts",
            )


@attrs.frozen(kw_only=True)
class Instalment:
    """One due date and amount of a pledge; ``settled`` is what payments have covered so far.

    ``replaced`` instalments were superseded by an amendment and are kept only for the audit;
    ``written_off`` ones were written off with their pledge (money received for them later is
    a recovery).
    """

    due_on: dt.date
    amount: Money
    settled: Money
    seq: int
    replaced: bool = False
    written_off: bool = False
    id: int | None = None
    number: int | None = None
    """The instalment's number as the partner sees the current schedule (1..n; None once
    replaced): ``seq`` keeps counting across amendments, ``number`` does not."""

    @property
    def open_amount(self) -> Money:
        """What is still owed on this instalment (zero if replaced or written off)."""
        if self.replaced or self.written_off:
            return self.amount - self.amount
        return self.amount - self.settled


@attrs.frozen(kw_only=True)
class Pledge:
    """A partner's commitment to an edition, for a tier or an activity package.

    ``base_amount`` is the amount at the signing-date rate (the carrying value of the
    receivable), ``rate`` that rate as recorded (None for a pledge in the base currency or not
    yet confirmed); ``settled`` and ``written_off`` are in the pledge currency and
    ``settled_base`` and ``written_off_base`` their carrying base values.
    """

    id: int
    partner_id: int
    edition_code: str
    amount: Money
    base_amount: Money
    signed_on: dt.date
    status: PledgeStatus
    settled: Money
    written_off: Money
    instalments: tuple[Instalment, ...]
    settled_base: Money
    written_off_base: Money
    rate: RecordedRate | None = None
    tier: str | None = None
    package: str | None = None
    write_off_reason: str | None = None
    discount_reason: str | None = None
    recovered: Money | None = None
    """What was received after a write-off (reversing it for that much); None when nothing."""
    recovered_base: Money | None = None
    """The carrying base value of what was recovered."""

    @property
    def currency(self) -> str:
        """The pledge currency."""
        return str(self.amount.currency.code)

    @property
    def outstanding(self) -> Money:
        """What is still receivable: amount minus settlements minus write-off (zero if unposted)."""
        if not self.status.posted:
            return self.amount - self.amount
        return self.amount - self.settled - self.written_off

    @property
    def open_instalments(self) -> tuple[Instalment, ...]:
        """The instalments with something still owed, in schedule order."""
        return tuple(i for i in self.instalments if i.open_amount.amount > 0)


@attrs.frozen(kw_only=True)
class Payment:
    """A payment as received: ``settled`` went to instalments, ``unapplied`` to credit.

    ``source`` is ``"bank"`` for money received and ``"credit"`` when the partner's unapplied
    credit was applied to instalments (then ``amount`` is the credit used).
    """

    id: int
    partner_id: int
    amount: Money
    bank_charges: Money
    received_on: dt.date
    reference: str
    idempotency_key: str | None
    settled: Money
    unapplied: Money
    entry_seq: int
    apply_to: tuple[int, ...] | None = None
    source: str = "bank"
    invoice: str | None = None
    """The number of the invoice the payment named, if it named one."""
    settles: Money | None = None
    """For money in another currency than the instalments it settled: how much of their
    currency it settled (``settles_basis`` says how that was known)."""
    settles_basis: str | None = None


@attrs.frozen(kw_only=True)
class Posting:
    """One line of a journal entry; debits are positive, credits negative.

    ``amount_minor`` is in ``currency``; ``base_minor`` is its value in the books' base currency
    at ``rate`` (units of base per unit of ``currency``, with its effective date and source).
    A base-currency line has no rate. An exchange difference has ``amount_minor`` 0 and
    carries base currency only.
    """

    account: str
    currency: str
    amount_minor: int
    base_minor: int
    rate: RecordedRate | None = None
    pledge_id: int | None = None


@attrs.frozen(kw_only=True)
class Entry:
    """A balanced journal entry; ``seq`` and the hashes are set when it is appended."""

    entry_date: dt.date
    kind: str
    memo: str
    postings: tuple[Posting, ...]
    references: tuple[tuple[str, str], ...] = ()
    seq: int | None = None
    prev_hash: str | None = None
    hash: str | None = None


def status_for(amount: int, settled: int, written_off: int) -> PledgeStatus:
    """Return the status of a posted pledge from what was settled and written off (minor)."""
    if written_off:
        return PledgeStatus.WRITTEN_OFF
    if settled >= amount:
        return PledgeStatus.FULFILLED
    return PledgeStatus.PARTIALLY_PAID if settled else PledgeStatus.CONFIRMED
