"""The one error hierarchy of wsis-funding.

Every error raised on purpose by the library derives from :class:`WsisFundingError`, and each
leaf also derives from the builtin exception that fits it, so that callers may catch either
``WsisFundingError`` (everything from us) or, say, ``LookupError`` (anything not found).
Each error carries the offending values as attributes and names them in its message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

__all__ = [
    "AlreadyExists",
    "CapacityExceeded",
    "ConflictingRate",
    "CurrencyMismatch",
    "IdempotencyConflict",
    "InstalmentsDoNotSum",
    "InvalidAmount",
    "InvalidSchedule",
    "InvalidTransition",
    "MissingRate",
    "NoCreditToApply",
    "UnbalancedEntry",
    "UnknownAccount",
    "UnknownCurrency",
    "UnknownEdition",
    "UnknownPackage",
    "UnknownPartner",
    "UnknownPledge",
    "WsisFundingError",
]


class WsisFundingError(Exception):
    """Root of every error that wsis-funding raises on purpose."""


class UnknownCurrency(WsisFundingError, LookupError):
    """A currency code that is not an active ISO 4217 code with a minor unit."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(
            f"unknown currency {code!r}: not an active ISO 4217 code with a minor unit"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidAmount(WsisFundingError, ValueError):
    """An amount that is not a finite decimal, or has more decimals than its currency allows."""

    def __init__(self, amount: object, reason: str) -> None:
        self.amount = amount
        self.reason = reason
        super().__init__(f"invalid amount {amount!r}: {reason}")


class CurrencyMismatch(WsisFundingError, ValueError):
    """Two amounts, or an amount and a schedule, in currencies that were required to agree."""

    def __init__(self, expected: str, got: str, context: str = "") -> None:
        self.expected = expected
        self.got = got
        self.context = context
        where = f" ({context})" if context else ""
        super().__init__(f"currency mismatch{where}: expected {expected}, got {got}")


class MissingRate(WsisFundingError, LookupError):
    """No exchange rate in force for a currency pair on a date; we never guess one."""

    def __init__(self, from_currency: str, to_currency: str, on: dt.date) -> None:
        self.from_currency = from_currency
        self.to_currency = to_currency
        self.on = on
        super().__init__(
            f"no exchange rate {from_currency}->{to_currency} in force on {on.isoformat()}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class ConflictingRate(WsisFundingError, ValueError):
    """Two different rates given for the same currency pair and effective date."""

    def __init__(self, from_currency: str, to_currency: str, effective: dt.date) -> None:
        self.from_currency = from_currency
        self.to_currency = to_currency
        self.effective = effective
        super().__init__(
            f"two different rates {from_currency}->{to_currency} effective {effective.isoformat()}"
        )


class InvalidSchedule(WsisFundingError, ValueError):
    """A tier schedule that is inconsistent; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid tier schedule{where}: {len(self.problems)} problem(s)\n{lines}")


class CapacityExceeded(WsisFundingError, ValueError):
    """An activity package sold beyond its capacity."""

    def __init__(self, package: str, capacity: int, requested: int) -> None:
        self.package = package
        self.capacity = capacity
        self.requested = requested
        super().__init__(
            f"activity package {package!r} has capacity {capacity}; {requested} would be sold"
        )


class UnknownPartner(WsisFundingError, LookupError):
    """A partner id or short name that the books do not know."""

    def __init__(self, partner: object) -> None:
        self.partner = partner
        super().__init__(f"unknown partner {partner!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownEdition(WsisFundingError, LookupError):
    """An edition code that the books do not know."""

    def __init__(self, edition: object) -> None:
        self.edition = edition
        super().__init__(f"unknown edition {edition!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownPledge(WsisFundingError, LookupError):
    """A pledge id (or instalment id) that the books do not know."""

    def __init__(self, pledge: object, what: str = "pledge") -> None:
        self.pledge = pledge
        self.what = what
        super().__init__(f"unknown {what} {pledge!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownAccount(WsisFundingError, LookupError):
    """A ledger account code that the chart of accounts does not hold."""

    def __init__(self, account: object) -> None:
        self.account = account
        super().__init__(f"unknown account {account!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class AlreadyExists(WsisFundingError, ValueError):
    """Reference data (a partner short name, an edition code) registered twice."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"{what} {key!r} already exists")


class InstalmentsDoNotSum(WsisFundingError, ValueError):
    """An instalment schedule whose amounts do not add up to exactly the amount owed."""

    def __init__(self, expected: object, got: object, pledge: object = None) -> None:
        self.expected = expected
        self.got = got
        self.pledge = pledge
        which = f" of pledge {pledge!r}" if pledge is not None else ""
        super().__init__(f"instalments{which} sum to {got}, expected exactly {expected}")


class InvalidTransition(WsisFundingError, ValueError):
    """A use case not allowed in the pledge's current status (confirming twice, ...)."""

    def __init__(self, pledge: object, status: str, action: str, hint: str = "") -> None:
        self.pledge = pledge
        self.status = status
        self.action = action
        self.hint = hint
        more = f"; {hint}" if hint else ""
        super().__init__(f"cannot {action} pledge {pledge!r} in status {status!r}{more}")


class IdempotencyConflict(WsisFundingError, ValueError):
    """An idempotency key replayed with content different from its first use."""

    def __init__(self, key: str, differences: Sequence[str]) -> None:
        self.key = key
        self.differences = tuple(differences)
        super().__init__(
            f"idempotency key {key!r} was first used for a different payment "
            f"({'; '.join(self.differences)})"
        )


class UnbalancedEntry(WsisFundingError, ValueError):
    """A journal entry whose postings do not sum to zero in a currency or in base currency."""

    def __init__(self, memo: str, currency: str, residue: int) -> None:
        self.memo = memo
        self.currency = currency
        self.residue = residue
        super().__init__(
            f"journal entry {memo!r} does not balance in {currency}: "
            f"postings sum to {residue} minor units"
        )


class UnknownPackage(WsisFundingError, LookupError):
    """An activity package or tier name that the edition's schedule does not offer."""

    def __init__(self, package: object, edition: str) -> None:
        self.package = package
        self.edition = edition
        super().__init__(f"edition {edition!r} offers no tier or activity package {package!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class NoCreditToApply(WsisFundingError, ValueError):
    """Applying unapplied credit that the partner does not have, or to nothing that is open."""

    def __init__(self, partner: int, currency: str, reason: str) -> None:
        self.partner = partner
        self.currency = currency
        self.reason = reason
        super().__init__(f"cannot apply {currency} credit of partner {partner}: {reason}")
