"""ISO 20022 bank statements: camt.053 statements and camt.054 notifications, read safely.

Versions .001.02, .001.04 and .001.08 are read; anything else is refused. The file is
streamed (a 100 MB statement is never held whole) through a hardened XML parser, and turned
into frozen values: the booked credits with every reference, the bank's balances and totals,
and counts of everything else. Nothing here touches the books.

Usage::

    from wsis_funding.imports.camt import Credit, parse_statement

    for item in parse_statement(Path("2024-06-03.xml"), accounts={"CH9300762011623852957"}):
        if isinstance(item, Credit):
            print(item.amount, item.references.rf, item.identity)
"""

from wsis_funding.imports.camt.errors import (
    MalformedStatement,
    StatementRefused,
    UnbalancedBatch,
    UnknownBankAccount,
    UnsafeStatement,
    UnsupportedStatement,
)
from wsis_funding.imports.camt.model import (
    Balance,
    BankCount,
    BankLine,
    BankTotals,
    Credit,
    CreditorReference,
    CreditReversal,
    Entry,
    EntryKey,
    Exchange,
    FileSummary,
    Instructed,
    LineId,
    References,
    Statement,
    StatementFile,
    StatementItem,
    StatementRecord,
    StatementSummary,
    Tally,
)
from wsis_funding.imports.camt.parser import normalise_account, parse_statement, read_statement
from wsis_funding.imports.camt.references import (
    compact_rf,
    find_rf_references,
    is_valid_isr_reference,
    is_valid_qr_reference,
    is_valid_rf,
    isr_reference,
    qr_reference,
)
from wsis_funding.imports.camt.xmlsafe import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
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
    "MalformedStatement",
    "References",
    "Statement",
    "StatementFile",
    "StatementItem",
    "StatementRecord",
    "StatementRefused",
    "StatementSummary",
    "Tally",
    "UnbalancedBatch",
    "UnknownBankAccount",
    "UnsafeStatement",
    "UnsupportedStatement",
    "compact_rf",
    "find_rf_references",
    "is_valid_isr_reference",
    "is_valid_qr_reference",
    "is_valid_rf",
    "isr_reference",
    "normalise_account",
    "parse_statement",
    "qr_reference",
    "read_statement",
]
