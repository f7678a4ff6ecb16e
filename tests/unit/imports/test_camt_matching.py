"""The matching rules, pure: which partner and invoice a credit pays, or why it waits.

The books' side is a fake :class:`MatchFacts` of plain dictionaries; every line is read
from a statement file built by tests/statements.py and validated against its schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.statements import (
    DEBTOR_IBAN,
    IBAN,
    charge,
    entry,
    instructed,
    statement,
    tx,
    valid,
)
from wsis_funding.imports.camt import Credit, CreditReversal, read_statement
from wsis_funding.imports.camt.matching import (
    Booking,
    ImportedCredit,
    InvoiceFacts,
    OpenAmounts,
    PartnerOpen,
    Rule,
    Waiting,
    find_original,
    match_credit,
    reversal_reason,
    shape_of,
)
from wsis_funding.money import Money, money

INVOICE_RF = "RF73WSIS20240001"  # the creditor reference of WSIS-2024-0001
EUR_RF = "RF46WSIS20240002"  # ... of WSIS-2024-0002, an invoice in EUR


class Facts:
    """Books with two invoices, known payers, and open amounts given per test."""

    def __init__(
        self,
        open_parts: Sequence[PartnerOpen] = (),
        *,
        due: Money | None = None,
        ibans: dict[str, int] | None = None,
        aliases: dict[str, int] | None = None,
    ) -> None:
        self.invoices = {
            INVOICE_RF: InvoiceFacts(number="WSIS-2024-0001", partner_id=1, currency="CHF"),
            EUR_RF: InvoiceFacts(number="WSIS-2024-0002", partner_id=2, currency="EUR"),
        }
        self.due = due if due is not None else money("1000.00", "EUR")
        self.ibans = ibans or {}
        self.aliases = aliases or {}
        self.parts = list(open_parts)
        self.asked_open = 0

    def invoice(self, rf: str) -> InvoiceFacts | None:
        return self.invoices.get(rf)

    def invoice_due(self, number: str) -> Money:
        assert number == "WSIS-2024-0002"
        return self.due

    def payer_of_account(self, account: str) -> int | None:
        return self.ibans.get(account)

    def payer_of_name(self, name: str) -> int | None:
        return self.aliases.get(name.casefold())

    def open_amounts(self) -> OpenAmounts:
        self.asked_open += 1
        return OpenAmounts(self.parts)


def _credit(*entries: object, currency: str = "CHF") -> Credit:
    xml = valid(statement(IBAN, currency, list(entries)))  # type: ignore[arg-type]
    (line,) = read_statement(xml).credits
    return line


def test_a_structured_rf_naming_an_invoice_settles_that_invoice() -> None:
    line = _credit(entry("600.00", details=tx(scor=INVOICE_RF, debtor_iban=DEBTOR_IBAN)))
    facts = Facts(ibans={DEBTOR_IBAN: 7})
    decision = match_credit(line, facts)
    # The reference wins over the known payer account, and open amounts are never needed.
    assert decision == Booking(rule=Rule.REFERENCE, partner_id=1, invoice="WSIS-2024-0001")
    assert facts.asked_open == 0


def test_an_rf_in_the_free_text_with_spaces_and_lower_case_is_found() -> None:
    line = _credit(entry("600.00", details=tx(ustrd=["Sponsoring rf73 wsis 2024 0001 merci"])))
    assert match_credit(line, Facts()) == Booking(
        rule=Rule.REFERENCE, partner_id=1, invoice="WSIS-2024-0001"
    )


def test_an_rf_with_wrong_check_digits_is_no_reference() -> None:
    line = _credit(entry("600.00", details=tx(ustrd=["RF74WSIS20240001"])))
    decision = match_credit(line, Facts())
    assert isinstance(decision, Waiting)
    assert decision.reason.startswith("no creditor reference")


def test_another_currency_settles_the_invoice_when_the_instructed_amount_is_its_due() -> None:
    # CHF 950.00 credited for a EUR invoice that asks EUR 1,000.00: the payer instructed
    # exactly EUR 1,000.00, so the payment settles that.
    line = _credit(
        entry("950.00", details=tx(scor=EUR_RF, instructed=instructed("1000.00", "EUR")))
    )
    assert match_credit(line, Facts(due=money("1000.00", "EUR"))) == Booking(
        rule=Rule.REFERENCE,
        partner_id=2,
        invoice="WSIS-2024-0002",
        settles=money("1000.00", "EUR"),
    )


def test_another_currency_waits_when_the_instructed_amount_is_not_the_due() -> None:
    line = _credit(entry("950.00", details=tx(scor=EUR_RF, instructed=instructed("999.99", "EUR"))))
    decision = match_credit(line, Facts(due=money("1000.00", "EUR")))
    assert decision == Waiting(
        "paid in CHF for invoice WSIS-2024-0002 in EUR: the instructed 999.99 EUR is not the "
        "1000.00 EUR it asks for"
    )


def test_another_currency_without_an_instructed_amount_waits() -> None:
    line = _credit(entry("950.00", details=tx(scor=EUR_RF)))
    assert match_credit(line, Facts()) == Waiting(
        "paid in CHF for invoice WSIS-2024-0002 in EUR, with no instructed amount in EUR"
    )


def _open(
    partner: int, currency: str, *amounts: int, invoices: dict[str, int] | None = None
) -> PartnerOpen:
    return PartnerOpen(
        partner_id=partner,
        currency=currency,
        total=sum(amounts),
        instalments=amounts,
        invoices=tuple(sorted((invoices or {}).items())),
    )


def test_a_known_payer_account_names_the_partner() -> None:
    line = _credit(entry("123.45", details=tx(debtor_iban=DEBTOR_IBAN, debtor="Someone")))
    facts = Facts([_open(4, "CHF", 50000)], ibans={DEBTOR_IBAN: 4}, aliases={"someone": 5})
    assert match_credit(line, facts) == Booking(rule=Rule.PAYER_ACCOUNT, partner_id=4)


def test_an_alias_of_the_payer_or_the_ultimate_payer_names_the_partner() -> None:
    line = _credit(entry("123.45", details=tx(debtor="Bank X", ultimate_debtor="ACME Agency")))
    facts = Facts([_open(5, "CHF", 50000)], aliases={"acme agency": 5})
    assert match_credit(line, facts) == Booking(rule=Rule.ALIAS, partner_id=5)


def test_a_known_payer_whose_partner_has_nothing_open_still_pays_it_as_credit() -> None:
    line = _credit(entry("123.45", details=tx(debtor_iban=DEBTOR_IBAN)))
    assert match_credit(line, Facts(ibans={DEBTOR_IBAN: 4})) == Booking(
        rule=Rule.PAYER_ACCOUNT, partner_id=4
    )


def test_a_known_payer_paying_another_currency_than_its_open_one_waits() -> None:
    line = _credit(entry("123.45", details=tx(debtor_iban=DEBTOR_IBAN)))
    facts = Facts([_open(4, "EUR", 50000)], ibans={DEBTOR_IBAN: 4})
    decision = match_credit(line, facts)
    assert isinstance(decision, Waiting)
    assert "paid in CHF by partner 4 (by payer account), whose open instalments are in EUR" in (
        decision.reason
    )


def test_a_known_payer_in_another_currency_settles_the_one_invoice_due_its_instructed() -> None:
    line = _credit(
        entry(
            "960.00",
            details=tx(debtor_iban=DEBTOR_IBAN, instructed=instructed("1000.00", "EUR")),
        )
    )
    facts = Facts(
        [_open(4, "EUR", 100000, 50000, invoices={"WSIS-2024-0009": 100000})],
        ibans={DEBTOR_IBAN: 4},
    )
    assert match_credit(line, facts) == Booking(
        rule=Rule.PAYER_ACCOUNT,
        partner_id=4,
        invoice="WSIS-2024-0009",
        settles=money("1000.00", "EUR"),
    )


def test_a_unique_partner_with_exactly_that_amount_open_is_matched_by_amount() -> None:
    line = _credit(entry("750.00"))
    facts = Facts([_open(3, "CHF", 75000, 25000), _open(6, "CHF", 40000)])
    # Partner 3 has 750.00 open on one instalment (and 1,000.00 in all); nobody else has.
    assert match_credit(line, facts) == Booking(rule=Rule.AMOUNT, partner_id=3)


def test_the_amount_of_one_open_invoice_directs_the_payment_to_it() -> None:
    line = _credit(entry("1000.00"))
    facts = Facts([_open(3, "CHF", 75000, 25000, invoices={"WSIS-2024-0005": 100000})])
    assert match_credit(line, facts) == Booking(
        rule=Rule.AMOUNT, partner_id=3, invoice="WSIS-2024-0005"
    )


def test_an_amount_open_for_two_partners_waits_naming_them() -> None:
    line = _credit(entry("400.00"))
    facts = Facts([_open(3, "CHF", 40000), _open(6, "CHF", 10000, 30000)])
    decision = match_credit(line, facts)
    assert decision == Waiting(
        "no creditor reference; the payer is not known; 400.00 CHF is open for several "
        "partners (3, 6)"
    )


def test_an_amount_nobody_has_open_waits() -> None:
    line = _credit(entry("400.01"))
    decision = match_credit(line, Facts([_open(3, "CHF", 40000)]))
    assert decision == Waiting(
        "no creditor reference; the payer is not known; no partner has exactly 400.01 CHF open"
    )


def test_an_rf_naming_no_invoice_falls_through_to_the_other_rules_and_says_so() -> None:
    line = _credit(entry("400.00", details=tx(scor="RF18539007547034")))
    decision = match_credit(line, Facts())
    assert isinstance(decision, Waiting)
    assert decision.reason.startswith("RF18539007547034 names no invoice of ours")


def test_a_credit_returning_a_debit_of_ours_waits() -> None:
    line = _credit(entry("400.00", reversal=True, details=tx(scor=INVOICE_RF)))
    assert match_credit(line, Facts()) == Waiting(
        "a credit returning an earlier debit of ours (RvslInd), not a payment"
    )


def test_a_batch_booked_as_one_entry_waits_for_its_details() -> None:
    line = _credit(entry("600.00", batch_size=3, servicer_ref="B-1"))
    assert shape_of(line.entry) == "summary"
    assert match_credit(line, Facts()) == Waiting(
        "a batch of 3 payments booked as one entry: waiting for its transactions (camt.054) "
        "or for a person"
    )


def test_a_line_the_charges_took_whole_waits() -> None:
    line = _credit(entry("0.00", details=tx(scor=INVOICE_RF), charges=[charge("5.00")]))
    assert match_credit(line, Facts()) == Waiting(
        "the deducted charges take the whole amount: nothing was received"
    )


def test_open_amounts_know_totals_instalments_and_invoices() -> None:
    amounts = OpenAmounts(
        [_open(1, "CHF", 1000, 2500, invoices={"A": 2500}), _open(2, "EUR", 3500)]
    )
    assert amounts.partners_with(money("35.00", "CHF")) == {1}  # the total
    assert amounts.partners_with(money("10.00", "CHF")) == {1}  # an instalment
    assert amounts.partners_with(money("35.00", "EUR")) == {2}
    assert amounts.partners_with(money("35.01", "CHF")) == frozenset()
    assert amounts.invoices_due(1, money("25.00", "CHF")) == ("A",)
    assert amounts.currencies_of(1) == {"CHF"}


def _reversal(**fields: Any) -> CreditReversal:
    xml = valid(
        statement(IBAN, "CHF", [entry("250.00", credit=False, reversal=True, details=tx(**fields))])
    )
    (record,) = read_statement(xml).statements
    (line,) = record.reversals
    return line


def _imported(line_id: int, amount: str, **fields: object) -> ImportedCredit:
    values: dict[str, object] = {
        "end_to_end_id": None,
        "servicer_reference": None,
        "rf": None,
        "debtor_account": None,
        "payment_id": None,
        "booking_date": None,
    }
    values.update(fields)
    return ImportedCredit(
        line_id=line_id,
        amount=money(amount, "CHF"),
        received=money(amount, "CHF"),
        **values,  # type: ignore[arg-type]
    )


def test_a_reversal_names_the_one_credit_sharing_its_end_to_end_id() -> None:
    line = _reversal(end_to_end="E2E-7")
    candidates = [
        _imported(3, "250.00", end_to_end_id="E2E-1"),
        _imported(9, "250.00", end_to_end_id="E2E-7", payment_id=12),
        _imported(11, "999.00", end_to_end_id="E2E-7"),
    ]
    originals = find_original(line, candidates)
    assert [o.line_id for o in originals] == [9]
    assert reversal_reason(line, originals) == (
        "the bank takes back 250.00 CHF of line 9, which became payment 12"
    )


def test_a_reversal_without_a_shared_identifier_lists_every_credit_of_its_amount() -> None:
    line = _reversal()
    originals = find_original(line, [_imported(3, "250.00"), _imported(4, "250.00")])
    assert reversal_reason(line, originals) == (
        "the bank takes back 250.00 CHF of one of lines 3, 4"
    )
    assert reversal_reason(line, ()) == (
        "the bank takes back 250.00 CHF of a credit that was not imported"
    )
