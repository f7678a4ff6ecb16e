"""The tier engine: pure rules, no database, no PDF, no templates.

Other WSIS services (registration, logo walls, badges) import this package alone, so it
depends only on the money kernel. Example::

    >>> from wsis_funding.money import money
    >>> from wsis_funding.tiers import classify, illustrative_schedule
    >>> classify(money("150000.00", "CHF"), illustrative_schedule()).title
    'Strategic Partner Gold'
"""

from wsis_funding.tiers.loading import (
    illustrative_schedule,
    illustrative_schedule_toml,
    load_schedule,
    parse_schedule,
)
from wsis_funding.tiers.model import ActivityPackage, Tier, TierSchedule
from wsis_funding.tiers.rules import (
    Contribution,
    ContributionStatus,
    Standing,
    classify,
    ensure_capacity,
    shortfall,
    standing,
)

__all__ = [
    "ActivityPackage",
    "Contribution",
    "ContributionStatus",
    "Standing",
    "Tier",
    "TierSchedule",
    "classify",
    "ensure_capacity",
    "illustrative_schedule",
    "illustrative_schedule_toml",
    "load_schedule",
    "parse_schedule",
    "shortfall",
    "standing",
]
