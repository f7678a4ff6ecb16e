"""Migration 0007 upgrades books written before it: keys filled, old duplicates kept apart,
partners stored before the rules still readable and correctable."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
from pathlib import Path
from typing import Any

import attrs
import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import wsis_funding.storage.migrations as migrations
from tests.factories import make_edition, make_partner
from wsis_funding.errors import AlreadyExists, InvalidField
from wsis_funding.ledger.validation import identity_key
from wsis_funding.services import open_tracker
from wsis_funding.storage import tables as t
from wsis_funding.storage.engine import make_engine
from wsis_funding.storage.rows import edition_to_row, partner_to_row

JUNE = dt.date(2024, 6, 1)


def _migrate(url: str, target: str, *, down: bool = False) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", "wsis_funding.storage:migrations")
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, target)
    finally:
        engine.dispose()


def _partner_row(short: str, **changes: Any) -> dict[str, Any]:
    return partner_to_row(make_partner(short)) | changes


def _books_written_by_0006(url: str) -> None:
    """Books as the code before 0007 could leave them: duplicates and unchecked values."""
    _migrate(url, "0006")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for row in (
                _partner_row("ACME"),  # 1
                _partner_row("acme", legal_name="acme sàrl"),  # 2
                _partner_row("ＡＣＭＥ ", legal_name="ACME (full width)"),  # 3
                _partner_row("BETA", legal_name=" ", country="ch", postcode=""),  # 4
            ):
                conn.execute(t.partners.insert().values(row))
            for edition in (
                make_edition("WSIS2024", prefix="WSIS"),
                make_edition("wsis2024", prefix="WS-IS"),
                make_edition("WSIS2025", prefix="WSIS"),
            ):
                conn.execute(t.editions.insert().values(edition_to_row(edition)))
    finally:
        engine.dispose()


def test_upgrading_fills_the_keys_and_keeps_old_duplicates_apart(db_url: str) -> None:
    _books_written_by_0006(db_url)
    with open_tracker(db_url) as tracker, tracker.engine.connect() as conn:
        keys = dict(conn.execute(select(t.partners.c.id, t.partners.c.short_name_key)).all())
        codes = dict(conn.execute(select(t.editions.c.code, t.editions.c.code_key)).all())
        assert keys == {1: "acme", 2: "acme #2", 3: "acme #3", 4: "beta"}
        assert codes == {"WSIS2024": "wsis2024", "wsis2024": "wsis2024 #2", "WSIS2025": "wsis2025"}
        assert tracker.verify() == []


def test_a_short_name_held_by_old_duplicates_is_not_guessed_until_they_are_renamed(
    db_url: str,
) -> None:
    _books_written_by_0006(db_url)
    with open_tracker(db_url) as tracker:
        with pytest.raises(InvalidField) as info:
            tracker.partner_by_short_name("Acme")
        assert "names 3 partners" in str(info.value)
        assert "partner 1 'ACME' (ACME Corporation), partner 2 'acme' (acme sàrl)" in str(
            info.value
        )
        # The oldest may still change the case of its short name: it makes no new duplicate.
        assert tracker.update_partner(1, on=JUNE, short_name="Acme").short_name == "Acme"
        # The others' fields can still be corrected without touching their short names.
        fixed = tracker.update_partner(2, on=JUNE, contact_email="compta@example.org")
        assert fixed.contact_email == "compta@example.org"
        tracker.update_partner(2, on=JUNE, short_name="ACME-SARL")
        tracker.update_partner(3, on=JUNE, short_name="ACME-FW")
        assert tracker.partner_by_short_name("Acme").id == 1
        assert tracker.partner_by_short_name("acme-fw").id == 3
        with pytest.raises(AlreadyExists, match="partner 1 'Acme'"):
            tracker.update_partner(2, on=JUNE, short_name="acme")


def test_a_new_duplicate_of_an_old_duplicate_is_refused_naming_the_oldest(db_url: str) -> None:
    _books_written_by_0006(db_url)
    with open_tracker(db_url) as tracker:
        tracker.update_partner(1, on=JUNE, short_name="ACME-CORP")
        with pytest.raises(AlreadyExists) as info:
            tracker.add_partner(make_partner("Acme"))
        assert info.value.existing == 2
        with pytest.raises(AlreadyExists, match="edition 'WSIS2024' has the same code"):
            tracker.add_edition(make_edition("WSIS 2024", prefix="WSIS"))
        with pytest.raises(AlreadyExists, match="edition 'wsis2024' numbers its documents"):
            tracker.add_edition(make_edition("WSIS2026", prefix="WSIS"))


def test_a_partner_stored_before_the_rules_is_read_as_stored_and_corrected_whole(
    db_url: str,
) -> None:
    _books_written_by_0006(db_url)
    with open_tracker(db_url) as tracker:
        legacy = tracker.partner(4)
        assert (legacy.legal_name, legacy.country, legacy.billing_address.postcode) == (
            " ",
            "ch",
            "",
        )
        with pytest.raises(InvalidField, match="invalid legal_name ' ': is empty"):
            tracker.update_partner(4, on=JUNE, contact_email="beta@example.org")
        fixed = tracker.update_partner(
            4,
            on=JUNE,
            legal_name="Beta SA",
            country="CH",
            billing_address=attrs.evolve(make_partner().billing_address, postcode="1202"),
        )
        assert (fixed.legal_name, fixed.country, fixed.billing_address.postcode) == (
            "Beta SA",
            "CH",
            "1202",
        )
        [old] = tracker.partner_history(4)
        assert old.partner == legacy
        assert old.changed == ("legal_name", "country", "billing_address.postcode")


def test_the_migration_goes_down_to_0006_and_up_again(db_url: str) -> None:
    _books_written_by_0006(db_url)
    with open_tracker(db_url) as tracker:
        tracker.update_partner(1, on=JUNE, language="en")
    _migrate(db_url, "0006", down=True)
    _migrate(db_url, "head")
    with open_tracker(db_url) as tracker:
        assert tracker.partner_history(1) == []
        assert tracker.partner(1).language.value == "en"
        assert tracker.partner_by_short_name("BETA").id == 4


@functools.cache
def _migration_module() -> Any:
    path = Path(migrations.__file__).parent / "versions" / "rev_0007_reference_data.py"
    spec = importlib.util.spec_from_file_location("rev_0007_reference_data", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_the_migrations_copy_of_the_identity_key_is_the_rule_of_the_code(text: str) -> None:
    """Property: for any text, migration 0007 computes the key the code computes; a change
    of the rule must come with a migration that recomputes the stored keys."""
    assert _migration_module().identity_key(text) == identity_key(text)
