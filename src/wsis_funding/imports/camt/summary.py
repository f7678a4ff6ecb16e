"""Per-statement tallies of entries, and where they disagree with the bank's own figures."""

from __future__ import annotations

from decimal import Decimal

from wsis_funding.imports.camt.entries import EntryHead
from wsis_funding.imports.camt.model import BankCount, Statement, StatementSummary, Tally
from wsis_funding.money import CONTEXT, money

__all__ = ["Tallies"]


class _Count:
    """A mutable count and sum while a statement is read."""

    __slots__ = ("count", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = Decimal(0)

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.total = CONTEXT.add(self.total, amount)

    def tally(self, currency: str) -> Tally:
        return Tally(count=self.count, total=money(self.total, currency))


class Tallies:
    """Counts and sums of a statement's entries by status, direction and reversal."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.booked_credits = _Count()
        self.booked_debits = _Count()
        self.reversed_debits = _Count()
        self.reversed_credits = _Count()
        self.unbooked_credits = _Count()
        self.unbooked_debits = _Count()
        self.credit_lines = 0
        self.charges = Decimal(0)

    @staticmethod
    def add(a: Decimal, b: Decimal) -> Decimal:
        """Return ``a + b`` in the money context."""
        return CONTEXT.add(a, b)

    def count(self, head: EntryHead) -> None:
        """Count one entry where it belongs."""
        if not head.booked:
            (self.unbooked_credits if head.credit else self.unbooked_debits).add(head.amount)
            return
        if head.credit:
            self.booked_credits.add(head.amount)
            if head.reversal:
                self.reversed_debits.add(head.amount)
        else:
            self.booked_debits.add(head.amount)
            if head.reversal:
                self.reversed_credits.add(head.amount)

    def summary(self, statement: Statement) -> StatementSummary:
        """Return the statement's summary, with every disagreement with the bank's figures."""
        return StatementSummary(
            statement=statement,
            booked_credits=self.booked_credits.tally(self.currency),
            booked_debits=self.booked_debits.tally(self.currency),
            reversed_debits=self.reversed_debits.tally(self.currency),
            reversed_credits=self.reversed_credits.tally(self.currency),
            unbooked_credits=self.unbooked_credits.tally(self.currency),
            unbooked_debits=self.unbooked_debits.tally(self.currency),
            credit_lines=self.credit_lines,
            charges=money(self.charges, self.currency),
            discrepancies=tuple(self._discrepancies(statement)),
        )

    def _discrepancies(self, statement: Statement) -> list[str]:
        found: list[str] = []
        code = self.currency
        totals = statement.bank_totals
        if totals is not None:
            both = _Count()
            both.count = self.booked_credits.count + self.booked_debits.count
            both.total = CONTEXT.add(self.booked_credits.total, self.booked_debits.total)
            for label, bank, ours in (
                ("credit entries", totals.credits, self.booked_credits),
                ("debit entries", totals.debits, self.booked_debits),
                ("entries", totals.entries, both),
            ):
                found.extend(_compare(label, bank, ours, code))
            net = CONTEXT.subtract(self.booked_credits.total, self.booked_debits.total)
            if totals.net is not None and totals.net != net:
                found.append(
                    f"the bank's net of all entries is {totals.net} {code}; the "
                    f"booked entries net {net} {code}"
                )
        if statement.opening is not None and statement.closing is not None:
            expected = CONTEXT.add(
                statement.opening.amount.amount,
                CONTEXT.subtract(self.booked_credits.total, self.booked_debits.total),
            )
            if expected != statement.closing.amount.amount:
                found.append(
                    f"opening balance {statement.opening.amount.amount} plus booked credits "
                    f"less booked debits is {expected} {code}, but the closing balance is "
                    f"{statement.closing.amount.amount} {code}"
                )
        return found


def _compare(label: str, bank: BankCount | None, ours: _Count, code: str) -> list[str]:
    if bank is None:
        return []
    found = []
    if bank.count is not None and bank.count != ours.count:
        found.append(f"the bank counts {bank.count} {label}; the file holds {ours.count} booked")
    if bank.total is not None and bank.total != ours.total:
        found.append(
            f"the bank's sum of {label} is {bank.total} {code}; the booked ones sum to "
            f"{ours.total} {code}"
        )
    return found
