"""Repositories of reference data: partners, editions, exchange rates and the books' settings.

Each works inside the unit of work's transaction and never commits. Lookups raise the
``Unknown*`` errors of the ledger slice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from wsis_funding.ledger.errors import AlreadyExists, InvalidField, UnknownEdition, UnknownPartner
from wsis_funding.ledger.history import PartnerVersion
from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.ledger.validation import identity_key, reference_body
from wsis_funding.money import ExchangeRate, RateTable
from wsis_funding.money.errors import ConflictingRate
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import (
    edition_from_row,
    edition_to_row,
    partner_from_row,
    partner_to_row,
    partner_version_from_row,
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
_PARTNER_EXISTS = Statement(
    "partner exists",
    lambda _: select(t.partners.c.id).where(t.partners.c.id == bindparam("id")),
    order=("id",),
)
_PARTNER_COLUMNS = tuple(t.partners.c.keys())
# Ids are INTEGER columns: a larger int is no id (SQLite would overflow, not answer "none").
_RATE = t.exchange_rates.c
_RATES_OF_PAIR = Statement(
    "rates between two currencies",
    lambda _: select(
        _RATE.from_currency, _RATE.to_currency, _RATE.effective, _RATE.rate, _RATE.source
    ).where(
        or_(
            (_RATE.from_currency == bindparam("a")) & (_RATE.to_currency == bindparam("b")),
            (_RATE.from_currency == bindparam("b2")) & (_RATE.to_currency == bindparam("a2")),
        )
    ),
    order=("a", "b", "b2", "a2"),
)
_SETTING = Statement(
    "a setting",
    lambda _: select(t.ledger_settings.c.value).where(t.ledger_settings.c.key == bindparam("key")),
    order=("key",),
)
_ID_RANGE = range(-(2**31), 2**31)
_DUPLICATE_MARK = " #"


def _storable(text: str) -> bool:
    """Whether a text can be sent to both engines (PostgreSQL refuses NUL and surrogates)."""
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def _same_key(column: ColumnElement[str], key: str) -> ColumnElement[bool]:
    """Select the rows whose identity key is ``key``, or ``key`` of a duplicate kept by 0007."""
    marked = key + _DUPLICATE_MARK
    return or_(column == key, func.substr(column, 1, len(marked)) == marked)


def _described(partner: Partner) -> str:
    return f"partner {partner.id} {partner.short_name!r} ({partner.legal_name})"


class Partners:
    """Partners in the ``partners`` table, their identity keys and their earlier versions."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def _with_key(self, key: str, *, besides: int | None = None) -> list[Partner]:
        c = t.partners.c
        query = select(t.partners).where(_same_key(c.short_name_key, key)).order_by(c.id)
        if besides is not None:
            query = query.where(c.id != besides)
        return [partner_from_row(r._mapping) for r in self._uow.conn.execute(query)]

    def _refuse_taken(self, short_name: str, key: str, *, besides: int | None = None) -> None:
        taken = self._with_key(key, besides=besides)
        if taken:
            raise AlreadyExists(
                "partner",
                short_name,
                existing=taken[0].id,
                detail=(
                    f"{_described(taken[0])} has the same short name once case, spacing and "
                    "width are ignored"
                ),
            )

    def add(self, partner: Partner) -> Partner:
        """Store a new partner with its identity key and return it with its id.

        Raises :class:`AlreadyExists` naming the partner whose short name has the same
        identity key (``ACME``, ``acme``, ``ＡＣＭＥ``).
        """
        key = identity_key(partner.short_name)
        self._refuse_taken(partner.short_name, key)
        row = partner_to_row(partner) | {"short_name_key": key}
        new_id = self._uow.conn.execute(
            t.partners.insert().values(row).returning(t.partners.c.id)
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
        if partner_id not in _ID_RANGE:
            raise UnknownPartner(partner_id)
        row = self._uow.driver.one(_PARTNER_BY_ID, (partner_id,))
        if row is None:
            raise UnknownPartner(partner_id)
        return partner_from_row(dict(zip(_PARTNER_COLUMNS, row, strict=True)))

    def require(self, partner_id: int) -> int:
        """Return ``partner_id`` if a partner has it; raise :class:`UnknownPartner`.

        For use cases that need the id alone: no row is turned into a Partner.
        """
        if (
            partner_id not in _ID_RANGE
            or self._uow.driver.one(_PARTNER_EXISTS, (partner_id,)) is None
        ):
            raise UnknownPartner(partner_id)
        return partner_id

    def by_short_name(self, short_name: str) -> Partner:
        """Return the partner whose short name has the identity key of ``short_name``.

        Raises :class:`UnknownPartner`, and :class:`InvalidField` when the key names several
        partners (duplicates kept from books written before they were refused).
        """
        key = identity_key(short_name)
        found = self._with_key(key) if key and _storable(key) else []
        if not found:
            raise UnknownPartner(short_name)
        if len(found) > 1:
            raise InvalidField(
                "short_name",
                short_name,
                f"names {len(found)} partners, kept apart because the books held them before "
                f"duplicate short names were refused: {', '.join(map(_described, found))}; "
                "give one of them another short name with update_partner, or use its id",
            )
        return found[0]

    def all(self) -> list[Partner]:
        """Return every partner, by id."""
        rows = self._uow.conn.execute(select(t.partners).order_by(t.partners.c.id))
        return [partner_from_row(r._mapping) for r in rows]

    def update(self, old: Partner, new: Partner, *, on: dt.date, changed: Sequence[str]) -> Partner:
        """Replace partner ``old`` (as stored) by ``new``, keeping ``old`` in its history.

        ``on`` is the date of the correction and ``changed`` the fields it changes. The
        identity key changes only with the short name's key (a duplicate kept by migration
        0007 keeps its marked key while its short name stays the same). Raises
        :class:`AlreadyExists` for a new short name whose key another partner has.
        """
        assert old.id is not None
        conn = self._uow.conn
        row = partner_to_row(new)
        c = t.partners.c
        stored = conn.execute(select(c.short_name_key).where(c.id == old.id)).scalar_one()
        key = identity_key(new.short_name)
        if new.short_name != old.short_name and key != stored:
            self._refuse_taken(new.short_name, key, besides=old.id)
            row["short_name_key"] = key
        h = t.partner_history.c
        version = conn.execute(
            select(func.count()).select_from(t.partner_history).where(h.partner_id == old.id)
        ).scalar_one()
        conn.execute(
            t.partner_history.insert().values(
                partner_to_row(old)
                | {
                    "partner_id": old.id,
                    "version": int(version) + 1,
                    "replaced_on": on,
                    "changed": ",".join(changed),
                }
            )
        )
        conn.execute(t.partners.update().where(t.partners.c.id == old.id).values(row))
        return self.get(old.id)

    def history(self, partner_id: int) -> list[PartnerVersion]:
        """Return the earlier versions of a partner, oldest first."""
        h = t.partner_history.c
        rows = self._uow.conn.execute(
            select(t.partner_history).where(h.partner_id == partner_id).order_by(h.version)
        )
        return [partner_version_from_row(r._mapping) for r in rows]

    def last_change(self, partner_id: int) -> dt.date | None:
        """Return the date of the partner's latest correction, if any."""
        h = t.partner_history.c
        day = self._uow.conn.execute(
            select(func.max(h.replaced_on)).where(h.partner_id == partner_id)
        ).scalar()
        if day is None or isinstance(day, dt.date):
            return day
        return dt.date.fromisoformat(day)


def _series_bodies(prefix: str) -> set[str]:
    """Return the RF reference bodies that start a prefix's document numbers.

    One per series: invoices, credit notes and letters (see
    :func:`wsis_funding.documents.numbering.series_of`).
    """
    body = reference_body(prefix)
    return {body, body + "CN", body + "ACK"}


class Editions:
    """Editions in the ``editions`` table, with the identity keys of their codes."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def add(self, edition: Edition) -> Edition:
        """Store a new edition with its identity key and return it with its id.

        Raises :class:`AlreadyExists` naming the edition whose code has the same identity key
        (``WSIS2025``, ``wsis2025``), or another edition whose invoice prefix differs but
        gives the same RF creditor references (``WSIS`` and ``WS-IS``; or ``WSISCN``, whose
        invoices would be numbered like the credit notes of ``WSIS``).
        """
        conn = self._uow.conn
        c = t.editions.c
        key = identity_key(edition.code)
        taken = conn.execute(
            select(c.code).where(_same_key(c.code_key, key)).order_by(c.id)
        ).first()
        if taken is not None:
            raise AlreadyExists(
                "edition",
                edition.code,
                existing=taken.code,
                detail=(
                    f"edition {taken.code!r} has the same code once case, spacing and width "
                    "are ignored"
                ),
            )
        bodies = _series_bodies(edition.invoice_prefix)
        # Compared here, not in SQL: prefixes are equal only when equal as Python strings.
        for code, prefix in conn.execute(select(c.code, c.invoice_prefix).order_by(c.id)):
            if prefix != edition.invoice_prefix and bodies & _series_bodies(prefix):
                raise AlreadyExists(
                    "invoice prefix",
                    edition.invoice_prefix,
                    existing=code,
                    detail=(
                        f"edition {code!r} numbers its documents with the prefix {prefix!r}, "
                        "which gives the same RF creditor references; use the same prefix "
                        "(the editions then share one numbering) or another one"
                    ),
                )
        conn.execute(t.editions.insert().values(edition_to_row(edition) | {"code_key": key}))
        return self.get(edition.code)

    def get(self, code: str) -> Edition:
        """Return an edition; raise :class:`UnknownEdition`."""
        if not _storable(code):
            raise UnknownEdition(code)
        row = self._uow.conn.execute(select(t.editions).where(t.editions.c.code == code)).first()
        if row is None:
            raise UnknownEdition(code)
        return edition_from_row(row._mapping)

    def set_funding_target(self, edition_id: int, target_minor: int | None) -> None:
        """Set (or, with None, clear) an edition's funding target, in base minor units."""
        self._uow.conn.execute(
            update(t.editions)
            .where(t.editions.c.id == edition_id)
            .values(funding_target_minor=target_minor)
        )

    def by_id(self, edition_id: int) -> Edition:
        """Return an edition by id; raise :class:`UnknownEdition`."""
        if edition_id not in _ID_RANGE:
            raise UnknownEdition(edition_id)
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

    def pair(self, code: str, other: str) -> RateTable:
        """Return a :class:`RateTable` of the stored rates between two currencies (either way)."""
        d = self._uow.driver
        return RateTable(
            ExchangeRate(from_currency=f, to_currency=to, effective=d.read_date(eff),
                         rate=Decimal(rate), source=src)
            for f, to, eff, rate, src in d.all(_RATES_OF_PAIR, (code, other, other, code))
        )  # fmt: skip

    def all(self) -> list[ExchangeRate]:
        """Return every stored rate, by pair then effective date."""
        c = t.exchange_rates.c
        rows = self._uow.conn.execute(
            select(c.from_currency, c.to_currency, c.effective, c.rate, c.source).order_by(
                c.from_currency, c.to_currency, c.effective
            )
        )
        return [
            ExchangeRate(
                from_currency=f, to_currency=to, effective=eff, rate=Decimal(rate), source=src
            )
            for f, to, eff, rate, src in rows
        ]

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
        row = self._uow.driver.one(_SETTING, (key,))
        return None if row is None else str(row[0])

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
