"""The tier rules: which tier an amount earns, the shortfall to the next, a partner's standing.

Rules (each one a property test in tests/unit/tiers):

- a tier's range is half-open: from its minimum (inclusive) to the next tier's (exclusive);
- more money never yields a lower tier; below the lowest minimum there is no tier;
- the tier depends only on the set of counted contributions, not their order or split;
- amounts in another currency are converted with a dated rate, or :class:`MissingRate`;
- cancelled contributions and written-off amounts do not count;
- the shortfall is exact: adding it reaches the next tier, one minor unit less does not;
- activity money counts toward a strategic tier only if the schedule says so;
- an activity package cannot be sold beyond its capacity.
"""

from __future__ import annotations

import datetime as dt
import enum
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs
from moneyed import Money

from wsis_funding.money import CONTEXT, RateTable, currency, zero
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.tiers.errors import CapacityExceeded
from wsis_funding.tiers.model import Tier, TierSchedule

__all__ = [
    "Contribution",
    "ContributionStatus",
    "Standing",
    "classify",
    "ensure_capacity",
    "shortfall",
    "standing",
]


def _base_amount(amount: Money, schedule: TierSchedule) -> Decimal:
    if not isinstance(amount, Money):
        raise TypeError(f"amount must be Money, not {type(amount).__name__} ({amount!r})")
    if amount.currency.code != schedule.base_currency:
        raise CurrencyMismatch(
            schedule.base_currency,
            amount.currency.code,
            f"schedule {schedule.edition} is in {schedule.base_currency}; convert first",
        )
    return amount.amount


def classify(amount: Money, schedule: TierSchedule) -> Tier | None:
    """Return the tier that ``amount`` earns under ``schedule``, or None below the lowest.

    Raises :class:`CurrencyMismatch` if ``amount`` is not in the schedule's base currency:
    conversion needs a dated rate, so it is the caller's explicit step (see :func:`standing`).
    """
    if amount.currency.code != schedule.base_currency:
        _base_amount(amount, schedule)
    # Inlined TierSchedule.tier_at: this is the hot path of logo walls and badge services.
    return schedule.ladder[bisect_right(schedule.thresholds, amount.amount)]


def shortfall(amount: Money, schedule: TierSchedule) -> Money | None:
    """Return what ``amount`` lacks to reach the next tier up, or None at the top tier.

    Below the lowest tier the next tier is the lowest one. Adding the shortfall reaches the
    next tier; one minor unit less does not. Raises :class:`CurrencyMismatch` as ``classify``.
    """
    value = _base_amount(amount, schedule)
    target = schedule.next_above(schedule.tier_at(value))
    if target is None:
        return None
    return schedule.minimums[target] - amount


class ContributionStatus(enum.Enum):
    """Whether a contribution counts: only confirmed money counts toward a tier."""

    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


@attrs.frozen(kw_only=True)
class Contribution:
    """One pledge as the tier engine sees it.

    ``written_off`` is the part of ``amount`` written off (in the same currency); it never
    counts. ``package`` names the activity package the money buys, if any.
    """

    amount: Money
    on: dt.date
    status: ContributionStatus = ContributionStatus.CONFIRMED
    written_off: Money | None = None
    package: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check that the written-off part is in the amount's currency and within it."""
        if self.amount.amount < 0:
            raise InvalidAmount(self.amount.amount, "a contribution cannot be negative")
        w = self.written_off
        if w is not None:
            if w.currency.code != self.amount.currency.code:
                raise CurrencyMismatch(
                    self.amount.currency.code, w.currency.code, "written-off part"
                )
            if not 0 <= w.amount <= self.amount.amount:
                raise InvalidAmount(w.amount, f"written-off part must be within 0..{self.amount}")

    @property
    def counted(self) -> Money:
        """The part of the amount that counts: zero unless confirmed, minus any write-off."""
        if self.status is not ContributionStatus.CONFIRMED:
            return zero(self.amount.currency.code)
        if self.written_off is None:
            return self.amount
        return self.amount - self.written_off


@attrs.frozen(kw_only=True)
class Standing:
    """A partner's position in one edition, in the schedule's base currency.

    ``total`` counts what counts toward a strategic tier; ``activity_total`` is the counted
    activity money (also included in ``total`` when the schedule says it counts).
    """

    total: Money
    activity_total: Money
    tier: Tier | None
    next_tier: Tier | None
    shortfall: Money | None
    packages: Mapping[str, int]


def ensure_capacity(schedule: TierSchedule, code: str, already_sold: int, adding: int = 1) -> None:
    """Raise :class:`CapacityExceeded` if selling ``adding`` more of package ``code`` is too many.

    ``already_sold`` counts the confirmed sales of the package across all partners. Raises
    ``KeyError`` if the schedule has no such package.
    """
    package = schedule.package(code)
    if already_sold + adding > package.capacity:
        raise CapacityExceeded(code, package.capacity, already_sold + adding)


def standing(
    contributions: Iterable[Contribution], schedule: TierSchedule, rates: RateTable
) -> Standing:
    """Compute the standing from a partner's contributions to one edition.

    Counted amounts are grouped by currency and date and each group is converted to the base
    currency once, at the rate in force on that date; so the result depends only on the set of
    counted money, not on order or splitting. Raises :class:`MissingRate` when a needed rate is
    missing, ``KeyError`` for a package the schedule lacks, and :class:`CapacityExceeded` if the
    contributions hold a package more times than its capacity.
    """
    base = schedule.base_currency
    strategic: list[tuple[Money, dt.date]] = []
    activity: list[tuple[Money, dt.date]] = []
    held: Counter[str] = Counter()
    for c in contributions:
        counted = c.counted
        if c.package is not None and c.status is ContributionStatus.CONFIRMED:
            schedule.package(c.package)
            held[c.package] += 1
        if counted.amount == 0:
            continue
        (activity if c.package is not None else strategic).append((counted, c.on))
    for code, count in held.items():
        ensure_capacity(schedule, code, 0, count)
    activity_total = rates.convert_all_to(activity, base)
    total = rates.convert_all_to(strategic, base)
    if schedule.activity_counts_toward_tier:
        total = _add(total, activity_total, base)
    tier = schedule.tier_at(total.amount)
    return Standing(
        total=total,
        activity_total=activity_total,
        tier=tier,
        next_tier=schedule.next_above(tier),
        shortfall=shortfall(total, schedule),
        packages=dict(sorted(held.items())),
    )


def _add(a: Money, b: Money, code: str) -> Money:
    return Money(CONTEXT.add(a.amount, b.amount), currency(code))
