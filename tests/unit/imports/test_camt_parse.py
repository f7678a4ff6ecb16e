"""Reading camt.053 and camt.054 files into credit lines, in each supported version.

Every file is built by tests/statements.py and validated against its ISO schema first; the
expected figures are written out in each test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.statements import (
    DEBTOR_IBAN,
    IBAN,
    MESSAGES,
    OTHER_IBAN,
    QR_REF,
    RF_REF,
    VERSIONS,
    EntrySpec,
    account_statement,
    charge,
    document,
    entry,
    instructed,
    statement,
    tx,
    valid,
)
from wsis_funding.imports.camt import (
    Credit,
    CreditReversal,
    FileSummary,
    Statement,
    StatementRefused,
    StatementSummary,
    parse_statement,
    read_statement,
)
from wsis_funding.money import money

ALL = [(m, v) for m in MESSAGES for v in VERSIONS]


@pytest.mark.parametrize(("message", "version"), ALL)
def test_a_single_credit_carries_every_reference_and_party(message: str, version: str) -> None:
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                entry(
                    "250.00",
                    ntry_ref="N-1",
                    servicer_ref="ASR-1",
                    addtl_ntry_info="Gutschrift",
                    details=tx(
                        scor=RF_REF,
                        end_to_end="E2E-1",
                        servicer_ref="TX-ASR-1",
                        debtor="ACME Ltd",
                        debtor_iban=DEBTOR_IBAN,
                        ultimate_debtor="ACME Group",
                        ustrd=["Sponsorship WSIS 2024"],
                        addtl_tx_info="SEPA credit",
                    ),
                    booking_date=dt.date(2024, 6, 3),
                    value_date=dt.date(2024, 6, 4),
                )
            ],
            message=message,
            version=version,
        )
    )
    (credit,) = read_statement(xml, name="june.xml").credits
    assert credit.amount == money("250.00", "CHF")
    assert credit.charges == money("0", "CHF")
    assert credit.booking_date == dt.date(2024, 6, 3)
    assert credit.value_date == dt.date(2024, 6, 4)
    refs = credit.references
    assert (refs.rf, refs.rf_in_text) == (RF_REF, False)
    assert refs.entry_reference == "N-1"
    assert refs.entry_servicer_reference == "ASR-1"
    assert refs.servicer_reference == "TX-ASR-1"
    assert refs.end_to_end_id == "E2E-1"
    assert refs.unstructured == ("Sponsorship WSIS 2024",)
    assert refs.additional_transaction_info == "SEPA credit"
    assert refs.additional_entry_info == "Gutschrift"
    assert (credit.debtor_name, credit.debtor_account) == ("ACME Ltd", DEBTOR_IBAN)
    assert credit.ultimate_debtor_name == "ACME Group"
    assert (credit.transaction_position, credit.transaction_count) == (1, 1)
    assert credit.entry.position == 1
    assert b"<AcctSvcrRef>ASR-1</AcctSvcrRef>" in credit.raw_xml
    assert credit.raw_xml.startswith(b"<Ntry")
    assert credit.statement.account == IBAN
    assert credit.statement.message == f"camt.{message}"
    assert credit.statement.version == f"001.{version}"


@pytest.mark.parametrize(("message", "version"), ALL)
def test_items_come_in_file_order_with_the_file_hash_last(message: str, version: str) -> None:
    xml = valid(
        statement(IBAN, "EUR", [entry("1.00"), entry("2.00")], message=message, version=version)
    )
    items = list(parse_statement(xml))
    assert [type(i) for i in items] == [Statement, Credit, Credit, StatementSummary, FileSummary]
    summary = items[-1]
    assert isinstance(summary, FileSummary)
    assert summary.sha256 == hashlib.sha256(xml).hexdigest()
    assert summary.size == len(xml)
    assert (summary.statements, summary.credit_lines) == (1, 2)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_statement_reports_its_balances_and_the_banks_totals(version: str) -> None:
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [entry("100.00"), entry("30.00", credit=False), entry("5.00", booked=False)],
            opening="-20.00",
            version=version,
        )
    )
    record = read_statement(xml).statements[0]
    header = record.statement
    assert header.opening is not None
    assert header.closing is not None
    assert header.opening.amount == money("-20.00", "CHF")
    assert header.closing.amount == money("50.00", "CHF")  # -20 + 100 - 30
    assert header.bank_totals is not None
    assert header.bank_totals.credits is not None
    assert header.bank_totals.credits.total == Decimal("100.00")
    assert header.bank_totals.net == Decimal("70.00")
    assert record.summary.discrepancies == ()
    assert record.summary.booked_debits.total == money("30.00", "CHF")
    assert record.summary.unbooked_credits.count == 1


def test_a_disagreement_with_the_banks_totals_is_reported_not_hidden() -> None:
    spec = account_statement(IBAN, "CHF", [entry("100.00")], closing="1200.00")
    record = read_statement(valid(document(spec))).statements[0]
    (problem,) = record.summary.discrepancies
    assert "1100.00" in problem
    assert "1200.00" in problem


@pytest.mark.parametrize("version", VERSIONS)
def test_a_batch_with_charges_per_transaction_splits_into_gross_lines(version: str) -> None:
    # Three payments of 100.00, 250.00 and 80.50; the bank kept 1.20 and 0.80 of the first
    # two and booked 100 + 250 + 80.50 - 1.20 - 0.80 = 428.50.
    batch = [
        tx("100.00", charges=[charge("1.20")], qrr=QR_REF),
        tx("250.00", charges=[charge("0.80")], scor=RF_REF),
        tx("80.50"),
    ]
    xml = valid(
        statement(IBAN, "CHF", [entry("428.50", batch=batch, servicer_ref="B-7")], version=version)
    )
    credits = read_statement(xml).credits
    assert [c.amount for c in credits] == [money(a, "CHF") for a in ("100.00", "250.00", "80.50")]
    assert [c.charges for c in credits] == [money(a, "CHF") for a in ("1.20", "0.80", "0")]
    assert [c.received for c in credits] == [money(a, "CHF") for a in ("98.80", "249.20", "80.50")]
    assert [c.transaction_position for c in credits] == [1, 2, 3]
    assert {c.transaction_count for c in credits} == {3}
    assert credits[0].entry.charges == money("2.00", "CHF")
    assert credits[0].references.qr == QR_REF
    assert credits[1].references.rf == RF_REF
    assert credits[0].entry is credits[2].entry


@pytest.mark.parametrize("version", VERSIONS)
def test_a_batch_with_charges_at_entry_level_spreads_them_over_its_lines(version: str) -> None:
    # 500 + 300 less 4.50 deducted for the whole batch = 795.50 booked. By amount the
    # shares are 2.8125 and 1.6875: floors 2.81 + 1.68 leave one centime, which goes to the
    # larger remainder (1.6875's): 2.81 and 1.69, so the lines receive 497.19 + 298.31.
    xml = valid(
        statement(
            IBAN,
            "EUR",
            [entry("795.50", batch=[tx("500.00"), tx("300.00")], charges=[charge("4.50")])],
            version=version,
        )
    )
    credits = read_statement(xml).credits
    assert [c.amount for c in credits] == [money("500.00", "EUR"), money("300.00", "EUR")]
    assert [c.charges for c in credits] == [money("2.81", "EUR"), money("1.69", "EUR")]
    assert [c.received for c in credits] == [money("497.19", "EUR"), money("298.31", "EUR")]
    assert credits[0].entry.charges == money("4.50", "EUR")


@pytest.mark.parametrize("version", ["04", "08"])
def test_charges_booked_separately_are_not_deducted(version: str) -> None:
    batch = [tx("60.00", charges=[charge("0.40", included=False)]), tx("40.00")]
    xml = valid(statement(IBAN, "CHF", [entry("100.00", batch=batch)], version=version))
    credits = read_statement(xml).credits
    assert [c.charges for c in credits] == [money("0", "CHF"), money("0", "CHF")]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_single_credit_with_deducted_charges_is_the_payment_before_charges(version: str) -> None:
    xml = valid(
        statement(
            IBAN, "CHF", [entry("97.50", details=tx(), charges=[charge("2.50")])], version=version
        )
    )
    (credit,) = read_statement(xml).credits
    assert credit.amount == money("100.00", "CHF")
    assert credit.charges == money("2.50", "CHF")
    assert credit.received == money("97.50", "CHF")
    assert credit.entry.amount == money("97.50", "CHF")


@pytest.mark.parametrize("version", VERSIONS)
def test_instructed_amounts_with_exchange_come_from_the_transaction_or_the_entry(
    version: str,
) -> None:
    batch = [
        tx(
            "91.00", instructed=instructed("100.00", "USD", rate="0.91", source="USD", target="CHF")
        ),
        tx("45.00"),
    ]
    single = entry("180.00", instructed=instructed("200.00", "EUR", rate="0.9", source="EUR"))
    xml = valid(statement(IBAN, "CHF", [entry(batch=batch), single], version=version))
    first, second, third = read_statement(xml).credits
    assert first.instructed is not None
    assert first.instructed.amount == money("100.00", "USD")
    assert first.instructed.level == "transaction"
    assert first.instructed.exchange is not None
    assert first.instructed.exchange.rate == Decimal("0.91")
    assert (first.instructed.exchange.source, first.instructed.exchange.target) == ("USD", "CHF")
    assert second.instructed is None
    assert third.instructed is not None
    assert third.instructed.amount == money("200.00", "EUR")
    assert third.instructed.level == "entry"


@pytest.mark.parametrize("version", VERSIONS)
def test_reversals_are_flagged_and_a_reversed_credit_is_its_own_item(version: str) -> None:
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                entry(
                    "70.00", reversal=True, details=tx(end_to_end="OUT-1")
                ),  # a debit of ours, returned
                entry(
                    "90.00", credit=False, reversal=True, details=tx(scor=RF_REF)
                ),  # a credit taken back
                entry("10.00", reversal=False),
            ],
            version=version,
        )
    )
    record = read_statement(xml).statements[0]
    assert [(c.amount, c.reversal) for c in record.credits] == [
        (money("70.00", "CHF"), True),
        (money("10.00", "CHF"), False),
    ]
    (taken_back,) = record.reversals
    assert isinstance(taken_back, CreditReversal)
    assert taken_back.amount == money("90.00", "CHF")
    assert taken_back.references.rf == RF_REF
    assert record.summary.reversed_debits.total == money("70.00", "CHF")
    assert record.summary.reversed_credits.total == money("90.00", "CHF")


@pytest.mark.parametrize(("message", "version"), ALL)
def test_entries_not_booked_and_debits_are_counted_not_yielded(message: str, version: str) -> None:
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                entry("10.00"),
                entry("20.00", booked=False),
                entry("30.00", credit=False),
                entry("40.00", credit=False, booked=False),
                entry("50.00", credit=False),
            ],
            message=message,
            version=version,
        )
    )
    record = read_statement(xml).statements[0]
    assert [c.amount for c in record.credits] == [money("10.00", "CHF")]
    s = record.summary
    assert (s.booked_credits.count, s.booked_credits.total) == (1, money("10.00", "CHF"))
    assert (s.booked_debits.count, s.booked_debits.total) == (2, money("80.00", "CHF"))
    assert (s.unbooked_credits.count, s.unbooked_credits.total) == (1, money("20.00", "CHF"))
    assert (s.unbooked_debits.count, s.unbooked_debits.total) == (1, money("40.00", "CHF"))
    assert s.credit_lines == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_five_decimals_are_read_when_the_extra_digits_are_zeros(version: str) -> None:
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [entry("8.85000"), entry("1.50000", batch=[tx("1.00000"), tx("0.50")])],
            version=version,
        )
    )
    credits = read_statement(xml).credits
    assert [c.amount for c in credits] == [
        money("8.85", "CHF"),
        money("1.00", "CHF"),
        money("0.50", "CHF"),
    ]


@pytest.mark.parametrize(
    ("currency", "amount"),
    [("CHF", "1.00001"), ("CHF", "10.005"), ("JPY", "100.5"), ("KWD", "1.0001")],
)
def test_more_decimals_than_the_currency_has_are_refused_not_rounded(
    currency: str, amount: str
) -> None:
    xml = valid(
        # A notification: no balances, whose sums would have the extra decimals too.
        statement(IBAN, currency, [entry("1"), entry(amount, servicer_ref="X-9")], message="054")
    )
    with pytest.raises(StatementRefused) as caught:
        read_statement(xml, name="odd.xml")
    assert caught.value.file == "odd.xml"
    assert caught.value.entry is not None
    assert "entry 2" in caught.value.entry
    assert amount.rstrip("0") in str(caught.value)
    assert "odd.xml" in str(caught.value)


def test_a_batch_transaction_with_too_many_decimals_is_refused() -> None:
    xml = valid(
        statement(IBAN, "JPY", [entry("150", batch=[tx("100.5"), tx("49.5")])], opening="0")
    )
    with pytest.raises(StatementRefused, match=r"100\.5"):
        read_statement(xml)


@pytest.mark.parametrize("version", VERSIONS)
def test_several_statements_in_one_file_are_read_in_order(version: str) -> None:
    xml = valid(
        document(
            account_statement(IBAN, "CHF", [entry("1.00")], id="S-1"),
            account_statement(OTHER_IBAN, "EUR", [entry("2.00"), entry("3.00")], id="S-2"),
            version=version,
        )
    )
    parsed = read_statement(xml)
    assert [
        (r.statement.statement_id, r.statement.account, r.statement.currency)
        for r in parsed.statements
    ] == [
        ("S-1", IBAN, "CHF"),
        ("S-2", OTHER_IBAN, "EUR"),
    ]
    assert [c.amount for c in parsed.credits] == [
        money("1.00", "CHF"),
        money("2.00", "EUR"),
        money("3.00", "EUR"),
    ]
    assert [r.statement.position for r in parsed.statements] == [1, 2]
    assert parsed.summary.statements == 2


@pytest.mark.parametrize("version", VERSIONS)
def test_a_camt054_detailing_a_camt053_batch_has_the_same_entry_key(version: str) -> None:
    booked_as_one = entry("600.00", servicer_ref="BATCH-42", batch_size=3)
    detailed = entry(
        batch=[tx("100.00"), tx("200.00"), tx("300.00")], servicer_ref="BATCH-42", batch_size=3
    )
    statement_053 = read_statement(valid(statement(IBAN, "CHF", [booked_as_one], version=version)))
    notification_054 = read_statement(
        valid(statement(IBAN, "CHF", [detailed], message="054", version=version))
    )
    (one,) = statement_053.credits
    parts = notification_054.credits
    assert one.entry.declared_batch_size == 3
    assert one.entry.transaction_count == 0
    assert {p.entry.key for p in parts} == {one.entry.key}
    assert sum((p.amount for p in parts), money("0", "CHF")) == one.amount
    assert len({p.identity for p in parts} | {one.identity}) == 4


@pytest.mark.parametrize("version", VERSIONS)
def test_an_rf_only_in_the_free_text_with_spaces_is_found(version: str) -> None:
    xml = valid(
        statement(
            IBAN,
            "EUR",
            [entry("500.00", details=tx(ustrd=["Invoice rf18 5390 0754 7034 WSIS"]))],
            version=version,
        )
    )
    (credit,) = read_statement(xml).credits
    assert (credit.references.rf, credit.references.rf_in_text) == (RF_REF, True)


def test_an_rf_in_the_entry_text_names_a_single_credit_but_not_a_batch() -> None:
    text = "Zahlung RF18 5390 0754 7034"
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                entry("5.00", addtl_ntry_info=text),
                entry(batch=[tx("1.00"), tx("2.00")], addtl_ntry_info=text),
            ],
        )
    )
    single, first, second = read_statement(xml).credits
    assert single.references.rf == RF_REF
    assert (first.references.rf, second.references.rf) == (None, None)


def test_a_structured_rf_with_a_bad_checksum_is_kept_as_text_but_not_valid() -> None:
    bad = "RF19539007547034"
    xml = valid(statement(IBAN, "CHF", [entry("5.00", details=tx(scor=bad))]))
    (credit,) = read_statement(xml).credits
    (reference,) = credit.references.creditor
    assert (reference.kind, reference.reference, reference.valid) == ("SCOR", bad, False)
    assert credit.references.rf is None


def test_swiss_qr_and_isr_references_are_validated() -> None:
    isr = "000000000000000000000012347"
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                entry("1.00", details=tx(qrr=QR_REF)),
                entry("2.00", details=tx(isr="1 23 47", isr_kind="ESR")),
                entry("3.00", details=tx(qrr=QR_REF[:-1] + "0")),
            ],
        )
    )
    good_qr, good_isr, bad_qr = read_statement(xml).credits
    assert good_qr.references.qr == QR_REF
    assert good_isr.references.isr == isr
    assert bad_qr.references.qr is None
    assert bad_qr.references.creditor[0].valid is False


def test_a_credit_with_no_reference_at_all_is_still_a_line() -> None:
    xml = valid(statement(IBAN, "CHF", [entry("42.00")]))
    (credit,) = read_statement(xml).credits
    refs = credit.references
    assert (refs.rf, refs.qr, refs.isr, refs.end_to_end_id, refs.entry_servicer_reference) == (
        None,
    ) * 5
    assert refs.creditor == ()
    assert credit.identity.entry_reference == ""


def test_a_repeated_account_servicer_reference_gives_distinct_lines() -> None:
    xml = valid(
        statement(
            IBAN,
            "CHF",
            [
                entry("10.00", servicer_ref="SAME"),
                entry("20.00", servicer_ref="SAME"),
                entry("10.00", servicer_ref="SAME"),
            ],
        )
    )
    credits = read_statement(xml).credits
    assert len({c.identity for c in credits}) == 3
    assert [c.identity.occurrence for c in credits] == [1, 1, 2]
    assert [c.entry.key.occurrence for c in credits] == [1, 1, 2]


def test_a_credit_and_the_debit_reversing_it_are_counted_apart() -> None:
    """A file holding the reversal alone gives it the occurrence it has beside its credit."""
    credit = entry("10.00", servicer_ref="SAME")
    back = entry("10.00", servicer_ref="SAME", credit=False, reversal=True)
    both = read_statement(valid(statement(IBAN, "CHF", [credit, back]))).statements[0]
    alone = read_statement(valid(statement(IBAN, "CHF", [back]))).statements[0]
    assert both.credits[0].identity.occurrence == 1
    assert both.reversals[0].identity == alone.reversals[0].identity
    assert both.reversals[0].entry.key == alone.reversals[0].entry.key


def test_two_identical_credits_both_count_and_an_overlapping_file_gives_the_same_identities() -> (
    None
):
    day1, day2, day3 = dt.date(2024, 6, 3), dt.date(2024, 6, 4), dt.date(2024, 6, 5)

    def same() -> EntrySpec:
        return entry("7.00", servicer_ref="R", booking_date=day2)

    first_file = [entry("5.00", booking_date=day1), same(), same()]
    second_file = [same(), same(), entry("9.00", booking_date=day3)]
    a = read_statement(valid(statement(IBAN, "CHF", first_file))).credits
    b = read_statement(valid(statement(IBAN, "CHF", second_file, id="STMT-2"))).credits
    assert a[1].identity != a[2].identity
    assert [c.identity for c in a[1:]] == [c.identity for c in b[:2]]


def test_the_account_currency_falls_back_to_the_balance_then_the_entry() -> None:
    xml = valid(
        statement(
            "ACCOUNT-7",
            "EUR",
            [entry("3.00")],
            account_currency=False,
            account_is_iban=False,
            message="054",
        )
    )
    (credit,) = read_statement(xml).credits
    assert credit.statement.currency == "EUR"
    assert credit.statement.account == "ACCOUNT-7"
    assert credit.statement.account_is_iban is False


def test_a_stream_and_a_path_read_like_bytes(tmp_path: Path) -> None:
    xml = valid(statement(IBAN, "CHF", [entry("1.00")]))
    path = tmp_path / "s.xml"
    path.write_bytes(xml)
    from_path = read_statement(path)
    from_stream = read_statement(io.BytesIO(xml), name="upload")
    assert from_path.summary.file == str(path)
    assert from_stream.summary.file == "upload"
    assert (
        from_path.summary.sha256 == from_stream.summary.sha256 == read_statement(xml).summary.sha256
    )


def test_a_str_source_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        list(parse_statement("<Document/>"))  # type: ignore[arg-type]
