"""Duplicates are refused when created, naming what the books already hold."""

from __future__ import annotations

import attrs
import pytest

from tests.factories import DUE, ISSUED, SIGNED, Books, make_edition, make_partner, snapshot
from wsis_funding.documents import creditor_reference
from wsis_funding.errors import AlreadyExists, InvalidField
from wsis_funding.money import money


@pytest.mark.parametrize("short_name", ["ACME", "acme", "ACME ", " Acme", "ＡＣＭＥ", "AC ME"])
def test_a_short_name_differing_only_in_case_spacing_or_width_is_the_same_partner(
    books: Books, short_name: str
) -> None:
    before = snapshot(books.tracker)
    with pytest.raises(AlreadyExists) as info:
        books.tracker.add_partner(make_partner(short_name))
    assert info.value.existing == books.pid
    assert str(info.value) == (
        f"partner {short_name.strip()!r} already exists: partner {books.pid} 'ACME' "
        "(ACME Corporation) has the same short name once case, spacing and width are ignored"
    )
    assert snapshot(books.tracker) == before


def test_a_short_name_with_other_punctuation_or_script_is_another_partner(books: Books) -> None:
    assert books.tracker.add_partner(make_partner("ACME-2")).short_name == "ACME-2"
    assert books.tracker.add_partner(make_partner("АСМЕ")).short_name == "АСМЕ"  # Cyrillic


@pytest.mark.parametrize("code", ["wsis2024", "WSIS 2024", "ＷＳＩＳ２０２４", "Wsis2024 "])
def test_an_edition_code_differing_only_in_case_spacing_or_width_is_the_same_edition(
    books: Books, code: str
) -> None:
    before = snapshot(books.tracker)
    with pytest.raises(AlreadyExists) as info:
        books.tracker.add_edition(make_edition(code, prefix="WSIS"))
    assert info.value.existing == "WSIS2024"
    assert "edition 'WSIS2024' has the same code once case, spacing and width" in str(info.value)
    assert snapshot(books.tracker) == before


@pytest.mark.parametrize("prefix", ["WS-IS", "wsis", "W-S-I-S", "WSISCN", "WSIS-CN", "WSISACK"])
def test_a_prefix_giving_the_same_rf_references_as_another_editions_is_refused(
    books: Books, prefix: str
) -> None:
    """WS-IS-2025-0001 and WSIS-2025-0001 have one RF reference; so do WSISCN-2025-0001 and
    the credit note WSIS-CN-2025-0001."""
    before = snapshot(books.tracker)
    with pytest.raises(AlreadyExists) as info:
        books.tracker.add_edition(make_edition("WSIS2025", prefix=prefix))
    assert info.value.existing == "WSIS2024"
    assert str(info.value).startswith(
        f"invoice prefix {prefix!r} already exists: edition 'WSIS2024' numbers its documents "
        "with the prefix 'WSIS', which gives the same RF creditor references"
    )
    assert snapshot(books.tracker) == before


def test_the_same_prefix_in_two_editions_shares_one_numbering(books: Books) -> None:
    t = books.tracker
    t.add_edition(make_edition("WSIS2025", prefix="WSIS"))
    first = books.confirmed_pledge()
    second = t.confirm(
        t.create_pledge(books.pid, "WSIS2025", amount=money("1000", "CHF"), signed_on=SIGNED)
    )
    a = t.issue_invoice(first, ISSUED, due_on=DUE)
    b = t.issue_invoice(second, ISSUED, due_on=DUE)
    assert (a.number, b.number) == ("WSIS-2024-0001", "WSIS-2024-0002")
    assert a.payment_reference != b.payment_reference


def test_a_prefix_with_other_letters_is_accepted_and_invoices(books: Books) -> None:
    t = books.tracker
    assert t.add_edition(make_edition("WSIS2025", prefix="WSIS-HLE")).invoice_prefix == "WSIS-HLE"
    pledge = t.confirm(
        t.create_pledge(books.pid, "WSIS2025", amount=money("1000", "CHF"), signed_on=SIGNED)
    )
    assert t.issue_invoice(pledge, ISSUED, due_on=DUE).number == "WSIS-HLE-2024-0001"


def test_the_longest_prefix_allowed_numbers_letters_with_a_valid_rf_reference(
    books: Books,
) -> None:
    t = books.tracker
    t.add_edition(make_edition("WSIS2025", prefix="A-B-C-D-E-F-G-H-I-J"))
    pledge = t.confirm(
        t.create_pledge(books.pid, "WSIS2025", amount=money("1000", "CHF"), signed_on=SIGNED)
    )
    invoice = t.issue_invoice(pledge, ISSUED, due_on=DUE)
    assert invoice.payment_reference == creditor_reference(invoice.number)
    paid = t.record_payment(
        books.pid, money("1000", "CHF"), received_on=ISSUED, reference="b", invoice=invoice.number
    )
    letter = t.acknowledge(paid, ISSUED, pledge=pledge)
    assert letter.number == "A-B-C-D-E-F-G-H-I-J-ACK-2024-0001"
    # A letter quotes the RF reference of the invoice the payment paid ...
    assert letter.snapshot.payment_reference == invoice.payment_reference
    # ... and the longest number of the series still makes a valid RF body: 21 characters.
    assert creditor_reference(letter.number)[4:] == "ABCDEFGHIJACK20240001"


@pytest.mark.parametrize("kind", ["partner", "edition"])
def test_an_id_set_on_a_new_value_is_refused_not_ignored(books: Books, kind: str) -> None:
    before = snapshot(books.tracker)
    t = books.tracker
    add = (
        (lambda: t.add_partner(attrs.evolve(make_partner("NEW"), id=42)))
        if kind == "partner"
        else (lambda: t.add_edition(attrs.evolve(make_edition("WSIS2025"), id=42)))
    )
    with pytest.raises(InvalidField) as info:
        add()
    assert info.value.field == "id"
    assert info.value.value == 42
    assert f"a new {kind} gets its id when it is stored" in str(info.value)
    assert snapshot(books.tracker) == before


def test_a_stored_partner_given_to_add_partner_again_points_to_update_partner(
    books: Books,
) -> None:
    with pytest.raises(InvalidField, match="to correct a stored partner, use update_partner"):
        books.tracker.add_partner(books.partner)
