"""Errors of the use cases: using the books the wrong way round, bank lines and accounts."""

from __future__ import annotations

from wsis_funding.errors import WsisFundingError

__all__ = ["BankLineClosed", "NoBankAccount", "TransactionInProgress", "UnknownBankLine"]


class TransactionInProgress(WsisFundingError, RuntimeError):
    """A tracker method, or a second transaction, called while this thread has one open.

    Inside ``with tracker.transaction() as books:`` every use case is called on ``books``; a
    call on the tracker itself would need a second connection, which would wait for the
    first one's lock forever.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"{what} while a transaction is open in this thread: call it on the object that "
            "`with tracker.transaction() as books:` gave you"
        )


class NoBankAccount(WsisFundingError, LookupError):
    """A bank statement imported with books whose issuer settings name no bank account.

    A statement is accepted only for one of our accounts, which the issuer settings hold.
    """

    def __init__(self) -> None:
        super().__init__(
            "no bank account to check statements against: open the tracker with issuer "
            "settings (load_issuer) whose [bank_account] names the account's IBAN"
        )


class UnknownBankLine(WsisFundingError, LookupError):
    """A bank line id (or statement id) that the books do not know."""

    def __init__(self, line: object, what: str = "bank line") -> None:
        self.line = line
        self.what = what
        super().__init__(f"unknown {what} {line!r}")


class BankLineClosed(WsisFundingError, ValueError):
    """Assigning or dismissing a bank line that no longer waits for a person.

    ``status`` is what became of it (``matched``, ``assigned``, ``dismissed``, ...), and
    ``detail`` says how.
    """

    def __init__(self, line: int, status: str, action: str, detail: str = "") -> None:
        self.line = line
        self.status = status
        self.action = action
        self.detail = detail
        more = f" ({detail})" if detail else ""
        super().__init__(f"cannot {action} bank line {line}: it is {status}{more}")
