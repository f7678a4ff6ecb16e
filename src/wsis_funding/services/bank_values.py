"""What the bank statement use cases return: import summaries, lines, payers, assignments.

Plain frozen values; amounts are :class:`~wsis_funding.money.Money`. A :class:`Count` adds up
lines (or entries) per currency, at what reached the account (the amount received, after the
charges the banks deducted), so that an import's counts add up to the bank's own credit total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from wsis_funding.imports.camt.matching import Rule
from wsis_funding.ledger.model import Payment
from wsis_funding.money import Money, from_minor

__all__ = [
    "Assignment",
    "BankLine",
    "Count",
    "ImportProgress",
    "ImportedStatement",
    "Payer",
    "ProgressCallback",
    "StatementImport",
    "Tally",
]


@attrs.frozen(kw_only=True)
class ImportProgress:
    """How far the import of one file is: bytes read of the total (None: unknown), lines."""

    file: str
    bytes_read: int
    bytes_total: int | None
    lines: int


ProgressCallback = Callable[[ImportProgress], None]
"""Called as an import goes, every few hundred lines and once when a file is read."""


@attrs.frozen
class Count:
    """A number of lines or entries and their amounts, one Money per currency (sorted)."""

    count: int = 0
    totals: tuple[Money, ...] = ()

    def total(self, currency: str) -> Money:
        """Return the total in ``currency`` (zero when none)."""
        for amount in self.totals:
            if amount.currency.code == currency:
                return amount
        return from_minor(0, currency)


class Tally:
    """A :class:`Count` being added up (mutable, used while a file is read)."""

    __slots__ = ("count", "minor")

    def __init__(self) -> None:
        """Start at zero."""
        self.count = 0
        self.minor: dict[str, int] = {}

    def add(self, currency: str, minor: int, count: int = 1) -> None:
        """Count ``count`` more lines or entries of ``minor`` units of ``currency`` in all."""
        self.count += count
        self.minor[currency] = self.minor.get(currency, 0) + minor

    def copy(self) -> Tally:
        """Return a tally that starts where this one is (to go back to it)."""
        other = Tally()
        other.count, other.minor = self.count, dict(self.minor)
        return other

    def frozen(self) -> Count:
        """Return the count so far."""
        totals = tuple(from_minor(n, code) for code, n in sorted(self.minor.items()))
        return Count(self.count, totals)


@attrs.frozen(kw_only=True)
class ImportedStatement:
    """One statement (or notification) of an imported file, as the bank stated it.

    ``id`` is the statement's id in the books (None after a dry run). ``discrepancies``
    says where the bank's own totals or balances disagree with the entries read.
    """

    id: int | None
    position: int
    statement_id: str
    account: str
    currency: str
    opening: Money | None
    closing: Money | None
    credit_lines: int
    discrepancies: tuple[str, ...]


@attrs.frozen(kw_only=True)
class StatementImport:
    """What importing one file did (or, after a dry run, would do).

    Lines: ``matched`` by each rule (a payment was recorded), ``already_imported`` (a credit
    line an earlier file brought, or a batch already counted in its other shape), ``queued``
    (waiting for a person), ``refused`` (a rule matched but the payment could not be
    recorded; waiting for a person too) and ``reversals`` (debits taking back a credit,
    waiting for a person; one seen before is not counted again). Entries: ``not_booked``
    (any status but BOOK) and ``debits`` (booked debit entries, which are not payments to
    us). Matched, queued, refused and already imported add up to the bank's credit total.
    ``earlier_imports`` are the ids of earlier imports of the very same file (same SHA-256).
    """

    file: str
    sha256: str
    message: str
    import_id: int | None
    dry_run: bool
    earlier_imports: tuple[int, ...]
    statements: tuple[ImportedStatement, ...]
    matched: tuple[tuple[Rule, Count], ...]
    already_imported: Count
    queued: Count
    refused: Count
    reversals: Count
    not_booked: Count
    debits: Count

    def matched_by(self, rule: Rule | str) -> Count:
        """Return the lines matched by ``rule``."""
        for r, count in self.matched:
            if r == rule:
                return count
        return Count()

    @property
    def imported(self) -> int:
        """How many credit lines were new: matched, queued or refused."""
        return sum(c.count for _, c in self.matched) + self.queued.count + self.refused.count


@attrs.frozen(kw_only=True)
class BankLine:
    """A stored bank line and what became of it.

    ``kind`` is ``"credit"`` or ``"reversal"`` (a debit taking back a credit). ``status``:
    ``matched`` (by ``rule``), ``queued`` or ``refused`` (waiting for a person, ``reason``
    says why), ``assigned`` (by a person), ``dismissed`` (``reason`` says why),
    ``superseded`` (a batch whose transactions are lines of their own, or the reverse).
    ``amount`` is before the deducted ``charges``; ``received`` what reached the account.
    """

    id: int
    statement: int
    kind: str
    status: str
    rule: str | None
    reason: str | None
    booking_date: dt.date | None
    value_date: dt.date | None
    amount: Money
    charges: Money
    instructed: Money | None
    rf: str | None
    reference: str | None
    remittance: str | None
    debtor_name: str | None
    debtor_account: str | None
    partner_id: int | None
    partner: str | None
    payment_id: int | None
    invoice: str | None
    original_line: int | None

    @property
    def received(self) -> Money:
        """What reached the account for this line: the amount less the deducted charges."""
        return self.amount - self.charges


@attrs.frozen(kw_only=True)
class Payer:
    """Who is known to pay for a partner: an IBAN, or an alias (a name)."""

    id: int
    partner_id: int
    kind: str
    value: str
    line: int | None


@attrs.frozen(kw_only=True)
class Assignment:
    """A queued line assigned by a person: the payment recorded, and the payer remembered.

    ``remembered`` is the payer IBAN now known for the partner (None when the line had none,
    or it was known already).
    """

    line: BankLine
    payment: Payment
    remembered: Payer | None
