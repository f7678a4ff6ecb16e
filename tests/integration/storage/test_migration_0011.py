"""Migration 0011 gives editions a funding target: none for editions written before it."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from tests.factories import make_edition
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.storage import tables as t
from wsis_funding.storage.engine import make_engine
from wsis_funding.storage.rows import edition_to_row


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


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {c["name"] for c in inspect(conn).get_columns("editions")}
    finally:
        engine.dispose()


def test_an_edition_written_before_0011_has_no_target_and_can_get_one(db_url: str) -> None:
    _migrate(db_url, "0007")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(t.editions.insert().values(edition_to_row(make_edition()) | {
                "code_key": "wsis2024"}))  # fmt: skip
    finally:
        engine.dispose()
    assert "funding_target_minor" not in _columns(db_url)
    with open_tracker(db_url) as tracker:
        assert tracker.funding("WSIS2024").target is None
        tracker.set_funding_target("WSIS2024", money("750000.00", "CHF"))
        assert tracker.funding("WSIS2024").target == money("750000.00", "CHF")


def test_the_migration_goes_down_to_0007_and_up_again(db_url: str) -> None:
    with open_tracker(db_url) as tracker:
        tracker.add_edition(make_edition())
    assert "funding_target_minor" in _columns(db_url)
    _migrate(db_url, "0007", down=True)
    assert "funding_target_minor" not in _columns(db_url)
    _migrate(db_url, "head")
    with open_tracker(db_url) as tracker:
        assert tracker.funding("WSIS2024").target is None
