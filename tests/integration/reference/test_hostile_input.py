"""Hostile and careless reference data is refused alike on SQLite and PostgreSQL.

Each case runs against books on both engines (opened once for the module: every case must
leave them exactly as they were, which each case asserts). The two engines must raise the
same error type with the same message, containing the fragment the table expects, before the
database sees anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

from tests.databases import NoPostgres, postgres_database, sqlite_database
from tests.factories import SIGNED, Books, example_issuer, make_edition, make_partner, snapshot
from wsis_funding import errors
from wsis_funding.ledger.model import Address, Edition, Partner
from wsis_funding.money import money
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.tiers import illustrative_schedule_toml

TOTO_PA = "\U0001e290"  # TOTO LETTER PA: no installed font draws it
ON = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def engines() -> Iterator[tuple[Tracker, Tracker]]:
    """Books on SQLite and on PostgreSQL: ACME (1), BETA (2) and WSIS2024 (prefix WSIS)."""
    try:
        with (
            sqlite_database() as lite,
            postgres_database() as pg,
            open_tracker(lite, issuer=example_issuer()) as a,
            open_tracker(pg, issuer=example_issuer()) as b,
        ):
            for tracker in (a, b):
                Books(tracker)
                tracker.add_partner(make_partner("BETA"))
            yield a, b
    except NoPostgres as e:
        pytest.fail(str(e), pytrace=False)


def partner(**changes: Any) -> Partner:
    return attrs.evolve(make_partner("NEW"), **changes)


def address(**changes: Any) -> Address:
    return attrs.evolve(make_partner().billing_address, **changes)


def edition(**changes: Any) -> Edition:
    return attrs.evolve(make_edition("WSIS2025"), **changes)


def add(**changes: Any) -> Callable[[Tracker], Any]:
    return lambda t: t.add_partner(partner(**changes))


def add_at(**changes: Any) -> Callable[[Tracker], Any]:
    return lambda t: t.add_partner(partner(billing_address=address(**changes)))


def add_edition(**changes: Any) -> Callable[[Tracker], Any]:
    return lambda t: t.add_edition(edition(**changes))


def update(partner_id: Any = 1, **changes: Any) -> Callable[[Tracker], Any]:
    return lambda t: t.update_partner(partner_id, on=ON, **changes)


def pledge(partner_id: Any, edition_code: Any) -> Callable[[Tracker], Any]:
    return lambda t: t.create_pledge(
        partner_id, edition_code, amount=money("100", "CHF"), signed_on=SIGNED
    )


OTHER_EDITION_SCHEDULE = (
    illustrative_schedule_toml()
    .replace('code = "WSIS-ILLUSTRATIVE"', 'code = "WSIS2023"')
    .replace("illustrative = true", "illustrative = false")
)

IF = errors.InvalidField
# The actions take the tracker as Any: they pass what the signatures refuse, on purpose.
CASES: list[tuple[str, Callable[[Any], Any], type[BaseException], str]] = [
    # Partner names
    ("blank legal name", add(legal_name=""), IF, "invalid legal_name '': is empty"),
    ("spaces legal name", add(legal_name=" \t\u3000"), IF, "invalid legal_name"),
    ("nul in legal name", add(legal_name="AC\x00ME"), IF, "contains U+0000 control"),
    ("newline in name", add(legal_name="ACME\nCorp"), IF, "contains U+000A control"),
    ("surrogate in name", add(legal_name="AC\ud800"), IF, "contains U+D800 surrogate"),
    ("bidi override", add(legal_name="\u202eEMCA"), IF, "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("invisible name", add(legal_name="\u200b"), IF, "has no visible character"),
    ("71-char name", add(legal_name="x" * 71), IF, "is 71 characters long; expected at most 70"),
    ("undrawable name", add(legal_name=f"ACME {TOTO_PA}"), IF, "fonts cannot draw U+1E290"),
    ("int legal name", add(legal_name=5), TypeError, "legal_name must be a str, not int"),
    ("bool short name", add(short_name=True), TypeError, "short_name must be a str, not bool"),
    ("41-char short", add(short_name="S" * 41), IF, "invalid short_name 'SSS"),
    ("nul short name", add(short_name="N\x00"), IF, "invalid short_name 'N\\x00'"),
    # Countries
    ("country XX", add(country="XX"), IF, "invalid country 'XX': is not an assigned"),
    ("country ch", add(country="ch"), IF, "upper case; expected 'CH'"),
    ("country name", add(country="Switzerland"), IF, "invalid country 'Switzerland'"),
    ("alpha-3", add(country="CHE"), IF, "looks like an alpha-3 code"),
    ("country UK", add(country="UK"), IF, "expected 'GB'"),
    ("country none", add(country=None), TypeError, "country must be a str, not NoneType"),
    ("address UK", add_at(country="UK"), IF, "invalid billing_address.country 'UK'"),
    # The address a QR-bill needs
    ("no street", add_at(street=""), IF, "invalid billing_address.street '': is empty"),
    ("no postcode", add_at(postcode=" "), IF, "invalid billing_address.postcode ' '"),
    ("no town", add_at(town=""), IF, "invalid billing_address.town '': is empty"),
    ("71-char street", add_at(street="s" * 71), IF, "expected at most 70"),
    ("17-char number", add_at(building_number="1" * 17), IF, "17 characters long; expected at"),
    ("17-char postcode", add_at(postcode="1" * 17), IF, "billing_address.postcode"),
    ("36-char town", add_at(town="t" * 36), IF, "is 36 characters long; expected at most 35"),
    ("undrawable town", add_at(town=TOTO_PA), IF, "billing_address.town"),
    ("address str", add(billing_address="1 Rue"), TypeError, "billing_address must be an Addr"),
    # Contact and tax id
    ("no @", add(contact_email="finance"), IF, "invalid contact_email 'finance': has 0 '@'"),
    ("space e-mail", add(contact_email="a b@itu.int"), IF, "whitespace or invisible"),
    ("no dot domain", add(contact_email="a@localhost"), IF, "has no dot"),
    ("61-char tax id", add(tax_id="T" * 61), IF, "invalid tax_id"),
    ("nul tax id", add(tax_id="CHE\x00"), IF, "contains U+0000"),
    # Enumerations
    ("language xx", add(language="xx"), IF, "expected one of 'ar', 'zh', 'en', 'fr', 'ru', 'es'"),
    ("language FR", add(language="FR"), IF, "invalid language 'FR'"),
    ("language int", add(language=7), TypeError, "language must be a Language or its value"),
    ("stakeholder", add(stakeholder_type="company"), IF, "'government', 'private_sector'"),
    # Ids and duplicates
    ("id on a new partner", add(id=7), IF, "invalid id 7: a new partner gets its id"),
    ("bool id", add(id=True), TypeError, "id must be an int or None, not bool"),
    ("acme", add(short_name="acme"), errors.AlreadyExists, "partner 1 'ACME' (ACME Corp"),
    ("ACME space", add(short_name="ACME "), errors.AlreadyExists, "partner 1 'ACME'"),
    ("full-width", add(short_name="ＡＣＭＥ"), errors.AlreadyExists, "once case, spacing and"),
    ("AC ME", add(short_name="A C M E"), errors.AlreadyExists, "partner 'A C M E' already"),
    ("not a partner", lambda t: t.add_partner("ACME"), TypeError, "expected a Partner, not str"),
    # Looking partners up
    ("partner by str", lambda t: t.partner("ACME"), TypeError, "partner_by_short_name"),
    ("partner by bool", lambda t: t.partner(True), TypeError, "not bool"),
    ("id 2**31", lambda t: t.partner(2**31), errors.UnknownPartner, "unknown partner 2147483648"),
    ("id 2**63", lambda t: t.partner(2**63), errors.UnknownPartner, "9223372036854775808"),
    ("id 2**70", lambda t: t.partner(2**70), errors.UnknownPartner, "unknown partner"),
    ("id -1", lambda t: t.partner(-1), errors.UnknownPartner, "unknown partner -1"),
    ("short NOPE", lambda t: t.partner_by_short_name("NOPE"), errors.UnknownPartner, "'NOPE'"),
    ("short nul", lambda t: t.partner_by_short_name("A\x00"), errors.UnknownPartner, "partner"),
    ("short surrogate", lambda t: t.partner_by_short_name("\udfff"), errors.UnknownPartner, "p"),
    ("short int", lambda t: t.partner_by_short_name(5), TypeError, "short_name must be a str"),
    ("search int", lambda t: t.partners(search=5), TypeError, "search must be a str or None"),
    ("pledge 2**40", pledge(2**40, "WSIS2024"), errors.UnknownPartner, "1099511627776"),
    ("edition nul", pledge(1, "WS\x00"), errors.UnknownEdition, "unknown edition 'WS\\x00'"),
    ("edition surrogate", pledge(1, "\ud800"), errors.UnknownEdition, "unknown edition"),
    # Corrections
    ("update blank", update(legal_name=""), IF, "invalid legal_name '': is empty"),
    ("update ch", update(country="ch"), IF, "expected 'CH'"),
    ("update xx", update(language="xx"), IF, "invalid language 'xx'"),
    (
        "update town",
        lambda t: t.update_partner(1, on=ON, billing_address=address(town="")),
        IF,
        "invalid billing_address.town '': is empty",
    ),
    ("update glyph", update(legal_name=TOTO_PA), IF, "cannot draw U+1E290"),
    ("update to beta", update(short_name="beta"), errors.AlreadyExists, "partner 2 'BETA'"),
    ("update int", update(legal_name=5), TypeError, "legal_name must be a str, not int"),
    ("update unknown", update(999, legal_name="X"), errors.UnknownPartner, "unknown partner 999"),
    ("update by str", update("ACME", legal_name="X"), TypeError, "must be a Partner or an int"),
    (
        "update on text",
        lambda t: t.update_partner(1, on="2024-06-01", legal_name="X"),
        TypeError,
        "on must be a datetime.date, not str",
    ),
    # Editions
    ("empty code", add_edition(code=""), IF, "invalid code '': is empty"),
    ("nul code", add_edition(code="WS\x00"), IF, "contains U+0000"),
    ("41-char code", add_edition(code="W" * 41), IF, "expected at most 40"),
    ("int code", add_edition(code=2025), TypeError, "code must be a str, not int"),
    ("blank title", add_edition(title=" "), IF, "invalid title ' ': is empty"),
    ("undrawable title", add_edition(title=f"WSIS {TOTO_PA}"), IF, "invalid title"),
    ("empty prefix", add_edition(invoice_prefix=""), IF, "invalid invoice_prefix '': is empty"),
    ("prefix space", add_edition(invoice_prefix="WS IS"), IF, "ASCII letters and digits"),
    ("prefix pound", add_edition(invoice_prefix="WSIS£"), IF, "invalid invoice_prefix 'WSIS£'"),
    ("prefix hyphen", add_edition(invoice_prefix="-WSIS"), IF, "joined by single hyphens"),
    ("prefix double", add_edition(invoice_prefix="WS--IS"), IF, "joined by single hyphens"),
    ("prefix wide", add_edition(invoice_prefix="ＷＳＩＳ"), IF, "ASCII letters and digits"),
    ("prefix 11", add_edition(invoice_prefix="ABCDEFGHIJK"), IF, "has 11 letters and digits"),
    ("prefix 21", add_edition(invoice_prefix="A-" * 10 + "A"), IF, "is 21 characters long"),
    (
        "end before start",
        add_edition(end=dt.date(2024, 5, 26)),
        IF,
        "invalid end datetime.date(2024, 5, 26): is before the start 2024-05-27",
    ),
    ("start text", add_edition(start="2025-05-27"), TypeError, "start must be a datetime.date"),
    (
        "end datetime",
        add_edition(end=dt.datetime(2025, 6, 1)),
        TypeError,
        "end must be a datetime.date, not datetime",
    ),
    ("edition id", add_edition(id=3), IF, "invalid id 3: a new edition gets its id"),
    ("code case", add_edition(code="wsis2024"), errors.AlreadyExists, "edition 'WSIS2024' has"),
    (
        "code width",
        add_edition(code="ＷＳＩＳ２０２４"),
        errors.AlreadyExists,
        "edition 'WSIS2024'",
    ),
    (
        "prefix WS-IS",
        add_edition(invoice_prefix="WS-IS"),
        errors.AlreadyExists,
        "invoice prefix 'WS-IS' already exists: edition 'WSIS2024' numbers its documents with "
        "the prefix 'WSIS', which gives the same RF creditor references",
    ),
    ("prefix wsis", add_edition(invoice_prefix="wsis"), errors.AlreadyExists, "'WSIS2024'"),
    ("prefix WSISCN", add_edition(invoice_prefix="WSISCN"), errors.AlreadyExists, "'WSIS2024'"),
    ("prefix WSIS-ACK", add_edition(invoice_prefix="WSIS-ACK"), errors.AlreadyExists, "WSIS'"),
    (
        "schedule of another edition",
        add_edition(schedule_toml=OTHER_EDITION_SCHEDULE),
        errors.InvalidSchedule,
        "edition.code: the schedule is for edition 'WSIS2023', not for 'WSIS2025'",
    ),
    ("not an edition", lambda t: t.add_edition("WSIS2025"), TypeError, "expected an Edition"),
]


@pytest.mark.parametrize(
    ("action", "error", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_reference_input_is_refused_alike_on_both_engines_and_writes_nothing(
    engines: tuple[Tracker, Tracker],
    action: Callable[[Tracker], Any],
    error: type[BaseException],
    fragment: str,
) -> None:
    seen = []
    for tracker in engines:
        before = snapshot(tracker)
        with pytest.raises(error) as info:
            action(tracker)
        assert snapshot(tracker) == before
        assert fragment in str(info.value)
        seen.append((type(info.value), str(info.value)))
    assert seen[0] == seen[1]


def test_the_case_table_has_unique_names() -> None:
    assert len({c[0] for c in CASES}) == len(CASES)
