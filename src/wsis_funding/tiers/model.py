"""Tiers, activity packages and the per-edition tier schedule.

ITU publishes no price list, so the thresholds, benefits and packages of an edition are data
(a :class:`TierSchedule`, usually loaded from TOML), never constants in code. Constructing an
inconsistent schedule raises :class:`InvalidSchedule` listing every problem at once.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
from moneyed import Money

from wsis_funding.money import minor_unit_exponent
from wsis_funding.money.errors import UnknownCurrency
from wsis_funding.tiers.errors import InvalidSchedule

__all__ = ["ActivityPackage", "Tier", "TierSchedule"]


class Tier(enum.Enum):
    """A strategic partnership tier; comparisons follow rank (PLATINUM is the highest)."""

    PLATINUM = "platinum"
    GOLD_PLUS = "gold_plus"
    GOLD = "gold"
    CONTRIBUTING = "contributing"
    SUPPORTING = "supporting"

    @property
    def rank(self) -> int:
        """Rank of the tier: 1 for SUPPORTING up to 5 for PLATINUM."""
        return _RANKS[self]

    @property
    def title(self) -> str:
        """The official title, such as "Strategic Partner Platinum"."""
        return _TITLES[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def ascending(cls) -> tuple[Tier, ...]:
        """All tiers from the lowest (SUPPORTING) to the highest (PLATINUM)."""
        return tuple(sorted(cls, key=lambda t: t.rank))


_RANKS: Mapping[Tier, int] = MappingProxyType(
    {
        Tier.SUPPORTING: 1,
        Tier.CONTRIBUTING: 2,
        Tier.GOLD: 3,
        Tier.GOLD_PLUS: 4,
        Tier.PLATINUM: 5,
    }
)
_TITLES: Mapping[Tier, str] = MappingProxyType(
    {
        Tier.PLATINUM: "Strategic Partner Platinum",
        Tier.GOLD_PLUS: "Strategic Partner Gold Plus",
        Tier.GOLD: "Strategic Partner Gold",
        Tier.CONTRIBUTING: "Contributing Partner",
        Tier.SUPPORTING: "Supporting Partner",
    }
)


@attrs.frozen(kw_only=True)
class ActivityPackage:
    """A sponsorship of one activity of an edition (Hackathon, WSIS Prizes, ...).

    ``capacity`` is how many partners may buy it; selling more is :class:`CapacityExceeded`.
    """

    code: str
    title: str
    price: Money
    capacity: int
    benefits: tuple[str, ...] = ()


def _package_tuple(value: Iterable[ActivityPackage]) -> tuple[ActivityPackage, ...]:
    return tuple(value)


def _frozen_mapping(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class TierSchedule:
    """The tier thresholds, benefits and activity packages of one edition.

    ``minimums`` needs at least one tier; a schedule may leave tiers out. Raises
    :class:`InvalidSchedule` listing every problem: minimums in another currency than
    ``base_currency``, minimums not strictly increasing with rank, non-positive amounts,
    package capacity below one, duplicate package codes, benefits for tiers without a minimum.
    """

    edition: str
    title: str
    base_currency: str
    minimums: Mapping[Tier, Money] = attrs.field(converter=_frozen_mapping)
    benefits: Mapping[Tier, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_mapping)
    packages: tuple[ActivityPackage, ...] = attrs.field(default=(), converter=_package_tuple)
    activity_counts_toward_tier: bool = False
    illustrative: bool = False
    #: Derived: the minimums in ascending order (base-currency Decimals), for bisection.
    thresholds: tuple[Decimal, ...] = attrs.field(init=False, eq=False, repr=False)
    #: Derived: None, then the tiers ascending; ``ladder[bisect_right(thresholds, x)]``.
    ladder: tuple[Tier | None, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Validate the whole schedule and build the sorted threshold ladder."""
        problems = _problems(self)
        if problems:
            raise InvalidSchedule(problems, source=f"schedule {self.edition!r}")
        ordered = sorted(self.minimums.items(), key=lambda kv: kv[0].rank)
        object.__setattr__(self, "thresholds", tuple(m.amount for _, m in ordered))
        object.__setattr__(self, "ladder", (None, *(t for t, _ in ordered)))

    @property
    def tiers(self) -> tuple[Tier, ...]:
        """The tiers this schedule offers, lowest first."""
        return tuple(t for t in self.ladder if t is not None)

    def package(self, code: str) -> ActivityPackage:
        """Return the activity package ``code``; raises ``KeyError`` naming it if unknown."""
        for p in self.packages:
            if p.code == code:
                return p
        raise KeyError(f"no activity package {code!r} in schedule {self.edition!r}")

    def tier_at(self, amount: Decimal) -> Tier | None:
        """Return the tier earned by a base-currency Decimal amount (no currency check)."""
        return self.ladder[bisect_right(self.thresholds, amount)]

    def next_above(self, tier: Tier | None) -> Tier | None:
        """Return the tier just above ``tier`` in this schedule (the lowest for None)."""
        i = self.ladder.index(tier)
        return self.ladder[i + 1] if i + 1 < len(self.ladder) else None


def _problems(s: TierSchedule) -> list[str]:
    problems: list[str] = []
    try:
        minor_unit_exponent(s.base_currency)
    except UnknownCurrency as e:
        problems.append(f"base_currency: {e}")
    if not s.minimums:
        problems.append("minimums: at least one tier needs a minimum")
    previous: tuple[Tier, Money] | None = None
    for tier in Tier.ascending():
        if tier not in s.minimums:
            continue
        m = s.minimums[tier]
        if m.currency.code != s.base_currency:
            problems.append(
                f"minimums.{tier.value}: {m.currency.code} differs from base currency "
                f"{s.base_currency}"
            )
        elif m.amount <= 0:
            problems.append(f"minimums.{tier.value}: {m.amount} is not above zero")
        if previous is not None and m.currency == previous[1].currency and m <= previous[1]:
            problems.append(
                f"minimums.{tier.value}: {m.amount} is not above minimums."
                f"{previous[0].value} ({previous[1].amount}); minimums must increase with rank"
            )
        previous = (tier, m)
    for tier in s.benefits:
        if tier not in s.minimums:
            problems.append(f"benefits.{tier.value}: tier has benefits but no minimum")
    seen: set[str] = set()
    for p in s.packages:
        if p.code in seen:
            problems.append(f"packages.{p.code}: duplicate package code")
        seen.add(p.code)
        if p.capacity < 1:
            problems.append(f"packages.{p.code}.capacity: {p.capacity} is below 1")
        if p.price.currency.code != s.base_currency:
            problems.append(
                f"packages.{p.code}.price: {p.price.currency.code} differs from base currency "
                f"{s.base_currency}"
            )
        elif p.price.amount <= 0:
            problems.append(f"packages.{p.code}.price: {p.price.amount} is not above zero")
    return problems
