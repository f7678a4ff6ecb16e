"""Repositories of reference data: partners, editions, exchange rates and the books' settings.

Each works inside the unit of work's transaction and never commits. Lookups raise the
``Unknown*`` errors of the ledger slice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.exc import IntegrityError

from wsis_funding.ledger.errors import AlreadyExists, UnknownEdition, UnknownPartner
from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.money import ExchangeRate, RateTable
from wsis_funding.money.errors import ConflictingRate
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import (
    edition_from_row,
    edition_to_row,
    partner_from_row,
    partner_to_row,
)
from wsis_funding.storage.statements import Statement

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Editions", "Partners", "Rates", "Settings"]

# Looked up on every payment.
_PARTNER_BY_ID = Statement(
    "partner by id",
    lambda _: select(t.partners).where(t.partners.c.id == bindparam("id")),
    order=("id",),
)
_PARTNER_COLUMNS = tuple(t.partners.c.keys())


class Partners:
    """Partners in the ``partners`` table."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def add(self, partner: Partner) -> Partner:
        """Store a new partner; raise :class:`AlreadyExists` for a taken short name."""
        conn = self._uow.conn
        taken = conn.execute(
            select(t.partners.c.id).where(t.partners.c.short_name == partner.short_name)
        ).first()
        if taken is not None:
            raise AlreadyExists("partner", partner.short_name)
        new_id = conn.execute(
            t.partners.insert().values(partner_to_row(partner)).returning(t.partners.c.id)
        ).scalar_one()
        return self.get(new_id)

    def names(self, partner_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Return (short name, legal name) of each partner named."""
        if not partner_ids:
            return {}
        c = t.partners.c
        rows = self._uow.conn.execute(
            select(c.id, c.short_name, c.legal_name).where(c.id.in_(list(partner_ids)))
        )
        return {int(i): (str(s), str(n)) for i, s, n in rows}

    def get(self, partner_id: int) -> Partner:
        """Return a partner; raise :class:`UnknownPartner`."""
        row = self._uow.driver.one(_PARTNER_BY_ID, (partner_id,))
        if row is None:
            raise UnknownPartner(partner_id)
        return partner_from_row(dict(zip(_PARTNER_COLUMNS, row, strict=True)))


class Editions:
    """Editions in the ``editions`` table."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def add(self, edition: Edition) -> Edition:
        """Store a new edition; raise :class:`AlreadyExists` for a taken code."""
        conn = self._uow.conn
        taken = conn.execute(
            select(t.editions.c.id).where(t.editions.c.code == edition.code)
        ).first()
        if taken is not None:
            raise AlreadyExists("edition", edition.code)
        conn.execute(t.editions.insert().values(edition_to_row(edition)))
        return self.get(edition.code)

    def get(self, code: str) -> Edition:
        """Return an edition; raise :class:`UnknownEdition`."""
        row = self._uow.conn.execute(select(t.editions).where(t.editions.c.code == code)).first()
        if row is None:
            raise UnknownEdition(code)
        return edition_from_row(row._mapping)

    def by_id(self, edition_id: int) -> Edition:
        """Return an edition by id; raise :class:`UnknownEdition`."""
        row = self._uow.conn.execute(
            select(t.editions).where(t.editions.c.id == edition_id)
        ).first()
        if row is None:
            raise UnknownEdition(edition_id)
        return edition_from_row(row._mapping)


class Rates:
    """Exchange rates in the ``exchange_rates`` table, rates as exact decimal text."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def add_all(self, rates: Sequence[ExchangeRate]) -> int:
        """Store ``rates``, skipping exact duplicates; return how many were new.

        Raises :class:`ConflictingRate` if a pair and date already has a different rate.
        """
        conn = self._uow.conn
        RateTable(rates)  # refuses conflicts within the batch itself
        keys = [(r.from_currency, r.to_currency, r.effective) for r in rates]
        known: dict[tuple[str, str, dt.date], Decimal] = {}
        c = t.exchange_rates.c
        for chunk in range(0, len(keys), 500):
            part = keys[chunk : chunk + 500]
            rows = conn.execute(
                select(c.from_currency, c.to_currency, c.effective, c.rate).where(
                    tuple_(c.from_currency, c.to_currency, c.effective).in_(part)
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
                conn.execute(t.exchange_rates.insert(), list(new.values()))
            except IntegrityError:
                raise ConflictingRate(*next(iter(new))) from None
        return len(new)

    def table(self, currencies: Iterable[str]) -> RateTable:
        """Return a :class:`RateTable` of the stored rates between any two of ``currencies``."""
        codes = sorted(set(currencies))
        c = t.exchange_rates.c
        rows = self._uow.conn.execute(
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


class Settings:
    """The books' own settings (their base currency), in the ``ledger_settings`` table."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def get(self, key: str) -> str | None:
        """Return the stored value of ``key``, or None."""
        value = self._uow.conn.execute(
            select(t.ledger_settings.c.value).where(t.ledger_settings.c.key == key)
        ).scalar()
        return None if value is None else str(value)

    def put(self, key: str, value: str) -> None:
        """Store ``key`` (which must not be stored yet)."""
        self._uow.conn.execute(t.ledger_settings.insert().values(key=key, value=value))

    def set(self, key: str, value: str) -> None:
        """Store ``key``, replacing what it held."""
        settings = t.ledger_settings
        if self.get(key) is None:
            self.put(key, value)
        else:
            self._uow.conn.execute(
                settings.update().where(settings.c.key == key).values(value=value)
            )
