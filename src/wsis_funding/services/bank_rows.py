"""Bank lines and statements as the rows the books store, with every amount checked to fit.

A statement's amounts are checked when they are turned into minor units: an amount the
books cannot hold (beyond a signed 64-bit count of minor units) refuses the whole file,
naming the file and the entry, before anything reaches the database.
"""

from __future__ import annotations

from typing import Any

from wsis_funding.imports.camt import Credit, CreditReversal, Statement, StatementRefused
from wsis_funding.imports.camt.matching import Rule
from wsis_funding.ledger.inputs import fits
from wsis_funding.money import Money, to_minor

__all__ = ["bank_figures", "bank_reference", "checked_minor", "line_row", "where"]


def where(line: Credit | CreditReversal) -> str:
    """Return where a line is in its file: ``"statement 1 (id S-1), entry 3"``."""
    return f"{line.statement.where}, entry {line.entry.position}"


def checked_minor(amount: Money, what: str, file: str, place: str | None) -> int:
    """Return ``amount`` in minor units; raise :class:`StatementRefused` past 64 bits."""
    minor = to_minor(amount)
    if not fits(minor):
        raise StatementRefused(
            file,
            f"{what} of {amount.amount} {amount.currency.code} is more than the books hold",
            place,
        )
    return minor


def bank_reference(line: Credit | CreditReversal) -> str:
    """Return the bank's reference of a line, for the payment it becomes.

    The transaction's account servicer reference, else the entry's, else the end-to-end id,
    else the entry reference; failing all, the statement id and the line's position.
    """
    refs = line.references
    for ref in (
        refs.servicer_reference, refs.entry_servicer_reference, refs.end_to_end_id,
        refs.entry_reference,
    ):  # fmt: skip
        if ref and ref.strip() and ref.strip().upper() != "NOTPROVIDED":
            return ref.strip()
    s = line.statement
    return f"{s.statement_id} entry {line.entry.position}.{line.transaction_position}"


def line_row(
    line: Credit | CreditReversal,
    *,
    key: str,
    entry_id: int,
    statement_row: int,
    file: str,
    status: str,
    reason: str | None = None,
    rule: Rule | None = None,
    partner: int | None = None,
    payment: int | None = None,
    original: int | None = None,
) -> tuple[Any, ...]:
    """Return a new line's row, in the order of ``storage.banking.LINE_COLUMNS``."""
    place = where(line)
    refs = line.references
    instructed = line.instructed
    exchange = None if instructed is None else instructed.exchange
    texts = [*refs.unstructured, refs.additional_transaction_info or ""]
    return (
        key, entry_id, statement_row, line.transaction_position,
        "credit" if isinstance(line, Credit) else "reversal", line.amount.currency.code,
        checked_minor(line.amount, "a line", file, place),
        checked_minor(line.charges, "a line's charges", file, place),
        None if instructed is None else instructed.amount.currency.code,
        None if instructed is None else checked_minor(instructed.amount, "InstdAmt", file, place),
        None if exchange is None else str(exchange.rate), refs.rf, refs.qr, refs.end_to_end_id,
        refs.servicer_reference or refs.entry_servicer_reference,
        "\n".join(t for t in texts if t) or None, line.debtor_name, line.debtor_account,
        line.ultimate_debtor_name, status, None if rule is None else rule.value, reason,
        partner, payment, original,
    )  # fmt: skip


def bank_figures(s: Statement, file: str) -> dict[str, Any]:
    """Return a statement header's columns: ids, balances and the bank's own totals."""
    figures: dict[str, Any] = {
        "position": s.position,
        "statement_id": s.statement_id,
        "account": s.account,
        "currency": s.currency,
        "electronic_sequence": _text(s.electronic_sequence),
    }
    for name, balance in (("opening", s.opening), ("closing", s.closing)):
        if balance is not None:
            what = f"the {balance.code} balance"
            figures[f"{name}_minor"] = checked_minor(balance.amount, what, file, s.where)
            figures[f"{name}_date"] = balance.date
    totals = s.bank_totals
    for name, count in (
        ("credit", None if totals is None else totals.credits),
        ("debit", None if totals is None else totals.debits),
        ("entry", None if totals is None else totals.entries),
    ):
        figures[f"bank_{name}_count"] = None if count is None else _text(count.count)
        figures[f"bank_{name}_sum"] = None if count is None else _text(count.total)
    figures["bank_net"] = None if totals is None else _text(totals.net)
    return figures


def _text(value: object) -> str | None:
    return None if value is None else str(value)
