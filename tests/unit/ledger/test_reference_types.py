"""Partners, addresses and editions check every field when built: an invalid one cannot exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from tests.factories import make_edition, make_partner
from wsis_funding.documents.numbering import format_number, series_of
from wsis_funding.documents.reference import MAX_BODY_LENGTH, creditor_reference
from wsis_funding.ledger.errors import InvalidField
from wsis_funding.ledger.history import changed_fields
from wsis_funding.ledger.model import Address, Language, StakeholderType
from wsis_funding.ledger.validation import MAX_PREFIX_BODY, search_key


def test_enum_fields_take_the_enum_or_its_value() -> None:
    p = attrs.evolve(make_partner(), language="ar", stakeholder_type="government")
    assert p.language is Language.AR
    assert p.stakeholder_type is StakeholderType.GOVERNMENT
    assert attrs.evolve(p, language=Language.ZH).language is Language.ZH


def test_an_unknown_language_lists_the_allowed_values() -> None:
    with pytest.raises(InvalidField) as info:
        attrs.evolve(make_partner(), language="de")
    assert str(info.value) == (
        "invalid language 'de': expected one of 'ar', 'zh', 'en', 'fr', 'ru', 'es' (or a Language)"
    )


def test_a_language_of_another_type_is_a_type_error_naming_the_field() -> None:
    with pytest.raises(TypeError, match=r"^language must be a Language or its value as a str"):
        attrs.evolve(make_partner(), language=None)


FIELDS = [
    ("legal_name", 70),
    ("short_name", 40),
    ("tax_id", 60),
]
ADDRESS = [("street", 70), ("building_number", 16), ("postcode", 16), ("town", 35)]


@pytest.mark.parametrize(("field", "limit"), FIELDS)
def test_a_partner_text_holds_its_limit_and_not_one_more(field: str, limit: int) -> None:
    assert getattr(attrs.evolve(make_partner(), **{field: "é" * limit}), field) == "é" * limit
    with pytest.raises(InvalidField, match=f"expected at most {limit}$") as info:
        attrs.evolve(make_partner(), **{field: "é" * (limit + 1)})
    assert info.value.field == field


@pytest.mark.parametrize(("field", "limit"), ADDRESS)
def test_an_address_part_holds_the_qr_bill_length_and_not_one_more(field: str, limit: int) -> None:
    base = make_partner().billing_address
    assert getattr(attrs.evolve(base, **{field: "9" * limit}), field) == "9" * limit
    with pytest.raises(InvalidField) as info:
        attrs.evolve(base, **{field: "9" * (limit + 1)})
    assert info.value.field == f"billing_address.{field}"


def test_the_building_number_may_be_empty_and_optional_texts_blank_are_none() -> None:
    address = Address(street="Rue", building_number="  ", postcode="1", town="T", country="CH")
    assert address.building_number == ""
    p = attrs.evolve(make_partner(), tax_id=" ", contact_email="")
    assert (p.tax_id, p.contact_email) == (None, None)


@pytest.mark.parametrize("field", ["street", "postcode", "town"])
def test_an_address_without_street_postcode_or_town_cannot_be_built(field: str) -> None:
    values: dict[str, Any] = {
        "street": "Rue", "building_number": "1", "postcode": "1211", "town": "Genève",
        "country": "CH",
    }  # fmt: skip
    with pytest.raises(InvalidField, match=f"^invalid billing_address.{field} '': is empty"):
        Address(**(values | {field: ""}))


def test_names_are_stored_nfc_normalised_and_trimmed() -> None:
    p = attrs.evolve(make_partner(), legal_name="  Cafe\u0301 du Lac\u3000", short_name=" CDL ")
    assert (p.legal_name, p.short_name) == ("Caf\u00e9 du Lac", "CDL")


def test_rebuilding_a_partner_checks_it_again() -> None:
    with pytest.raises(InvalidField, match=r"^invalid country 'XX'"):
        attrs.evolve(make_partner(), country="XX")


def test_an_edition_may_last_one_day_but_not_end_before_it_starts() -> None:
    day = dt.date(2025, 7, 7)
    assert attrs.evolve(make_edition(), start=day, end=day).end == day
    with pytest.raises(InvalidField) as info:
        attrs.evolve(make_edition(), start=day, end=day - dt.timedelta(days=1))
    assert info.value.field == "end"


def test_the_prefix_body_limit_leaves_room_for_the_longest_document_number() -> None:
    assert MAX_PREFIX_BODY == 10
    assert MAX_BODY_LENGTH - len("ACK") - len("20249999") == MAX_PREFIX_BODY
    prefix = attrs.evolve(make_edition(), invoice_prefix="W1-S2-I3-S4-F5").invoice_prefix
    for kind in ("invoice", "credit_note", "letter"):
        number = format_number(series_of(prefix, kind), 2099, 9999)
        assert creditor_reference(number).startswith("RF")
    with pytest.raises(InvalidField, match="has 11 letters and digits; expected at most 10"):
        attrs.evolve(make_edition(), invoice_prefix="W1-S2-I3-S4-F56")


def test_changed_fields_name_the_fields_and_address_parts_that_differ() -> None:
    old = make_partner()
    new = attrs.evolve(
        old,
        language="en",
        contact_email=None,
        billing_address=attrs.evolve(old.billing_address, town="Bern", building_number=""),
    )
    assert changed_fields(old, new) == (
        "language",
        "billing_address.building_number",
        "billing_address.town",
        "contact_email",
    )
    assert changed_fields(old, old) == ()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Genève", "geneve"),
        ("  Télécom   Straße ", "telecom strasse"),
        ("ＡＣＭＥ", "acme"),
        ("Ångström\u3000AB", "angstrom ab"),
    ],
)
def test_search_keys_ignore_case_accents_width_and_spacing(text: str, key: str) -> None:
    assert search_key(text) == key
