"""Properties of the parse on generated statements of every kind, version and message.

Expected figures are computed here from the statement's specification, with Decimal, never
read back from the parser.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.statements import (
    CURRENCIES,
    IBAN,
    EntrySpec,
    StatementSpec,
    deducted,
    document,
    entry_specs,
    statement_specs,
    valid,
)
from wsis_funding.imports.camt import Credit, CreditReversal, read_statement

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _charges_of(e: EntrySpec) -> Decimal:
    """What the bank deducted from an entry: the entry's charges, else its transactions'."""
    if any(c.included for c in e.charges):
        return deducted(e.charges)
    return sum((deducted(t.charges) for t in e.transactions), Decimal(0))


def _expected_lines(e: EntrySpec) -> list[Decimal]:
    """The gross amount of each line of an entry: per transaction in a batch, else one."""
    if len(e.transactions) >= 2:
        return [Decimal(t.amount or "0") for t in e.transactions]
    return [Decimal(e.amount) + _charges_of(e)]


def _entries(spec: StatementSpec) -> list[EntrySpec]:
    assert isinstance(spec.entries, tuple)
    return list(spec.entries)


@SETTINGS
@given(statement_specs())
def test_credits_add_up_to_the_banks_own_credit_total(
    case: tuple[StatementSpec, str, str],
) -> None:
    """Property: the credits yielded, at their gross amounts less the charges the bank
    deducted from their entries, add up exactly to the bank's total of booked credit
    entries (TtlCdtNtries/Sum), and so do the amounts received of the lines (their charges
    add up to the deducted ones); the credits not flagged as reversals add up to that total
    less the booked credits that reverse a debit of ours."""
    spec, message, version = case
    xml = valid(document(spec, message=message, version=version))
    record = read_statement(xml).statements[0]
    entries = _entries(spec)
    booked_credits = [e for e in entries if e.booked and e.credit]
    bank_total = sum((Decimal(e.amount) for e in booked_credits), Decimal(0))
    reversed_debits = sum((Decimal(e.amount) for e in booked_credits if e.reversal), Decimal(0))
    charges = sum((_charges_of(e) for e in booked_credits), Decimal(0))

    totals = record.statement.bank_totals
    assert totals is not None
    assert totals.credits is not None
    assert totals.credits.total == bank_total
    gross = sum((c.amount.amount for c in record.credits), Decimal(0))
    assert gross - charges == bank_total
    # The lines carry every deducted charge between them: none is lost on a batch.
    assert sum((c.charges.amount for c in record.credits), Decimal(0)) == charges
    assert sum((c.received.amount for c in record.credits), Decimal(0)) == bank_total
    not_reversals = sum((c.amount.amount for c in record.credits if not c.reversal), Decimal(0))
    charges_not_reversals = sum(
        (_charges_of(e) for e in booked_credits if not e.reversal), Decimal(0)
    )
    assert not_reversals - charges_not_reversals == bank_total - reversed_debits
    assert record.summary.booked_credits.total.amount == bank_total
    assert record.summary.charges.amount == charges
    assert record.summary.discrepancies == ()


@SETTINGS
@given(statement_specs())
def test_each_booked_credit_transaction_is_one_line_with_its_own_amount(
    case: tuple[StatementSpec, str, str],
) -> None:
    """Property: every booked credit entry gives one line per transaction (one when it has
    none), in file order, each with the transaction's amount in a batch or the entry amount
    plus deducted charges otherwise; every booked debit reversing a credit gives its lines as
    CreditReversal; nothing else gives a line."""
    spec, message, version = case
    record = read_statement(valid(document(spec, message=message, version=version))).statements[0]
    entries = _entries(spec)
    expected_credits = [
        amount for e in entries if e.booked and e.credit for amount in _expected_lines(e)
    ]
    expected_reversals = [
        amount
        for e in entries
        if e.booked and not e.credit and e.reversal
        for amount in _expected_lines(e)
    ]
    assert [c.amount.amount for c in record.credits] == expected_credits
    assert all(isinstance(c, Credit) for c in record.credits)
    assert [r.amount.amount for r in record.reversals] == expected_reversals
    assert all(isinstance(r, CreditReversal) for r in record.reversals)
    assert record.summary.credit_lines == len(expected_credits)
    unbooked = [Decimal(e.amount) for e in entries if not e.booked and e.credit]
    assert record.summary.unbooked_credits.count == len(unbooked)
    assert record.summary.unbooked_credits.total.amount == sum(unbooked, Decimal(0))


@SETTINGS
@given(
    st.sampled_from(CURRENCIES).flatmap(
        lambda ccy: st.tuples(
            st.just(ccy),
            st.lists(entry_specs(ccy, "04"), max_size=8),
            st.lists(entry_specs(ccy, "04"), max_size=4),
        )
    )
)
def test_line_identities_are_unique_and_survive_an_overlapping_file(
    case: tuple[str, list[EntrySpec], list[EntrySpec]],
) -> None:
    """Property: within a file no two lines share an identity, even when their entries are
    identical; a later file that repeats the same entries and adds more gives the repeated
    lines the very same identities."""
    currency, first, more = case
    zero = "0" if currency == "JPY" else "0.000" if currency == "KWD" else "0.00"

    def file(entries: list[EntrySpec], statement_id: str) -> bytes:
        spec = StatementSpec(
            account=IBAN, currency=currency, entries=tuple(entries), opening=zero, id=statement_id
        )
        return valid(document(spec))

    a = read_statement(file(first, "A")).credits
    b = read_statement(file(first + more, "B")).credits
    assert len({c.identity for c in b}) == len(b)
    assert [c.identity for c in a] == [c.identity for c in b[: len(a)]]
    again = read_statement(file(first, "A")).credits
    assert [c.identity for c in again] == [c.identity for c in a]
