"""Fixtures for the ledger integration tests: opened books with reference data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from wsis_funding.ledger.model import Address, Edition, Language, Partner, StakeholderType
from wsis_funding.money import ExchangeRate
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.tiers import illustrative_schedule_toml

SIGNED = dt.date(2024, 1, 15)


def make_partner(short: str = "ACME") -> Partner:
    return Partner(
        legal_name=f"{short} Corporation",
        short_name=short,
        country="CH",
        stakeholder_type=StakeholderType.PRIVATE_SECTOR,
        language=Language.FR,
        billing_address=Address(
            street="Place des Nations",
            building_number="1",
            postcode="1211",
            town="Geneve",
            country="CH",
        ),
        tax_id="CHE-123.456.789",
        contact_email="finance@example.org",
    )


def make_edition(code: str = "WSIS2024") -> Edition:
    return Edition(
        code=code,
        title="WSIS+20 Forum High-Level Event",
        start=dt.date(2024, 5, 27),
        end=dt.date(2024, 5, 31),
        base_currency="CHF",
        schedule_toml=illustrative_schedule_toml(),
        psc_rate=Decimal("0.07"),
        invoice_prefix="WSIS",
    )


RATES = [
    ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.90"),
                 effective=dt.date(2024, 1, 1)),
    ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.88"),
                 effective=dt.date(2024, 3, 1)),
    ExchangeRate(from_currency="USD", to_currency="CHF", rate=Decimal("0.95"),
                 effective=dt.date(2024, 4, 1)),
    ExchangeRate(from_currency="EUR", to_currency="CHF", rate=Decimal("0.95"),
                 effective=dt.date(2024, 1, 1)),
    ExchangeRate(from_currency="EUR", to_currency="CHF", rate=Decimal("0.97"),
                 effective=dt.date(2024, 3, 1)),
]  # fmt: skip


class Books:
    """Opened books with one partner, one edition and the rates above."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.partner = tracker.add_partner(make_partner())
        self.edition = tracker.add_edition(make_edition())
        tracker.add_rates(RATES)
        assert self.partner.id is not None
        self.pid: int = self.partner.id


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    with open_tracker(db_url) as tracker:
        yield Books(tracker)


def snapshot(tracker: Tracker) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every ledger table, sorted: equal snapshots mean an unchanged database."""
    from sqlalchemy import select

    from wsis_funding.storage.tables import metadata

    out: dict[str, list[tuple[object, ...]]] = {}
    with tracker.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            rows = conn.execute(select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out
