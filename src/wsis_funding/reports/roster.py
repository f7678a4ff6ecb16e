"""The tier roster of an edition for other WSIS services: versioned JSON, CSV and a table.

A website logo wall, the badges and the registration desk need to know who the partners of an
edition are, at which tier, and which activities they sponsor; most of them must not see any
amount. The roster holds exactly that, and amounts only when asked.

JSON (``"version": 1``; the JSON Schema is ``roster.schema.json`` beside this module, see
:data:`ROSTER_SCHEMA`)::

    {
      "version": 1,
      "edition": {"code": "WSIS2024", "title": "WSIS+20 Forum High-Level Event"},
      "tiers": [{"code": "platinum", "title": "Strategic Partner Platinum", "rank": 5}, ...],
      "amounts": null,
      "partners": [
        {
          "short_name": "ACME",
          "name": "Acme Telecom SA",
          "tier": {"code": "gold", "title": "Strategic Partner Gold", "rank": 3},
          "packages": [{"code": "HACKATHON", "title": "WSIS Hackathon", "count": 1}]
        }
      ]
    }

``tiers`` lists the edition's tiers from the highest down; a tier's ``rank`` is 5 for
Strategic Partner Platinum down to 1 for Supporting Partner. ``partners`` lists every partner
recognised in the edition (a tier reached, or an activity package held), the highest tier
first, then by name; ``tier`` is null for a partner that holds only activity packages. With
amounts, ``"amounts": {"currency": "CHF"}`` and each partner has ``"amounts":
{"committed": "160000.00", "paid": "80000.00", "activity_committed": "0.00",
"activity_paid": "0.00"}``, exact decimal strings in the base currency (the figures of the
partner's standing); without, the top ``amounts`` is null and no partner has ``amounts``.
Keys are sorted, the indent is two spaces, the text ends with a newline: the same books give
the same bytes. A change of shape gets a new version number.

CSV and XLSX are the :func:`roster_table`: one row per partner (keys ``short_name``,
``name``, ``tier``, ``tier_title``, ``packages``: package codes joined by ``;``, and the four
money columns when asked).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import attrs
from moneyed import Money

from wsis_funding.reports.table import Column, Kind, Table, exact_amount, plain_decimal

__all__ = [
    "ROSTER_SCHEMA",
    "ROSTER_VERSION",
    "Roster",
    "RosterAmounts",
    "RosterEntry",
    "RosterPackage",
    "RosterTier",
    "roster_json",
    "roster_table",
]

ROSTER_VERSION: Final = 1
"""The version of the roster's JSON shape."""

ROSTER_SCHEMA: Final = Path(__file__).with_name("roster.schema.json")
"""The JSON Schema (draft 2020-12) of the roster's JSON, version :data:`ROSTER_VERSION`."""


@attrs.frozen(kw_only=True)
class RosterTier:
    """A strategic tier: its code, official title and rank (5 Platinum down to 1 Supporting)."""

    code: str
    title: str
    rank: int


@attrs.frozen(kw_only=True)
class RosterPackage:
    """An activity package a partner holds, and how many of it."""

    code: str
    title: str
    count: int


@attrs.frozen(kw_only=True)
class RosterAmounts:
    """A partner's standing figures in the base currency (see ``PartnerStanding``)."""

    committed: Money
    paid: Money
    activity_committed: Money
    activity_paid: Money


def _packages(value: Iterable[RosterPackage]) -> tuple[RosterPackage, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RosterEntry:
    """One recognised partner: names, tier (None: activity packages only), packages."""

    partner_id: int
    short_name: str
    name: str
    tier: RosterTier | None
    packages: tuple[RosterPackage, ...] = attrs.field(converter=_packages)
    amounts: RosterAmounts | None = None


def _entries(value: Iterable[RosterEntry]) -> tuple[RosterEntry, ...]:
    return tuple(value)


def _tiers(value: Iterable[RosterTier]) -> tuple[RosterTier, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Roster:
    """An edition's recognised partners; ``currency`` is set when amounts were asked for."""

    edition: str
    edition_title: str
    tiers: tuple[RosterTier, ...] = attrs.field(converter=_tiers)
    entries: tuple[RosterEntry, ...] = attrs.field(converter=_entries)
    currency: str | None = None


def _text(m: Money) -> str:
    return plain_decimal(exact_amount(m))


def _tier(tier: RosterTier | None) -> dict[str, Any] | None:
    if tier is None:
        return None
    return {"code": tier.code, "title": tier.title, "rank": tier.rank}


def _partner(entry: RosterEntry, with_amounts: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "short_name": entry.short_name,
        "name": entry.name,
        "tier": _tier(entry.tier),
        "packages": [{"code": p.code, "title": p.title, "count": p.count} for p in entry.packages],
    }
    if with_amounts and entry.amounts is not None:
        a = entry.amounts
        out["amounts"] = {
            "committed": _text(a.committed),
            "paid": _text(a.paid),
            "activity_committed": _text(a.activity_committed),
            "activity_paid": _text(a.activity_paid),
        }
    return out


def roster_json(roster: Roster) -> str:
    """Return the roster as JSON text of version :data:`ROSTER_VERSION` (see the module)."""
    with_amounts = roster.currency is not None
    document = {
        "version": ROSTER_VERSION,
        "edition": {"code": roster.edition, "title": roster.edition_title},
        "tiers": [_tier(t) for t in roster.tiers],
        "amounts": {"currency": roster.currency} if with_amounts else None,
        "partners": [_partner(e, with_amounts) for e in roster.entries],
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


_COLUMNS: Final = (
    Column("short_name", "Short name", Kind.TEXT),
    Column("name", "Name", Kind.TEXT),
    Column("tier", "Tier code", Kind.TEXT),
    Column("tier_title", "Tier", Kind.TEXT),
    Column("packages", "Activity packages", Kind.TEXT),
)
_AMOUNT_COLUMNS: Final = (
    Column("committed", "Committed", Kind.MONEY),
    Column("paid", "Paid", Kind.MONEY),
    Column("activity_committed", "Activity committed", Kind.MONEY),
    Column("activity_paid", "Activity paid", Kind.MONEY),
)


def roster_table(roster: Roster) -> Table:
    """Return the roster as a table: one row per partner, in roster order.

    Package codes are joined by ``;`` (a package held twice appears twice); the money
    columns are there only when the roster has amounts.
    """
    with_amounts = roster.currency is not None
    columns = _COLUMNS + (_AMOUNT_COLUMNS if with_amounts else ())
    rows = []
    for e in roster.entries:
        codes = ";".join(p.code for p in e.packages for _ in range(p.count))
        row: list[Any] = [
            e.short_name,
            e.name,
            e.tier.code if e.tier else None,
            e.tier.title if e.tier else None,
            codes or None,
        ]
        if with_amounts:
            a = e.amounts
            assert a is not None
            row += [a.committed, a.paid, a.activity_committed, a.activity_paid]
        rows.append(tuple(row))
    return Table(title=f"Roster {roster.edition}", columns=columns, rows=rows)
