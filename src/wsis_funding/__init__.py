"""wsis-funding: sponsorship and WSIS Fund in Trust contributions for the WSIS Forum.

The public API is re-exported here. Only light modules (errors, money, tiers) are imported
eagerly; the books (``open_tracker``, ``Tracker``) and documents (``load_issuer``) need a
database and a PDF engine, so they are imported on first use (PEP 562), and
``import wsis_funding.tiers`` stays cheap for services that need only the tier logic.
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from wsis_funding.documents import load_issuer
    from wsis_funding.services import Tracker, open_tracker, split_evenly

_LAZY = {
    "Tracker": "wsis_funding.services",
    "open_tracker": "wsis_funding.services",
    "split_evenly": "wsis_funding.services",
    "load_issuer": "wsis_funding.documents",
}


def __getattr__(name: str) -> Any:
    """Import the heavy parts of the public API on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wsis_funding' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


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
    "Tracker",
    "UnknownCurrency",
    "WsisFundingError",
    "allocate",
    "classify",
    "format_money",
    "from_minor",
    "illustrative_schedule",
    "load_issuer",
    "load_schedule",
    "minor_unit_exponent",
    "money",
    "open_tracker",
    "shortfall",
    "split_evenly",
    "standing",
    "to_minor",
]
