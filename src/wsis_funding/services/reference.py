"""Use cases on reference data: partners, editions (with their tier schedule) and rates."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.money import ExchangeRate, minor_unit_exponent
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.services.checks import partner_of
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import parse_schedule

__all__ = ["add_edition", "add_partner", "add_rates", "get_partner"]


def add_partner(uow: UnitOfWork, partner: Partner) -> Partner:
    """Store a new partner and return it with its id.

    Raises ``TypeError`` if ``partner`` is not a :class:`Partner` and :class:`AlreadyExists`
    if its short name is taken.
    """
    if not isinstance(partner, Partner):
        raise TypeError(f"expected a Partner, not {type(partner).__name__}")
    return uow.partners.add(partner)


def get_partner(uow: UnitOfWork, partner: Partner | int) -> Partner:
    """Return a stored partner, by id (or a stored Partner, as it is stored now).

    Raises :class:`UnknownPartner` and ``TypeError`` for anything but an int or a Partner.
    """
    return partner_of(uow, partner)


def add_edition(uow: UnitOfWork, edition: Edition) -> Edition:
    """Store a new edition; its tier schedule TOML is parsed and kept in the database.

    Raises :class:`InvalidSchedule` for a bad schedule, :class:`CurrencyMismatch` if the
    schedule or the edition is not in the books' base currency, ``TypeError`` for a float PSC
    rate, :class:`InvalidAmount` for a PSC rate outside 0..1 and :class:`AlreadyExists`.
    """
    if not isinstance(edition, Edition):
        raise TypeError(f"expected an Edition, not {type(edition).__name__}")
    if isinstance(edition.psc_rate, float) or not isinstance(edition.psc_rate, Decimal):
        raise TypeError(f"psc_rate must be a Decimal, not {type(edition.psc_rate).__name__}")
    if not edition.psc_rate.is_finite() or not 0 <= edition.psc_rate < 1:
        raise InvalidAmount(edition.psc_rate, "a PSC rate must be at least 0 and below 1")
    minor_unit_exponent(edition.base_currency)
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    if schedule.base_currency != edition.base_currency:
        raise CurrencyMismatch(
            edition.base_currency, schedule.base_currency, f"tier schedule of {edition.code}"
        )
    if edition.base_currency != uow.base:
        raise CurrencyMismatch(uow.base, edition.base_currency, f"base currency of {edition.code}")
    return uow.editions.add(edition)


def add_rates(uow: UnitOfWork, rates: Iterable[ExchangeRate]) -> int:
    """Store exchange rates in bulk and return how many were new (exact repeats are skipped).

    Raises ``TypeError`` for anything but :class:`ExchangeRate` and :class:`ConflictingRate`
    for a pair and date given two different rates.
    """
    batch = list(rates)
    for r in batch:
        if not isinstance(r, ExchangeRate):
            raise TypeError(f"expected ExchangeRate values, not {type(r).__name__}")
    return uow.rates.add_all(batch)
