"""The look-ups a user needs: a partner by short name, partners listed or searched, and a
partner's payments and documents."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from tests.factories import DUE, ISSUED, SIGNED, Books, make_partner
from wsis_funding.errors import UnknownPartner
from wsis_funding.ledger.model import Address
from wsis_funding.money import money


@pytest.mark.parametrize("asked", ["ACME", "acme", " Acme ", "ＡＣＭＥ", "A C M E"])
def test_a_partner_is_found_by_its_short_name_whatever_the_case_spacing_or_width(
    books: Books, asked: str
) -> None:
    assert books.tracker.partner_by_short_name(asked) == books.partner


def test_an_unknown_short_name_is_an_unknown_partner(books: Books) -> None:
    with pytest.raises(UnknownPartner, match="unknown partner 'ACNE'"):
        books.tracker.partner_by_short_name("ACNE")


def test_partner_takes_an_id_not_a_short_name(books: Books) -> None:
    with pytest.raises(TypeError) as info:
        books.tracker.partner("ACME")  # type: ignore[arg-type]
    assert str(info.value) == (
        "partner must be a Partner or an int id, not str ('ACME'): look a partner up by short "
        "name with partner_by_short_name"
    )
    assert books.tracker.partner(books.pid) == books.partner


def _genevois(t: Books) -> None:
    t.tracker.add_partner(
        attrs.evolve(
            make_partner("FNT"),
            legal_name="Fondation Numérique de Genève",
            billing_address=Address(
                street="Rue du Rhône",
                building_number="",
                postcode="1204",
                town="Genève",
                country="CH",
            ),
        )
    )
    t.tracker.add_partner(attrs.evolve(make_partner("ＴＥＬ"), legal_name="Télécom  Straße AG"))


def test_partners_are_listed_by_id(books: Books) -> None:
    _genevois(books)
    assert [p.short_name for p in books.tracker.partners()] == ["ACME", "FNT", "ＴＥＬ"]
    assert books.tracker.partners(search="  ") == books.tracker.partners()


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("geneve", ["FNT"]),  # accents ignored
        ("GENÈVE", ["FNT"]),
        ("numerique de", ["FNT"]),
        ("fnt", ["FNT"]),  # the short name too
        ("tel", ["ＴＥＬ"]),  # full width ignored
        ("telecom strasse", ["ＴＥＬ"]),  # ß is ss, spaces collapse
        ("corporation", ["ACME"]),
        ("o", ["ACME", "FNT", "ＴＥＬ"]),
        ("zurich", []),
    ],
)
def test_partners_are_searched_by_name_or_short_name_ignoring_case_and_accents(
    books: Books, search: str, expected: list[str]
) -> None:
    _genevois(books)
    assert [p.short_name for p in books.tracker.partners(search=search)] == expected


def test_a_partners_payments_are_listed_by_value_date_not_in_recording_order(books: Books) -> None:
    t = books.tracker
    other = t.add_partner(make_partner("BETA"))
    assert other.id is not None
    pledge = books.confirmed_pledge("1000")
    late = t.record_payment(
        books.pid, money("300", "CHF"), received_on=dt.date(2024, 3, 5), reference="B"
    )
    early = t.record_payment(
        books.pid, money("900", "CHF"), received_on=dt.date(2024, 2, 1), reference="A"
    )
    t.record_payment(other.id, money("5", "CHF"), received_on=dt.date(2024, 2, 1), reference="C")
    assert t.partner_payments(books.pid) == [early, late]
    # Recorded first, the later one settled 300 of the 1000; the earlier one the other 700.
    assert [(p.settled, p.unapplied) for p in t.partner_payments(books.partner)] == [
        (money("700", "CHF"), money("200", "CHF")),
        (money("300", "CHF"), money("0", "CHF")),
    ]
    assert t.pledge(pledge).outstanding == money("0", "CHF")
    assert t.partner_payments(other.id)[0].reference == "C"


def test_a_partners_documents_are_listed_in_issue_order_over_all_its_pledges(
    books: Books,
) -> None:
    t = books.tracker
    other = t.add_partner(make_partner("BETA"))
    assert other.id is not None
    first = t.issue_invoice(books.confirmed_pledge("1000"), ISSUED, due_on=DUE)
    theirs = t.issue_invoice(books.confirmed_pledge("50", partner=other.id), ISSUED, due_on=DUE)
    second = t.issue_invoice(books.confirmed_pledge("2000"), ISSUED, due_on=DUE)
    credit = t.cancel_invoice(first.number, ISSUED, kind="correction")
    assert [d.number for d in t.partner_documents(books.pid)] == [
        "WSIS-2024-0001",
        "WSIS-2024-0003",
        "WSIS-CN-2024-0001",
    ]
    assert t.partner_documents(books.pid) == [first, second, t.document(credit.number)]
    assert t.partner_documents(other) == [theirs]


def test_a_partner_without_payments_or_documents_has_empty_lists(books: Books) -> None:
    assert books.tracker.partner_payments(books.pid) == []
    assert books.tracker.partner_documents(books.pid) == []
    assert books.tracker.partner_pledges(books.pid) == []
    with pytest.raises(UnknownPartner):
        books.tracker.partner_payments(404)


def test_a_signed_pledge_is_listed_among_the_partners_pledges(books: Books) -> None:
    pledge = books.tracker.create_pledge(
        books.pid, "WSIS2024", amount=money("10", "CHF"), signed_on=SIGNED
    )
    assert books.tracker.partner_pledges(books.pid) == [pledge]
