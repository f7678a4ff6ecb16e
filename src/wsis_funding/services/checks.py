"""Checks of caller input shared by the use cases: money, dates and references.

Floats are refused with ``TypeError`` everywhere: a float cannot hold money exactly.
"""

from __future__ import annotations

import datetime as dt

from moneyed import Money

from wsis_funding.errors import InvalidAmount
from wsis_funding.ledger.model import Edition, Partner, Pledge
from wsis_funding.storage.repository import SqlEditions, SqlPartners
from wsis_funding.money import to_minor
from wsis_funding.storage.unit_of_work import Tx

__all__ = ["edition_of", "partner_of", "pledge_id_of", "positive_money", "require_date"]


def positive_money(value: object, what: str, *, allow_zero: bool = False) -> Money:
    """Return ``value`` if it is an exact Money above zero (or zero when allowed).

    Raises ``TypeError`` for a float or any non-Money value and :class:`InvalidAmount` for a
    negative (or zero) amount or one finer than its currency's minor unit.
    """
    if isinstance(value, float):
        raise TypeError(f"{what} must be Money, not float ({value!r}): use money('12.50', 'CHF')")
    if not isinstance(value, Money):
        raise TypeError(f"{what} must be Money, not {type(value).__name__} ({value!r})")
    to_minor(value)
    if value.amount < 0 or (value.amount == 0 and not allow_zero):
        raise InvalidAmount(value.amount, f"{what} must be above zero")
    return value


def require_date(value: object, what: str) -> dt.date:
    """Return ``value`` if it is a date (not a datetime); raise ``TypeError`` otherwise."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


def partner_of(tx: Tx, partner: Partner | int) -> Partner:
    """Return the stored partner named by a Partner or an id; raise :class:`UnknownPartner`."""
    if isinstance(partner, Partner):
        if partner.id is None:
            raise TypeError("the partner has no id: store it with add_partner first")
        partner = partner.id
    if isinstance(partner, bool) or not isinstance(partner, int):
        raise TypeError(f"partner must be a Partner or an int id, not {type(partner).__name__}")
    return SqlPartners(tx.conn).get(partner)


def edition_of(tx: Tx, edition: Edition | str) -> Edition:
    """Return the stored edition named by an Edition or a code; raise :class:`UnknownEdition`."""
    code = edition.code if isinstance(edition, Edition) else edition
    if not isinstance(code, str):
        raise TypeError(f"edition must be an Edition or a code, not {type(edition).__name__}")
    return SqlEditions(tx.conn).get(code)


def pledge_id_of(pledge: Pledge | int) -> int:
    """Return the id of a Pledge or an int id; raise ``TypeError`` for anything else."""
    if isinstance(pledge, Pledge):
        return pledge.id
    if isinstance(pledge, bool) or not isinstance(pledge, int):
        raise TypeError(f"pledge must be a Pledge or an int id, not {type(pledge).__name__}")
    return pledge
