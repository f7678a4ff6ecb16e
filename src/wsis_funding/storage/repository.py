"""Repositories of the ledger's aggregates, each behind a ``typing.Protocol``.

The SQL implementations work on a SQLAlchemy Core :class:`Connection` that is already inside
the use case's transaction; they never commit. Lookups raise the ``Unknown*`` errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.exc import IntegrityError

from wsis_funding.errors import (
    AlreadyExists,
    ConflictingRate,
    UnknownEdition,
    UnknownPartner,
    UnknownPledge,
)
from wsis_funding.storage import tables as t
from wsis_funding.storage.driver import Driver
from wsis_funding.ledger.model import Edition, Partner, Payment, Pledge
from wsis_funding.storage.rows import (
    edition_from_row,
    edition_to_row,
    partner_from_row,
    partner_to_row,
    payment_from_row,
    pledge_from_row,
)
from wsis_funding.money import ExchangeRate, RateTable

__all__ = [
    "EditionRepository",
    "PartnerRepository",
    "PaymentRepository",
    "PledgeRepository",
    "RateRepository",
    "SqlEditions",
    "SqlPartners",
    "SqlPayments",
    "SqlPledges",
    "SqlRates",
]


# Looked up on every payment: plain SQL on the driver cursor (see ledger.driver).
_PARTNER_COLUMNS = tuple(t.partners.c.keys())
_PARTNER_BY_ID = f"SELECT {', '.join(_PARTNER_COLUMNS)} FROM partners WHERE id = ?"
_PAYMENT_COLUMNS = tuple(t.payments.c.keys())
_PAYMENT_BY_KEY = f"SELECT {', '.join(_PAYMENT_COLUMNS)} FROM payments WHERE idempotency_key = ?"


class PartnerRepository(Protocol):
    """Stores and finds partners."""

    def add(self, partner: Partner) -> Partner:
        """Store a new partner; raise AlreadyExists for a taken short name."""

    def get(self, partner_id: int) -> Partner:
        """Return a partner; raise UnknownPartner."""


class EditionRepository(Protocol):
    """Stores and finds editions."""

    def add(self, edition: Edition) -> Edition:
        """Store a new edition; raise AlreadyExists for a taken code."""

    def get(self, code: str) -> Edition:
        """Return an edition; raise UnknownEdition."""


class RateRepository(Protocol):
    """Stores exchange rates and builds rate tables from them."""

    def add_all(self, rates: Sequence[ExchangeRate]) -> int:
        """Store rates (an identical one twice is a no-op); raise ConflictingRate."""

    def table(self, currencies: Iterable[str]) -> RateTable:
        """Return the rates between any two of ``currencies``."""


class PledgeRepository(Protocol):
    """Stores and finds pledges with their instalments."""

    def get(self, pledge_id: int) -> Pledge:
        """Return a pledge; raise UnknownPledge."""

    def for_partner(self, partner_id: int, edition_id: int | None = None) -> list[Pledge]:
        """Return a partner's pledges, of one edition or of all."""


class PaymentRepository(Protocol):
    """Finds payments."""

    def by_key(self, key: str) -> Payment | None:
        """Return the payment recorded with an idempotency key, if any."""


class SqlPartners:
    """Partners in the ``partners`` table."""

    def __init__(self, conn: Connection) -> None:
        """Work inside the transaction of ``conn``."""
        self.conn = conn

    def add(self, partner: Partner) -> Partner:
        """Store a new partner; raise :class:`AlreadyExists` for a taken short name."""
        taken = self.conn.execute(
            select(t.partners.c.id).where(t.partners.c.short_name == partner.short_name)
        ).first()
        if taken is not None:
            raise AlreadyExists("partner", partner.short_name)
        new_id = self.conn.execute(
            t.partners.insert().values(partner_to_row(partner)).returning(t.partners.c.id)
        ).scalar_one()
        return self.get(new_id)

    def get(self, partner_id: int) -> Partner:
        """Return a partner; raise :class:`UnknownPartner`."""
        row = Driver(self.conn).one(_PARTNER_BY_ID, (partner_id,))
        if row is None:
            raise UnknownPartner(partner_id)
        return partner_from_row(dict(zip(_PARTNER_COLUMNS, row, strict=True)))


class SqlEditions:
    """Editions in the ``editions`` table."""

    def __init__(self, conn: Connection) -> None:
        """Work inside the transaction of ``conn``."""
        self.conn = conn

    def add(self, edition: Edition) -> Edition:
        """Store a new edition; raise :class:`AlreadyExists` for a taken code."""
        taken = self.conn.execute(
            select(t.editions.c.id).where(t.editions.c.code == edition.code)
        ).first()
        if taken is not None:
            raise AlreadyExists("edition", edition.code)
        self.conn.execute(t.editions.insert().values(edition_to_row(edition)))
        return self.get(edition.code)

    def get(self, code: str) -> Edition:
        """Return an edition; raise :class:`UnknownEdition`."""
        row = self.conn.execute(select(t.editions).where(t.editions.c.code == code)).first()
        if row is None:
            raise UnknownEdition(code)
        return edition_from_row(row._mapping)

    def by_id(self, edition_id: int) -> Edition:
        """Return an edition by id; raise :class:`UnknownEdition`."""
        row = self.conn.execute(select(t.editions).where(t.editions.c.id == edition_id)).first()
        if row is None:
            raise UnknownEdition(edition_id)
        return edition_from_row(row._mapping)


class SqlRates:
    """Exchange rates in the ``exchange_rates`` table, rates as exact decimal text."""

    def __init__(self, conn: Connection) -> None:
        """Work inside the transaction of ``conn``."""
        self.conn = conn

    def add_all(self, rates: Sequence[ExchangeRate]) -> int:
        """Store ``rates``, skipping exact duplicates; return how many were new.

        Raises :class:`ConflictingRate` if a pair and date already has a different rate.
        """
        RateTable(rates)  # refuses conflicts within the batch itself
        keys = [(r.from_currency, r.to_currency, r.effective) for r in rates]
        known: dict[tuple[str, str, dt.date], Decimal] = {}
        for chunk in range(0, len(keys), 500):
            part = keys[chunk : chunk + 500]
            rows = self.conn.execute(
                select(
                    t.exchange_rates.c.from_currency,
                    t.exchange_rates.c.to_currency,
                    t.exchange_rates.c.effective,
                    t.exchange_rates.c.rate,
                ).where(
                    tuple_(
                        t.exchange_rates.c.from_currency,
                        t.exchange_rates.c.to_currency,
                        t.exchange_rates.c.effective,
                    ).in_(part)
                )
            )
            for f, to, eff, rate in rows:
                known[(f, to, eff)] = Decimal(rate)
        new: dict[tuple[str, str, dt.date], dict[str, Any]] = {}
        for r in rates:
            key = (r.from_currency, r.to_currency, r.effective)
            if key in known:
                if known[key] != r.rate:
                    raise ConflictingRate(*key)
                continue
            new[key] = {
                "from_currency": r.from_currency,
                "to_currency": r.to_currency,
                "effective": r.effective,
                "rate": format(r.rate, "f"),
                "source": r.source,
            }
        if new:
            try:
                self.conn.execute(t.exchange_rates.insert(), list(new.values()))
            except IntegrityError:
                raise ConflictingRate(*next(iter(new))) from None
        return len(new)

    def table(self, currencies: Iterable[str]) -> RateTable:
        """Return a :class:`RateTable` of the stored rates between any two of ``currencies``."""
        codes = sorted(set(currencies))
        c = t.exchange_rates.c
        rows = self.conn.execute(
            select(c.from_currency, c.to_currency, c.effective, c.rate, c.source).where(
                c.from_currency.in_(codes), c.to_currency.in_(codes)
            )
        )
        return RateTable(
            ExchangeRate(
                from_currency=f, to_currency=to, effective=eff, rate=Decimal(rate), source=src
            )
            for f, to, eff, rate, src in rows
        )


class SqlPledges:
    """Pledges in ``pledges`` with their ``instalments`` (replaced ones included)."""

    def __init__(self, conn: Connection, base: str) -> None:
        """Work inside the transaction of ``conn``; ``base`` is the books' base currency."""
        self.conn = conn
        self.base = base

    def _load(self, rows: Sequence[Any]) -> list[Pledge]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        inst: dict[int, list[Any]] = {i: [] for i in ids}
        for chunk in range(0, len(ids), 500):
            for r in self.conn.execute(
                select(t.instalments)
                .where(t.instalments.c.pledge_id.in_(ids[chunk : chunk + 500]))
                .order_by(t.instalments.c.pledge_id, t.instalments.c.seq)
            ):
                inst[r.pledge_id].append(r._mapping)
        return [pledge_from_row(r._mapping, r.edition_code, self.base, inst[r.id]) for r in rows]

    def _select(self) -> Any:
        return select(t.pledges, t.editions.c.code.label("edition_code")).join(
            t.editions, t.editions.c.id == t.pledges.c.edition_id
        )

    def get(self, pledge_id: int) -> Pledge:
        """Return a pledge; raise :class:`UnknownPledge`."""
        if isinstance(pledge_id, bool) or not isinstance(pledge_id, int):
            raise TypeError(f"pledge id must be an int, not {type(pledge_id).__name__}")
        rows = self.conn.execute(self._select().where(t.pledges.c.id == pledge_id)).all()
        if not rows:
            raise UnknownPledge(pledge_id)
        return self._load(rows)[0]

    def for_partner(self, partner_id: int, edition_id: int | None = None) -> list[Pledge]:
        """Return a partner's pledges (of one edition if given), oldest first."""
        q = self._select().where(t.pledges.c.partner_id == partner_id)
        if edition_id is not None:
            q = q.where(t.pledges.c.edition_id == edition_id)
        return self._load(self.conn.execute(q.order_by(t.pledges.c.id)).all())


class SqlPayments:
    """Payments in the ``payments`` table."""

    def __init__(self, conn: Connection) -> None:
        """Work inside the transaction of ``conn``."""
        self.conn = conn

    def by_key(self, key: str) -> Payment | None:
        """Return the payment recorded with idempotency key ``key``, if any."""
        d = Driver(self.conn)
        row = d.one(_PAYMENT_BY_KEY, (key,))
        if row is None:
            return None
        found = dict(zip(_PAYMENT_COLUMNS, row, strict=True))
        found["received_on"] = d.read_day(found["received_on"])
        return payment_from_row(found)
