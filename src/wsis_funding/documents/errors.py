"""Errors of the documents: snapshots, references, issuer settings, what can be issued.

Each class derives from :class:`wsis_funding.errors.WsisFundingError` and from the builtin
exception that fits, and carries the offending values as attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wsis_funding.errors import WsisFundingError

__all__ = [
    "InvalidBankAccount",
    "InvalidCreditorReference",
    "InvalidIssuerConfig",
    "InvalidSnapshot",
    "IssuerNotConfigured",
    "NothingToAcknowledge",
    "NothingToCredit",
    "NothingToInvoice",
    "NothingToRemind",
    "UnknownDocument",
]


class InvalidBankAccount(WsisFundingError, ValueError):
    """An IBAN whose mod-97 checksum or shape is wrong, or a malformed BIC."""

    def __init__(self, field: str, value: str, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"invalid {field} {value!r}: {reason}")


class InvalidCreditorReference(WsisFundingError, ValueError):
    """A text from which no ISO 11649 creditor reference can be derived."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot derive a creditor reference from {text!r}: {reason}")


class InvalidSnapshot(WsisFundingError, ValueError):
    """A document snapshot whose figures or fields do not hold together."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"invalid document snapshot, {field}: {reason}")


class InvalidIssuerConfig(WsisFundingError, ValueError):
    """An issuer settings file with missing, unknown or malformed keys; lists every problem.

    ``problems`` holds ``(key, reason)`` pairs; ``key`` is the first problem's key.
    """

    def __init__(self, path: Path | str, problems: Sequence[tuple[str, str]]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        self.key = self.problems[0][0] if self.problems else ""
        lines = "\n".join(f"  - key {k!r}: {r}" for k, r in self.problems)
        super().__init__(f"invalid issuer settings in {self.path}:\n{lines}")


class UnknownDocument(WsisFundingError, LookupError):
    """A document number (or creditor reference) that no issued document has."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"no issued document {number!r}")


class NothingToInvoice(WsisFundingError, ValueError):
    """An invoice asked for a pledge or instalment that cannot be (or is already) invoiced."""

    def __init__(self, pledge: int, reason: str) -> None:
        self.pledge = pledge
        self.reason = reason
        super().__init__(f"cannot invoice pledge {pledge}: {reason}")


class NothingToCredit(WsisFundingError, ValueError):
    """A credit note asked for more than what is left uncredited on an invoice."""

    def __init__(self, number: str, reason: str) -> None:
        self.number = number
        self.reason = reason
        super().__init__(f"cannot credit invoice {number}: {reason}")


class NothingToAcknowledge(WsisFundingError, ValueError):
    """An acknowledgement asked for a payment that settled no pledge (or several, unnamed)."""

    def __init__(self, payment: int, reason: str) -> None:
        self.payment = payment
        self.reason = reason
        super().__init__(f"cannot acknowledge payment {payment}: {reason}")


class NothingToRemind(WsisFundingError, ValueError):
    """A reminder asked for a pledge with nothing invoiced overdue (or that is not open)."""

    def __init__(self, pledge: int, reason: str) -> None:
        self.pledge = pledge
        self.reason = reason
        super().__init__(f"no reminder for pledge {pledge}: {reason}")


class IssuerNotConfigured(WsisFundingError, LookupError):
    """Issuing a document with a tracker opened without issuer settings."""

    def __init__(self) -> None:
        super().__init__(
            "no issuer settings: open the tracker with issuer=load_issuer('issuer.toml')"
        )
