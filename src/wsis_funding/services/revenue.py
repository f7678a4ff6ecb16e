"""Revenue of an edition reported gross and net of programme support cost (PSC).

Gross is the voluntary contribution revenue recognised (IPSAS 23); PSC is what was charged on
the money received and moved to PSC income; net is what stays in the fund. Amounts are given
per original currency and, converted at the recorded rates, in the base currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
from moneyed import Money

from wsis_funding.ledger.accounts import psc_charge, revenue
from wsis_funding.ledger.model import Edition
from wsis_funding.money import zero
from wsis_funding.services.checks import edition_of
from wsis_funding.services.queries import account_balance
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["RevenueLine", "RevenueReport", "revenue_report"]


@attrs.frozen(kw_only=True)
class RevenueLine:
    """Gross revenue, PSC charged and net revenue in one currency."""

    gross: Money
    psc: Money
    net: Money


@attrs.frozen(kw_only=True)
class RevenueReport:
    """An edition's revenue: per original currency, and in base currency at recorded rates."""

    edition: str
    as_of: dt.date | None
    by_currency: Mapping[str, RevenueLine]
    base: RevenueLine


def revenue_report(
    uow: UnitOfWork, edition: Edition | str, *, as_of: dt.date | None = None
) -> RevenueReport:
    """Return the edition's revenue gross and net of PSC (up to ``as_of`` if given).

    Gross is the credit balance of ``revenue:<edition>``, PSC the debit balance of
    ``psc:<edition>``, net their difference; per original currency and in base currency at the
    recorded rates. Raises :class:`UnknownEdition`.
    """
    ed = edition_of(uow, edition)
    gross = account_balance(uow, revenue(ed.code), as_of=as_of)
    psc = account_balance(uow, psc_charge(ed.code), as_of=as_of)
    by_currency: dict[str, RevenueLine] = {}
    for code in sorted(set(gross.amounts) | set(psc.amounts)):
        g = -gross.amounts.get(code, zero(code))  # revenue is a credit balance
        p = psc.amounts.get(code, zero(code))
        by_currency[code] = RevenueLine(gross=g, psc=p, net=g - p)
    base_gross = -gross.base
    return RevenueReport(
        edition=ed.code,
        as_of=as_of,
        by_currency=by_currency,
        base=RevenueLine(gross=base_gross, psc=psc.base, net=base_gross - psc.base),
    )
