"""Errors raised while reading an ISO 20022 bank statement (camt.053, camt.054).

Every error names the file, and the statement and entry when they are known, so that a person
can open the file at the right place. Each derives from
:class:`wsis_funding.errors.WsisFundingError` and from the builtin exception that fits.
"""

from __future__ import annotations

from decimal import Decimal

from wsis_funding.errors import WsisFundingError
from wsis_funding.money import CONTEXT

__all__ = [
    "MalformedStatement",
    "StatementRefused",
    "UnbalancedBatch",
    "UnknownBankAccount",
    "UnsafeStatement",
    "UnsupportedStatement",
]


def _where(file: str, entry: str | None) -> str:
    return f"{file}, {entry}" if entry else file


class StatementRefused(WsisFundingError, ValueError):
    """A bank statement file that cannot be read as a whole; nothing from it may be used.

    ``file`` is the file's name, ``entry`` says where in the file (``"statement 1 (id S-1),
    entry 3 (AcctSvcrRef X)"``) or is None when the problem is not inside an entry, and
    ``reason`` says what is wrong.
    """

    def __init__(self, file: str, reason: str, entry: str | None = None) -> None:
        self.file = file
        self.entry = entry
        self.reason = reason
        super().__init__(f"bank statement refused: {_where(file, entry)}: {reason}")


class MalformedStatement(StatementRefused):
    """Not well-formed XML (truncated, broken tags, undefined entities) or a missing element."""


class UnsafeStatement(StatementRefused):
    """A file refused before it is read: a DOCTYPE or entity declaration, too deep, too large."""


class UnsupportedStatement(StatementRefused):
    """Well-formed XML that is not camt.053 or camt.054 in version .001.02, .001.04 or .001.08."""


class UnbalancedBatch(StatementRefused):
    """A batch entry whose transaction amounts less its deducted charges differ from the entry.

    ``entry_amount``, ``transactions_total`` and ``charges`` are the three figures, in the
    account currency.
    """

    def __init__(
        self,
        file: str,
        entry: str,
        *,
        entry_amount: Decimal,
        transactions_total: Decimal,
        charges: Decimal,
        currency: str,
    ) -> None:
        self.entry_amount = entry_amount
        self.transactions_total = transactions_total
        self.charges = charges
        self.currency = currency
        super().__init__(
            file,
            f"the transactions sum to {transactions_total} {currency}, the deducted charges "
            f"to {charges} {currency}, so the entry should be "
            f"{CONTEXT.subtract(transactions_total, charges)} {currency}, "
            f"but it is {entry_amount} {currency}",
            entry,
        )


class UnknownBankAccount(WsisFundingError, LookupError):
    """A statement for a bank account that is not one of ours."""

    def __init__(self, file: str, account: str, entry: str | None = None) -> None:
        self.file = file
        self.account = account
        self.entry = entry
        super().__init__(
            f"bank statement refused: {_where(file, entry)}: account {account} is not one "
            "of the known bank accounts"
        )

    def __str__(self) -> str:
        return str(self.args[0])
