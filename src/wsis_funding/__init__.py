"""wsis-funding: sponsorship and WSIS Fund in Trust contributions for the WSIS Forum.

The public API is re-exported here. Only light modules (errors, money, tiers) are imported
eagerly; anything that needs a database or a PDF engine is imported on first use, so that
``import wsis_funding.tiers`` stays cheap for services that need only the tier logic.
"""

from wsis_funding.errors import (
    CapacityExceeded,
    CurrencyMismatch,
    InvalidAmount,
    InvalidSchedule,
    MissingRate,
    UnknownCurrency,
    WsisFundingError,
)
from wsis_funding.money import (
    Conversion,
    ExchangeRate,
    Money,
    RateTable,
    allocate,
    format_money,
    from_minor,
    minor_unit_exponent,
    money,
    to_minor,
)
from wsis_funding.tiers import (
    ActivityPackage,
    Contribution,
    ContributionStatus,
    Standing,
    Tier,
    TierSchedule,
    classify,
    illustrative_schedule,
    load_schedule,
    shortfall,
    standing,
)

__all__ = [
    "ActivityPackage",
    "CapacityExceeded",
    "Contribution",
    "ContributionStatus",
    "Conversion",
    "CurrencyMismatch",
    "ExchangeRate",
    "InvalidAmount",
    "InvalidSchedule",
    "MissingRate",
    "Money",
    "RateTable",
    "Standing",
    "Tier",
    "TierSchedule",
    "UnknownCurrency",
    "WsisFundingError",
    "allocate",
    "classify",
    "format_money",
    "from_minor",
    "illustrative_schedule",
    "load_schedule",
    "minor_unit_exponent",
    "money",
    "shortfall",
    "standing",
    "to_minor",
]
