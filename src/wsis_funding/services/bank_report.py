"""The reconciliation of an imported bank statement: rows as data, the bank's totals checked.

For one statement: the opening and closing balances as the bank states them, the credits
and debits booked, and for each line what it became (the payment and the invoice it paid, or
why it waits, or that another statement brought it first); then every figure the bank gave
about itself (``TxsSummry``: ``TtlCdtNtries``, ``TtlDbtNtries``, ``TtlNtries``, the net, and
the closing balance) checked against what was read. :func:`reconciliation_table` gives the
lines as a :class:`~wsis_funding.reports.table.Table` for the CSV, JSON and XLSX writers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from wsis_funding.money import Money, from_minor
from wsis_funding.reports.table import Column, Kind, Table
from wsis_funding.services.bank_queue import line_from_row
from wsis_funding.services.bank_values import BankLine
from wsis_funding.services.errors import UnknownBankLine
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = [
    "Check",
    "Reconciliation",
    "ReconciliationLine",
    "StatementInfo",
    "bank_reconciliation",
    "bank_statements",
    "reconciliation_table",
]


@attrs.frozen(kw_only=True)
class StatementInfo:
    """An imported statement: where it came from and the balances the bank stated."""

    id: int
    import_id: int
    file: str
    message: str
    statement_id: str
    account: str
    currency: str
    opening: Money | None
    opening_date: dt.date | None
    closing: Money | None
    closing_date: dt.date | None
    credit_count: int
    credits: Money
    debit_count: int
    debits: Money
    charges: Money
    unbooked_count: int
    discrepancies: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ReconciliationLine:
    """One line of a statement: the bank's figures and what became of the line.

    ``seen_before`` is True for a line another statement brought first (its fate is that
    line's). ``position`` is the entry's position in this statement.
    """

    position: int
    seen_before: bool
    line: BankLine


@attrs.frozen(kw_only=True)
class Check:
    """A figure the bank stated about its statement, against what was read.

    ``bank`` is None when the bank did not state it (then there is nothing to check).
    """

    what: str
    bank: Decimal | int | None
    read: Decimal | int

    @property
    def agrees(self) -> bool | None:
        """Whether the two agree (None when the bank stated nothing)."""
        return None if self.bank is None else self.bank == self.read


@attrs.frozen(kw_only=True)
class Reconciliation:
    """A statement, its lines and its checks. ``agrees`` is whether every check agrees."""

    statement: StatementInfo
    lines: tuple[ReconciliationLine, ...]
    checks: tuple[Check, ...]

    @property
    def agrees(self) -> bool:
        """Whether every figure the bank stated agrees with what was read."""
        return all(c.agrees is not False for c in self.checks)


def _info(m: Mapping[str, Any]) -> StatementInfo:
    code = m["currency"]

    def amount(minor: int | None) -> Money | None:
        return None if minor is None else from_minor(minor, code)

    return StatementInfo(
        id=m["id"], import_id=m["import_id"], file=m["file_name"],
        message=f"{m['message']}.{m['version']}", statement_id=m["statement_id"],
        account=m["account"], currency=code, opening=amount(m["opening_minor"]),
        opening_date=m["opening_date"], closing=amount(m["closing_minor"]),
        closing_date=m["closing_date"], credit_count=m["credit_count"],
        credits=from_minor(m["credit_minor"], code), debit_count=m["debit_count"],
        debits=from_minor(m["debit_minor"], code), charges=from_minor(m["charges_minor"], code),
        unbooked_count=m["unbooked_count"],
        discrepancies=tuple(d for d in m["discrepancies"].split("\n") if d),
    )  # fmt: skip


def bank_statements(uow: UnitOfWork) -> list[StatementInfo]:
    """Return every imported statement (and notification), in import order.

    Raises nothing: books with no bank statement have none.
    """
    return [_info(r) for r in uow.bank.statements()]


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _checks(
    row: Mapping[str, Any], info: StatementInfo, lines: tuple[ReconciliationLine, ...]
) -> list[Check]:
    credits, debits = info.credits.amount, info.debits.amount
    read_lines = sum((x.line.received.amount for x in lines if x.line.kind == "credit"), Decimal(0))
    checks = [
        Check(what="credit entries (TtlCdtNtries/NbOfNtries)",
              bank=_number(row["bank_credit_count"]), read=info.credit_count),
        Check(what="sum of credit entries (TtlCdtNtries/Sum)",
              bank=_number(row["bank_credit_sum"]), read=credits),
        Check(what="debit entries (TtlDbtNtries/NbOfNtries)",
              bank=_number(row["bank_debit_count"]), read=info.debit_count),
        Check(what="sum of debit entries (TtlDbtNtries/Sum)",
              bank=_number(row["bank_debit_sum"]), read=debits),
        Check(what="entries (TtlNtries/NbOfNtries)", bank=_number(row["bank_entry_count"]),
              read=info.credit_count + info.debit_count),
        Check(what="sum of entries (TtlNtries/Sum)", bank=_number(row["bank_entry_sum"]),
              read=credits + debits),
        Check(what="net of entries (TtlNtries/TtlNetNtry)", bank=_number(row["bank_net"]),
              read=credits - debits),
        Check(what="credit lines received, against the credit entries", bank=credits,
              read=read_lines),
    ]  # fmt: skip
    if info.closing is not None and info.opening is not None:
        checks.append(
            Check(what="closing balance (CLBD), against opening + credits - debits",
                  bank=info.closing.amount, read=info.opening.amount + credits - debits)
        )  # fmt: skip
    return checks


def bank_reconciliation(uow: UnitOfWork, statement: int) -> Reconciliation:
    """Return the reconciliation of imported statement ``statement`` (its id in the books).

    Raises :class:`UnknownBankLine` (naming the statement) for an unknown id.
    """
    if isinstance(statement, bool) or not isinstance(statement, int):
        raise TypeError(f"a statement is named by its id, not {statement!r}")
    row = uow.bank.statement(statement) if 0 < statement < 2**31 else None
    if row is None:
        raise UnknownBankLine(statement, "bank statement")
    info = _info(row)
    lines = tuple(
        ReconciliationLine(
            position=r["position"], seen_before=bool(r["seen_before"]), line=line_from_row(r)
        )
        for r in uow.bank.statement_lines(statement)
    )
    return Reconciliation(statement=info, lines=lines, checks=tuple(_checks(row, info, lines)))


_COLUMNS = (
    Column("line", "Line", Kind.INTEGER),
    Column("entry", "Entry", Kind.INTEGER),
    Column("booking_date", "Booked", Kind.DATE),
    Column("value_date", "Value date", Kind.DATE),
    Column("amount", "Amount", Kind.MONEY),
    Column("charges", "Charges", Kind.MONEY),
    Column("received", "Received", Kind.MONEY),
    Column("payer", "Payer", Kind.TEXT),
    Column("reference", "Reference", Kind.TEXT),
    Column("status", "Status", Kind.TEXT),
    Column("rule", "Rule", Kind.TEXT),
    Column("partner", "Partner", Kind.TEXT),
    Column("payment", "Payment", Kind.INTEGER),
    Column("invoice", "Invoice", Kind.TEXT),
    Column("note", "Note", Kind.TEXT),
)


def reconciliation_table(report: Reconciliation) -> Table:
    """Return the statement's lines as a report table (one row per line)."""
    s = report.statement
    rows = []
    for x in report.lines:
        line = x.line
        note = line.reason
        if x.seen_before:
            note = f"imported before, from statement {line.statement}" + (
                f"; {note}" if note else ""
            )
        if line.kind == "reversal":
            note = f"debit taking back a credit; {note}" if note else "debit taking back a credit"
        rows.append(
            (
                line.id, x.position, line.booking_date, line.value_date, line.amount,
                line.charges, line.received, line.debtor_name, line.rf or line.reference,
                line.status, line.rule, line.partner, line.payment_id, line.invoice, note,
            )
        )  # fmt: skip
    return Table(
        title=f"Statement {s.statement_id} ({s.account}), {s.file}",
        columns=_COLUMNS,
        rows=rows,
        notes=[
            f"{c.what}: bank {c.bank}, read {c.read}" for c in report.checks if c.agrees is False
        ],
    )
