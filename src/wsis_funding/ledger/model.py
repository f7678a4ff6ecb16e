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


@attrs.frozen(kw_only=True)
class Address:
    """A structured postal address (as the Swiss QR-bill requires: no free-form lines)."""

    street: str
    building_number: str
    postcode: str
    town: str
    country: str


@attrs.frozen(kw_only=True)
class Partner:
    """A contributor to the WSIS Fund in Trust; ``id`` is None until stored."""

    legal_name: str
    short_name: str
    country: str
    stakeholder_type: StakeholderType
    language: Language
    billing_address: Address
    tax_id: str | None = None
    contact_email: str | None = None
    id: int | None = None


@attrs.frozen(kw_only=True)
class Edition:
    """One WSIS Forum edition with its tier schedule (TOML text), PSC rate and invoice series."""

    code: str
    title: str
    start: dt.date
    end: dt.date
    base_currency: str
    schedule_toml: str
    psc_rate: Decimal
    invoice_prefix: str
    id: int | None = None


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
