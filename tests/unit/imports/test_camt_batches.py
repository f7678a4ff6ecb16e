"""A batch entry must add up: transaction amounts less deducted charges equal the entry."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.statements import IBAN, VERSIONS, charge, entry, statement, tx, valid
from wsis_funding.imports.camt import StatementRefused, UnbalancedBatch, read_statement


@pytest.mark.parametrize("version", VERSIONS)
def test_a_batch_that_does_not_add_up_is_refused_with_the_figures(version: str) -> None:
    # 100.00 + 50.00 less 1.00 of charges is 149.00, but the bank booked 150.00.
    bad = entry(
        "150.00", batch=[tx("100.00", charges=[charge("1.00")]), tx("50.00")], servicer_ref="B-9"
    )
    xml = valid(statement(IBAN, "CHF", [entry("1.00"), bad], version=version))
    with pytest.raises(UnbalancedBatch) as caught:
        read_statement(xml, name="june.xml")
    error = caught.value
    assert error.file == "june.xml"
    assert error.entry == "statement 1 (id STMT-1), entry 2"
    assert (error.entry_amount, error.transactions_total, error.charges) == (
        Decimal("150.00"),
        Decimal("150.00"),
        Decimal("1.00"),
    )
    message = str(error)
    for part in ("june.xml", "entry 2", "150.00", "1.00", "149.00"):
        assert part in message
    assert isinstance(error, StatementRefused)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("version", VERSIONS)
def test_entry_level_charges_are_the_total_even_when_transactions_state_theirs(
    version: str,
) -> None:
    # Transactions say 0.70 + 0.30; the entry says 1.00 in all: 200 + 100 - 1.00 = 299.00.
    batch = [tx("200.00", charges=[charge("0.70")]), tx("100.00", charges=[charge("0.30")])]
    xml = valid(
        statement(
            IBAN, "CHF", [entry("299.00", batch=batch, charges=[charge("1.00")])], version=version
        )
    )
    credits = read_statement(xml).credits
    assert [str(c.charges.amount) for c in credits] == ["0.70", "0.30"]


@pytest.mark.parametrize("version", VERSIONS)
def test_charges_stated_on_the_batch_entry_only_are_spread_over_its_lines(version: str) -> None:
    # 300.00 + 100.00 + 0.01 with 1.00 deducted on the entry. Exact shares by amount:
    # 0.74998..., 0.24999..., 0.00002...; floors 0.74 + 0.24 + 0.00 leave two centimes,
    # which go to the largest remainders (100.00's, then 300.00's): 0.75, 0.25, 0.00.
    batch = [tx("300.00"), tx("100.00"), tx("0.01")]
    xml = valid(
        statement(
            IBAN, "CHF", [entry("399.01", batch=batch, charges=[charge("1.00")])], version=version
        )
    )
    credits = read_statement(xml).credits
    assert [str(c.charges.amount) for c in credits] == ["0.75", "0.25", "0.00"]
    assert [str(c.received.amount) for c in credits] == ["299.25", "99.75", "0.01"]


@pytest.mark.parametrize("version", VERSIONS)
def test_transaction_charges_that_miss_the_entry_total_give_way_to_it(version: str) -> None:
    # The transactions say 0.10 + 0.10, the entry 1.00: the entry's total is spread by amount.
    batch = [tx("100.00", charges=[charge("0.10")]), tx("300.00", charges=[charge("0.10")])]
    xml = valid(
        statement(
            IBAN, "CHF", [entry("399.00", batch=batch, charges=[charge("1.00")])], version=version
        )
    )
    credits = read_statement(xml).credits
    assert [str(c.charges.amount) for c in credits] == ["0.25", "0.75"]


@pytest.mark.parametrize("version", ["04", "08"])
def test_a_credit_charge_record_gives_money_back(version: str) -> None:
    # 100.00 with 2.00 charged and 0.50 refunded: 98.50 booked.
    batch = [tx("60.00", charges=[charge("2.00"), charge("0.50", credit=True)]), tx("40.00")]
    xml = valid(statement(IBAN, "CHF", [entry("98.50", batch=batch)], version=version))
    first, _ = read_statement(xml).credits
    assert str(first.charges.amount) == "1.50"


def test_a_batch_without_amounts_in_the_account_currency_is_refused() -> None:
    batch = [tx("60.00", currency="EUR"), tx("40.00")]
    xml = valid(statement(IBAN, "CHF", [entry("100.00", batch=batch)], version="08"))
    with pytest.raises(
        StatementRefused,
        match="transaction 1 of the batch has no amount in the account currency CHF",
    ):
        read_statement(xml)


def test_a_netted_batch_is_refused() -> None:
    batch = [tx("60.00"), tx("10.00", direction="DBIT")]
    xml = valid(statement(IBAN, "CHF", [entry("50.00", batch=batch)]))
    with pytest.raises(StatementRefused, match="transaction 2 goes the other way"):
        read_statement(xml)
