"""Builders shared by every test: partners, editions, pledges, issuers and opened books.

The values come from :mod:`wsis_funding.examples`, which the demo uses too; this module adds
what only tests need (books opened with reference data, a dump of every table). Nothing is
imported from a conftest.
"""

from __future__ import annotations

import datetime as dt

import attrs
from sqlalchemy import func, select

from wsis_funding.examples import RATES, SIGNED, example_edition, example_issuer, example_partner
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Language, Partner, Pledge
from wsis_funding.money import money
from wsis_funding.services import Tracker
from wsis_funding.storage.tables import document_counters, documents, metadata

__all__ = [
    "DUE",
    "ISSUED",
    "RATES",
    "SIGNED",
    "Books",
    "example_issuer",
    "make_edition",
    "make_partner",
    "snapshot",
]

make_partner = example_partner
make_edition = example_edition
ISSUED = dt.date(2024, 2, 1)
DUE = dt.date(2024, 3, 2)


class Books:
    """Opened books with one French-speaking partner (ACME), WSIS2024 and the test rates."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.partner = tracker.add_partner(make_partner())
        self.edition = tracker.add_edition(make_edition())
        tracker.add_rates(RATES)
        assert self.partner.id is not None
        self.pid: int = self.partner.id

    def add_partner(self, short: str, language: Language) -> Partner:
        return self.tracker.add_partner(attrs.evolve(make_partner(short), language=language))

    def confirmed_pledge(
        self,
        amount: str = "60000",
        currency: str = "CHF",
        partner: int | None = None,
        parts: int = 1,
        tier: str | None = None,
    ) -> Pledge:
        total = money(amount, currency)
        dates = [dt.date(2024, 3, 1) + dt.timedelta(days=7 * i) for i in range(parts)]
        pledge = self.tracker.create_pledge(
            partner or self.pid,
            "WSIS2024",
            amount=total,
            signed_on=SIGNED,
            instalments=split_evenly(total, dates),
            tier=tier,
        )
        return self.tracker.confirm(pledge)

    def counts(self) -> tuple[int, list[tuple[object, ...]]]:
        with self.tracker.engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            counters = [tuple(r) for r in conn.execute(select(document_counters)).all()]
        return int(n), sorted(counters)


def snapshot(tracker: Tracker) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged database."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with tracker.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            rows = conn.execute(select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out
