"""The frozen values a bank statement file is parsed into.

:func:`wsis_funding.imports.camt.parse_statement` yields, in file order: one
:class:`Statement` (the header of a camt.053 statement or camt.054 notification) before its
lines, a :class:`Credit` for every booked credit transaction, a :class:`CreditReversal` for
every booked debit that takes back an earlier credit (``RvslInd`` on a debit), a
:class:`StatementSummary` after the statement's last entry, and one :class:`FileSummary` at
the very end, which carries the file's SHA-256.

Amounts are exact :class:`~wsis_funding.money.Money` in the account currency unless said
otherwise; the bank's own totals are kept as the ``Decimal`` figures the bank sent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeAlias

import attrs

from wsis_funding.money import CONTEXT, Money, money

__all__ = [
    "Balance",
    "BankCount",
    "BankLine",
    "BankTotals",
    "Credit",
    "CreditReversal",
    "CreditorReference",
    "Entry",
    "EntryKey",
    "Exchange",
    "FileSummary",
    "Instructed",
    "LineId",
    "References",
    "Statement",
    "StatementFile",
    "StatementItem",
    "StatementRecord",
    "StatementSummary",
    "Tally",
]


@attrs.frozen(kw_only=True)
class Balance:
    """A booked balance of the statement: ``code`` OPBD or PRCD (opening), CLBD (closing).

    ``amount`` is signed: a debit balance (``CdtDbtInd`` DBIT) is negative.
    """

    code: str
    amount: Money
    date: dt.date | None


@attrs.frozen(kw_only=True)
class BankCount:
    """A number of entries and their sum as the bank stated them (either may be absent)."""

    count: int | None
    total: Decimal | None


@attrs.frozen(kw_only=True)
class BankTotals:
    """The bank's own totals from ``TxsSummry``: all entries, credit entries, debit entries.

    ``net`` is the signed net amount of all entries (``TtlNetNtryAmt`` or ``TtlNetNtry``).
    """

    entries: BankCount | None
    net: Decimal | None
    credits: BankCount | None
    debits: BankCount | None


@attrs.frozen(kw_only=True)
class Statement:
    """The header of one camt.053 statement (``Stmt``) or camt.054 notification (``Ntfctn``).

    ``position`` counts statements in the file from 1. ``account`` is the IBAN when the bank
    gave one (``account_is_iban``), else its other identification. Balances and totals are
    None when the bank did not send them (a camt.054 has no balances).
    """

    file: str
    message: str
    version: str
    message_id: str
    message_created: dt.datetime
    position: int
    statement_id: str
    created: dt.datetime | None
    electronic_sequence: int | None
    legal_sequence: int | None
    account: str
    account_is_iban: bool
    currency: str
    opening: Balance | None
    closing: Balance | None
    bank_totals: BankTotals | None

    @property
    def where(self) -> str:
        """Where the statement is, for messages: ``"statement 2 (id S-2)"``."""
        return f"statement {self.position} (id {self.statement_id})"


@attrs.frozen(kw_only=True)
class Exchange:
    """Currency exchange details (``CcyXchg``): ``rate`` converts ``source`` into ``target``.

    ``unit`` is the currency in which the rate is quoted, when the bank says so.
    """

    source: str
    target: str | None
    unit: str | None
    rate: Decimal
    contract: str | None
    quoted: dt.datetime | None


@attrs.frozen(kw_only=True)
class Instructed:
    """The amount the payer instructed, in its own currency (``AmtDtls/InstdAmt``).

    ``level`` says whether it came from the transaction or from the entry.
    """

    amount: Money
    exchange: Exchange | None
    level: str


@attrs.frozen(kw_only=True)
class CreditorReference:
    """A structured creditor reference (``RmtInf/Strd/CdtrRefInf``) as the bank sent it.

    ``kind`` is the type code (``SCOR``), the proprietary type (``QRR``, ``ISR Reference``) or
    ``""``; ``valid`` says whether the reference passed the check of its kind (an RF with
    wrong check digits is kept here, but not valid).
    """

    kind: str
    reference: str
    valid: bool


@attrs.frozen(kw_only=True)
class References:
    """Every reference of a line, entry-level and transaction-level.

    ``rf`` is the first valid ISO 11649 reference, compact: a structured one first, else one
    found in the free texts (``rf_in_text`` is then True). ``qr`` and ``isr`` are valid Swiss
    QR and legacy ISR references from the structured remittance information.
    """

    entry_reference: str | None
    entry_servicer_reference: str | None
    servicer_reference: str | None
    end_to_end_id: str | None
    creditor: tuple[CreditorReference, ...]
    rf: str | None
    rf_in_text: bool
    qr: str | None
    isr: str | None
    unstructured: tuple[str, ...]
    additional_transaction_info: str | None
    additional_entry_info: str | None


@attrs.frozen(kw_only=True)
class EntryKey:
    """What identifies a booked entry across files: account, booking date, reference, amount.

    ``reference`` is the entry's ``AcctSvcrRef``, else its ``NtryRef``, else ``""``;
    ``occurrence`` counts from 1 the entries of this file with the same other fields and the
    same direction (credits and debits are counted apart). A
    camt.054 that details a batch which the camt.053 booked as one entry has the same key.
    """

    account: str
    booking_date: dt.date | None
    reference: str
    amount: Money
    occurrence: int


@attrs.frozen(kw_only=True)
class LineId:
    """What identifies one credit line across overlapping files.

    Account, booking date, the entry's reference (as in :class:`EntryKey`), the transaction's
    position in its entry, the line's amount, and ``occurrence``: the n-th time these same
    fields occur in this file among lines of the same direction (a credit, or a reversal).
    Two genuinely identical credits get occurrences 1 and 2; the same credit in an
    overlapping file gets the same identity again.
    """

    account: str
    booking_date: dt.date | None
    entry_reference: str
    transaction_position: int
    amount: Money
    occurrence: int


@attrs.frozen(kw_only=True)
class Entry:
    """One booked entry (``Ntry``) that lines came from; shared by the lines of a batch.

    ``amount`` is what the bank booked (always positive; ``credit`` gives the direction).
    ``charges`` is the total of the charges already deducted from it (zero when none).
    ``transaction_count`` is the number of ``TxDtls``; ``declared_batch_size`` is the bank's
    ``Btch/NbOfTxs`` (a camt.053 may book a batch as one entry and detail it in a camt.054).
    ``raw_xml`` is the entry's XML, exclusive-canonicalised, for the audit trail.
    """

    key: EntryKey
    position: int
    status: str
    credit: bool
    reversal: bool
    amount: Money
    charges: Money
    booking_date: dt.date | None
    value_date: dt.date | None
    transaction_count: int
    declared_batch_size: int | None
    instructed: Instructed | None
    raw_xml: bytes = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class BankLine:
    """One transaction of a booked entry: the fields shared by credits and credit reversals.

    ``amount`` is the payment's amount in the account currency before the bank deducted its
    charges: for a batch, the transaction's own amount; for an entry with a single
    transaction or none, the entry amount plus the charges deducted from it (so, without
    charges, exactly the entry amount). ``charges`` are the deducted charges attributed to
    this line; ``received`` is what reached the account for it. ``instructed`` is the
    transaction's instructed amount, or the entry's when the entry is not a batch.
    """

    statement: Statement = attrs.field(repr=False)
    entry: Entry = attrs.field(repr=False)
    identity: LineId
    transaction_position: int
    amount: Money
    charges: Money
    instructed: Instructed | None
    references: References
    debtor_name: str | None
    debtor_account: str | None
    ultimate_debtor_name: str | None

    @property
    def received(self) -> Money:
        """The amount less the deducted charges attributed to this line."""
        code = self.amount.currency.code
        return money(CONTEXT.subtract(self.amount.amount, self.charges.amount), code)

    @property
    def transaction_count(self) -> int:
        """How many transactions the entry holds (at least 1: an entry without any is one)."""
        return max(1, self.entry.transaction_count)

    @property
    def booking_date(self) -> dt.date | None:
        """The entry's booking date."""
        return self.entry.booking_date

    @property
    def value_date(self) -> dt.date | None:
        """The entry's value date."""
        return self.entry.value_date

    @property
    def reversal(self) -> bool:
        """Whether the entry is a reversal (``RvslInd``)."""
        return self.entry.reversal

    @property
    def raw_xml(self) -> bytes:
        """The XML of the entry this line came from."""
        return self.entry.raw_xml


@attrs.frozen(kw_only=True)
class Credit(BankLine):
    """A booked credit transaction: money in.

    ``reversal`` (from the entry) is True when this credit takes back an earlier debit (a
    returned payment of ours), not a payment to us.
    """


@attrs.frozen(kw_only=True)
class CreditReversal(BankLine):
    """A booked debit with ``RvslInd`` true: the bank took back an earlier credit."""


@attrs.frozen(kw_only=True)
class Tally:
    """A number of entries and their total amount."""

    count: int
    total: Money


@attrs.frozen(kw_only=True)
class StatementSummary:
    """What a statement held, counted by us, after its last entry.

    Entry tallies: ``booked_credits`` and ``booked_debits`` count every booked entry;
    ``reversed_debits`` (credits with ``RvslInd``) are among the booked credits and
    ``reversed_credits`` (debits with ``RvslInd``) among the booked debits; entries with any
    other status than BOOK are in ``unbooked_credits`` and ``unbooked_debits`` and yield no
    line. ``credit_lines`` is the number of :class:`Credit` values yielded, ``charges`` the
    charges deducted from booked credit entries. ``discrepancies`` lists where the bank's own
    totals or balances disagree with the entries (empty when they agree or are absent).
    """

    statement: Statement
    booked_credits: Tally
    booked_debits: Tally
    reversed_debits: Tally
    reversed_credits: Tally
    unbooked_credits: Tally
    unbooked_debits: Tally
    credit_lines: int
    charges: Money
    discrepancies: tuple[str, ...]


@attrs.frozen(kw_only=True)
class FileSummary:
    """The file as a whole: its name, size and SHA-256 (which identifies it), and counts."""

    file: str
    sha256: str
    size: int
    message: str
    version: str
    statements: int
    credit_lines: int


StatementItem: TypeAlias = Statement | Credit | CreditReversal | StatementSummary | FileSummary


@attrs.frozen(kw_only=True)
class StatementRecord:
    """One statement with its lines and summary, as collected by ``read_statement``."""

    statement: Statement
    credits: tuple[Credit, ...]
    reversals: tuple[CreditReversal, ...]
    summary: StatementSummary


@attrs.frozen(kw_only=True)
class StatementFile:
    """A whole statement file read into memory (for small files and tests)."""

    summary: FileSummary
    statements: tuple[StatementRecord, ...]

    @property
    def credits(self) -> tuple[Credit, ...]:
        """Every credit line of every statement, in file order."""
        return tuple(c for record in self.statements for c in record.credits)
