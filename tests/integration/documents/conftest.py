"""Fixtures for the document use cases: books opened with the example issuer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import pytest
from sqlalchemy import func, select

from tests.integration.ledger.conftest import SIGNED, make_partner
from tests.integration.ledger.conftest import Books as LedgerBooks
from wsis_funding.documents.examples import example_issuer
from wsis_funding.storage.document_tables import document_counters, documents
from wsis_funding.ledger.model import Language, Partner, Pledge
from wsis_funding.money import money
from wsis_funding.services import open_tracker, split_evenly

ISSUED = dt.date(2024, 2, 1)
DUE = dt.date(2024, 3, 2)


class Books(LedgerBooks):
    """The ledger tests' books (a French-speaking partner, WSIS2024, the test rates), plus
    helpers for documents."""

    def add_partner(self, short: str, language: Language) -> Partner:
        return self.tracker.add_partner(attrs.evolve(make_partner(short), language=language))

    def confirmed_pledge(
        self,
        amount: str = "60000",
        currency: str = "CHF",
        partner: int | None = None,
        parts: int = 1,
    ) -> Pledge:
        total = money(amount, currency)
        dates = [dt.date(2024, 3, 1) + dt.timedelta(days=7 * i) for i in range(parts)]

        pledge = self.tracker.create_pledge(
            partner or self.pid, "WSIS2024", total, SIGNED, split_evenly(total, dates), tier="gold"
        )
        return self.tracker.confirm(pledge)

    def counts(self) -> tuple[int, list[tuple[object, ...]]]:
        with self.tracker.engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            counters = [tuple(r) for r in conn.execute(select(document_counters)).all()]
        return int(n), sorted(counters)


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        yield Books(tracker)
