"""wsis-funding: sponsorship and WSIS Fund in Trust contributions for the WSIS Forum.

The names a user of the README needs are importable from here. Light ones (errors, money,
tiers, the domain types of the books and documents) are imported eagerly; the books themselves
(``open_tracker``, ``Tracker``) need a database and rendering needs a PDF engine, so they are
imported on first use (PEP 562), and ``import wsis_funding.tiers`` stays cheap for services
that need only the tier logic. Every subpackage attribute is its module: ``wsis_funding.money``
is the money package (the ``money()`` function is ``wsis_funding.money.money``).
"""

from typing import TYPE_CHECKING, Any

from wsis_funding.documents import Issuer, load_issuer
from wsis_funding.errors import WsisFundingError
from wsis_funding.ledger import (
    Address,
    Edition,
    Entry,
    Instalment,
    Language,
    Partner,
    Payment,
    Pledge,
    PledgeStatus,
    Posting,
    Problem,
    StakeholderType,
)
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.money import (
    Conversion,
    ExchangeRate,
    Money,
    RateTable,
    RecordedRate,
    allocate,
    format_money,
    from_minor,
    minor_unit_exponent,
    to_minor,
)
from wsis_funding.money.errors import (
    CurrencyMismatch,
    InvalidAmount,
    MissingRate,
    UnknownCurrency,
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
from wsis_funding.tiers.errors import CapacityExceeded, InvalidSchedule

if TYPE_CHECKING:
    from wsis_funding.rendering.render import render_pdf
    from wsis_funding.services import Books, Tracker, Transaction, open_tracker

_LAZY = {
    "Books": "wsis_funding.services",
    "Tracker": "wsis_funding.services",
    "Transaction": "wsis_funding.services",
    "open_tracker": "wsis_funding.services",
    "render_pdf": "wsis_funding.rendering.render",
}


def __getattr__(name: str) -> Any:
    """Import the heavy parts of the public API on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wsis_funding' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public API, the lazily imported names included."""
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "ActivityPackage",
    "Address",
    "Books",
    "CapacityExceeded",
    "Contribution",
    "ContributionStatus",
    "Conversion",
    "CurrencyMismatch",
    "Edition",
    "Entry",
    "ExchangeRate",
    "Instalment",
    "InvalidAmount",
    "InvalidSchedule",
    "Issuer",
    "Language",
    "MissingRate",
    "Money",
    "Partner",
    "Payment",
    "Pledge",
    "PledgeStatus",
    "Posting",
    "Problem",
    "RateTable",
    "RecordedRate",
    "StakeholderType",
    "Standing",
    "Tier",
    "TierSchedule",
    "Tracker",
    "Transaction",
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
    "open_tracker",
    "render_pdf",
    "shortfall",
    "split_evenly",
    "standing",
    "to_minor",
]
