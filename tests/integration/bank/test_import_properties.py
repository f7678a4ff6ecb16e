"""Properties of importing statements, on both engines, for generated statements.

The books hold three invoices (two in CHF, one in EUR) and one known payer account; each
generated statement runs over three booking days, with credits quoting those invoices, a
foreign RF or nothing, from known or unknown accounts, batches with charges, debits,
entries not booked and reversals. Each property is checked inside transactions that are
rolled back, so every example starts from the same books.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.banking import invoice
from tests.factories import Books
from tests.statements import (
    DEBTOR_IBAN,
    IBAN,
    RF_REF,
    EntrySpec,
    StatementSpec,
    charge,
    document,
    valid,
)
from tests.statements import tx as make_tx
from wsis_funding.services import Transaction
from wsis_funding.services.bank_values import StatementImport
from wsis_funding.storage import tables as t

DAYS = (dt.date(2024, 3, 18), dt.date(2024, 3, 19), dt.date(2024, 3, 20))
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class _Rollback(Exception):
    """Ends a transaction of a property without keeping anything."""


@attrs.frozen
class Setup:
    books: Books
    references: tuple[str, ...]


@pytest.fixture
def setup(books: Books) -> Setup:
    beta = books.add_partner("BETA", books.partner.language)
    assert beta.id is not None
    bills = [
        invoice(books, "500"),
        invoice(books, "1200", partner=beta.id),
        invoice(books, "300", "EUR", partner=beta.id),
    ]
    books.tracker.add_payer(beta.id, iban=DEBTOR_IBAN)
    return Setup(books, tuple(str(b.payment_reference) for b in bills))


def _amount(minor: int) -> str:
    return str(Decimal(minor).scaleb(-2))


@st.composite
def _tx(draw: st.DrawFn, references: tuple[str, ...]) -> Any:
    quoted = draw(st.sampled_from([None, None, RF_REF, *references]))
    in_text = draw(st.booleans())
    return make_tx(
        _amount(draw(st.sampled_from([50000, 120000, 30000, 777, draw(st.integers(1, 10**6))]))),
        scor=None if in_text else quoted,
        ustrd=[f"paid {quoted.lower()}"] if in_text and quoted else [],
        debtor_iban=draw(st.sampled_from([None, DEBTOR_IBAN])),
        end_to_end=draw(st.sampled_from([None, "E-1", "E-2"])),
    )


@st.composite
def _entry(draw: st.DrawFn, day: dt.date, references: tuple[str, ...]) -> EntrySpec:
    kind = draw(st.sampled_from(["single", "single", "single", "batch", "debit", "pending",
                                 "reversal"]))  # fmt: skip
    servicer = draw(st.sampled_from([None, "S-1", "S-2"]))
    if kind == "batch":
        txs = draw(st.lists(_tx(references), min_size=2, max_size=3))
        total = sum((Decimal(str(x.amount)) for x in txs), Decimal(0))
        fee = draw(st.sampled_from([None, "0.50", "1.00"]))
        if fee and Decimal(fee) > total:
            fee = None  # no bank books a negative entry
        fees = [charge(fee)] if fee else []
        booked = total - (Decimal(fee) if fee else Decimal(0))
        return EntrySpec(amount=str(booked), transactions=tuple(txs), charges=tuple(fees),
                         servicer_ref=servicer, booking_date=day, value_date=day)  # fmt: skip
    one = draw(_tx(references))
    gross = Decimal(str(one.amount))
    fee = draw(st.sampled_from([None, None, "2.00"]))
    if fee and Decimal(fee) > gross:
        fee = None
    booked = gross - (Decimal(fee) if fee else Decimal(0))
    return EntrySpec(
        amount=str(booked),
        credit=kind not in ("debit", "reversal"),
        booked=kind != "pending",
        reversal=True if kind == "reversal" else None,
        charges=(charge(fee),) if fee else (),
        transactions=(one,),
        servicer_ref=servicer,
        booking_date=day,
        value_date=day,
    )


def _days(references: tuple[str, ...]) -> st.SearchStrategy[list[list[EntrySpec]]]:
    return st.tuples(*(st.lists(_entry(day, references), max_size=5) for day in DAYS)).map(list)


def _file(days: list[list[EntrySpec]], statement_id: str) -> bytes:
    entries = tuple(e for day in days for e in day)
    spec = StatementSpec(account=IBAN, currency="CHF", entries=entries, id=statement_id)
    return valid(document(spec))


def _credit_total(days: list[list[EntrySpec]]) -> Decimal:
    """The bank's credit total: every booked credit entry's amount."""
    return sum(
        (Decimal(e.amount) for day in days for e in day if e.booked and e.credit), Decimal(0)
    )


def _imported(result: StatementImport) -> Decimal:
    """What one import counted: matched by any rule, queued, refused, already imported."""
    counts = [c for _, c in result.matched]
    counts += [result.queued, result.refused, result.already_imported]
    return sum((c.total("CHF").amount for c in counts), Decimal(0))


def _state(tx: Transaction) -> dict[str, list[tuple[Any, ...]]]:
    """What the books hold of the import: lines and what they became, payments, balances."""
    conn = tx._uow.conn
    lines, pay, p, a = t.bank_lines.c, t.payments.c, t.journal_postings.c, t.accounts.c
    return {
        "lines": sorted(
            tuple(r)
            for r in conn.execute(
                select(
                    lines.line_key,
                    lines.kind,
                    lines.status,
                    lines.rule,
                    lines.amount_minor,
                    lines.charges_minor,
                    lines.partner_id,
                    pay.amount_minor,
                    pay.settled_minor,
                    pay.unapplied_minor,
                    pay.invoice_id,
                ).outerjoin(t.payments, pay.id == lines.payment_id)
            )
        ),
        "payments": sorted(
            tuple(r)
            for r in conn.execute(
                select(
                    pay.idempotency_key,
                    pay.partner_id,
                    pay.amount_minor,
                    pay.charges_minor,
                    pay.settled_minor,
                    pay.unapplied_minor,
                )
            )
        ),
        # By account code: on PostgreSQL a rolled-back account still used up its id.
        "balances": sorted(
            tuple(r)
            for r in conn.execute(
                select(a.code, p.currency, func.sum(p.amount_minor), func.sum(p.base_minor))
                .join(t.accounts, a.id == p.account_id)
                .group_by(a.code, p.currency)
            )
        ),
    }


def _in_rollback(books: Books, work: Any) -> Any:
    """Run ``work(tx)`` in a transaction that is rolled back; return what it returned."""
    box: list[Any] = []
    try:
        with books.tracker.transaction() as tx:
            box.append(work(tx))
            raise _Rollback
    except _Rollback:
        return box[0]
    raise AssertionError("the transaction was not rolled back")  # pragma: no cover


@SETTINGS
@given(data=st.data())
def test_importing_twice_or_in_overlapping_parts_is_importing_once(
    setup: Setup, data: st.DataObject
) -> None:
    """Property: for any statement over three days, importing it twice leaves the books as
    importing it once (the second import counts every line as already imported); importing
    it as two overlapping files (days 1-2, then days 2-3) leaves them as importing it once
    too; and in every import the lines matched, queued, refused and already imported add up
    to the bank's own credit total of the file."""
    days = data.draw(_days(setup.references))
    whole = _file(days, "WHOLE")
    first, second = _file(days[:2], "D1-2"), _file(days[1:], "D2-3")
    books = setup.books

    def once(tx: Transaction) -> tuple[Any, ...]:
        result = tx.import_statement(whole)
        assert _imported(result) == _credit_total(days)
        assert result.already_imported.count == 0
        return (_state(tx),)

    def twice(tx: Transaction) -> tuple[Any, ...]:
        tx.import_statement(whole)
        again = tx.import_statement(whole)
        assert again.imported == 0
        assert again.already_imported.total("CHF").amount == _credit_total(days)
        return (_state(tx),)

    def split(tx: Transaction) -> tuple[Any, ...]:
        a = tx.import_statement(first)
        b = tx.import_statement(second)
        assert _imported(a) == _credit_total(days[:2])
        assert _imported(b) == _credit_total(days[1:])
        assert b.already_imported.total("CHF").amount == _credit_total(days[1:2])
        return (_state(tx),)

    expected = _in_rollback(books, once)
    assert _in_rollback(books, twice) == expected
    assert _in_rollback(books, split) == expected
