"""Errors of the books: unknown reference data, refused transitions, unbalanced entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from moneyed import Money

from wsis_funding.errors import WsisFundingError
from wsis_funding.money import format_money, from_minor

__all__ = [
    "AlreadyExists",
    "ControlledAccount",
    "DatesOutOfOrder",
    "DuplicatePayment",
    "IdempotencyConflict",
    "InstalmentsDoNotSum",
    "InvalidField",
    "InvalidTransition",
    "NoCreditToApply",
    "TierNotReached",
    "UnbalancedEntry",
    "UnknownAccount",
    "UnknownEdition",
    "UnknownPartner",
    "UnknownPledge",
]


class UnknownPartner(WsisFundingError, LookupError):
    """A partner id or short name that the books do not know."""

    def __init__(self, partner: object) -> None:
        self.partner = partner
        super().__init__(f"unknown partner {partner!r}")


class UnknownEdition(WsisFundingError, LookupError):
    """An edition code that the books do not know."""

    def __init__(self, edition: object) -> None:
        self.edition = edition
        super().__init__(f"unknown edition {edition!r}")


class UnknownPledge(WsisFundingError, LookupError):
    """A pledge id (or instalment id) that the books do not know."""

    def __init__(self, pledge: object, what: str = "pledge", detail: str = "") -> None:
        self.pledge = pledge
        self.what = what
        self.detail = detail
        more = f": {detail}" if detail else ""
        super().__init__(f"unknown {what} {pledge!r}{more}")


class UnknownAccount(WsisFundingError, LookupError):
    """A ledger account code that the chart of accounts does not hold."""

    def __init__(self, account: object) -> None:
        self.account = account
        super().__init__(f"unknown account {account!r}")


class AlreadyExists(WsisFundingError, ValueError):
    """Reference data (a partner short name, an edition code) registered twice.

    ``existing`` is what the books already hold under that key (a partner id, an edition
    code), and ``detail`` says which one and why it counts as the same.
    """

    def __init__(self, what: str, key: object, existing: object = None, detail: str = "") -> None:
        self.what = what
        self.key = key
        self.existing = existing
        self.detail = detail
        more = f": {detail}" if detail else ""
        super().__init__(f"{what} {key!r} already exists{more}")


class InstalmentsDoNotSum(WsisFundingError, ValueError):
    """An instalment schedule whose amounts do not add up to exactly the amount owed."""

    def __init__(self, expected: object, got: object, pledge: object = None) -> None:
        self.expected = expected
        self.got = got
        self.pledge = pledge
        which = f" of pledge {pledge!r}" if pledge is not None else ""
        super().__init__(f"instalments{which} sum to {got}, expected exactly {expected}")


class InvalidTransition(WsisFundingError, ValueError):
    """A use case not allowed in the pledge's current status (confirming twice, ...).

    ``subject`` names what is in ``status`` when it is not the pledge itself (one of its
    instalments, say); ``pledge`` is still the pledge concerned.
    """

    def __init__(
        self, pledge: object, status: str, action: str, hint: str = "", *, subject: str = ""
    ) -> None:
        self.pledge = pledge
        self.status = status
        self.action = action
        self.hint = hint
        self.subject = subject or f"pledge {pledge!r}"
        more = f"; {hint}" if hint else ""
        super().__init__(f"cannot {action} {self.subject} in status {status!r}{more}")


class IdempotencyConflict(WsisFundingError, ValueError):
    """An idempotency key replayed with content different from its first use."""

    def __init__(self, key: str, differences: Sequence[str]) -> None:
        self.key = key
        self.differences = tuple(differences)
        super().__init__(
            f"idempotency key {key!r} was first used for a different payment "
            f"({'; '.join(self.differences)})"
        )


class DuplicatePayment(WsisFundingError, ValueError):
    """A payment without an idempotency key identical to one already recorded.

    The same partner, amount, value date and bank reference: most likely the same bank line
    recorded twice. ``existing`` is the id of the payment already recorded.
    """

    def __init__(
        self, existing: int, partner: int, amount: Money, received_on: dt.date, reference: str
    ) -> None:
        self.existing = existing
        self.partner = partner
        self.amount = amount
        self.received_on = received_on
        self.reference = reference
        super().__init__(
            f"probable duplicate of payment {existing}: partner {partner} already paid "
            f"{format_money(amount, 'en')} received on {received_on.isoformat()} with bank "
            f"reference {reference!r}; give each bank line its own idempotency key, or pass "
            "duplicate_ok=True if the bank really credited it twice"
        )


class UnbalancedEntry(WsisFundingError, ValueError):
    """A journal entry whose postings do not sum to zero in a currency or in base currency."""

    def __init__(self, memo: str, currency: str, residue: int, base: str | None = None) -> None:
        """``currency`` is the code that does not balance, or "base currency" (``base``)."""
        self.memo = memo
        self.currency = currency
        self.residue = residue
        self.base = base
        code = base if currency == "base currency" else currency
        try:
            off = format_money(from_minor(residue, code or ""), "en")
        except LookupError:  # no known currency to count in
            off = f"{residue} of its smallest unit"
        where = f"base currency ({base})" if currency == "base currency" and base else currency
        super().__init__(
            f"journal entry {memo!r} does not balance in {where}: postings sum to {off}"
        )


class NoCreditToApply(WsisFundingError, ValueError):
    """Applying unapplied credit that the partner does not have, or to nothing that is open."""

    def __init__(self, partner: int, currency: str, reason: str) -> None:
        self.partner = partner
        self.currency = currency
        self.reason = reason
        super().__init__(f"cannot apply {currency} credit of partner {partner}: {reason}")


_SHOWN = 60


class InvalidField(WsisFundingError, ValueError):
    """A reference-data field whose value breaks a rule; names the field and what is expected.

    ``value`` is the value as given; the message shows it (shortened when long).
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        text = repr(value)
        shown = text if len(text) <= _SHOWN else f"{text[: _SHOWN - 5]}...{text[-2:]}"
        super().__init__(f"invalid {field} {shown}: {reason}")


class DatesOutOfOrder(WsisFundingError, ValueError):
    """A date before the date it must follow; the message names both dates.

    A payment applied before its pledge was signed, a letter before its payment, a reversal
    (cancellation, amendment, write-off, credit note) before what it reverses.
    """

    def __init__(self, what: str, on: dt.date, must_follow: str, other: dt.date) -> None:
        self.what = what
        self.on = on
        self.must_follow = must_follow
        self.other = other
        super().__init__(
            f"{what} is dated {on.isoformat()}, before {must_follow} on {other.isoformat()}"
        )


class TierNotReached(WsisFundingError, ValueError):
    """A pledge declares a tier that all the partner's confirmed pledges cannot reach."""

    def __init__(self, pledge: int, tier: str, reached: str, shortfall: Money) -> None:
        self.pledge = pledge
        self.tier = tier
        self.reached = reached
        self.shortfall = shortfall
        super().__init__(
            f"pledge {pledge} declares the tier {tier!r}, but the partner's confirmed pledges "
            f"with it reach {reached}: {shortfall.amount} {shortfall.currency.code} short"
        )


class ControlledAccount(WsisFundingError, ValueError):
    """A manual entry into an account that a subledger controls (receivables, revenue, ...)."""

    def __init__(self, account: str, controlled_by: str) -> None:
        self.account = account
        self.controlled_by = controlled_by
        super().__init__(
            f"account {account!r} is kept by {controlled_by}; a manual entry may touch only "
            "bank, bank_charges, psc_income, fx_gain_loss and write_off"
        )
