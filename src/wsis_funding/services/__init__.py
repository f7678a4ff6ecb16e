"""Use cases of the WSIS Fund in Trust books: open a :class:`Tracker` with :func:`open_tracker`.

Importing this package imports SQLAlchemy; the tier logic alone lives in ``wsis_funding.tiers``.
"""

from wsis_funding.services.pledges import split_evenly
from wsis_funding.services.queries import (
    BUCKETS,
    AccountBalance,
    PartnerStanding,
    Receivables,
    StatementLine,
)
from wsis_funding.services.revenue import RevenueLine, RevenueReport
from wsis_funding.services.tracker import Tracker, open_tracker

__all__ = [
    "BUCKETS",
    "AccountBalance",
    "PartnerStanding",
    "Receivables",
    "RevenueLine",
    "RevenueReport",
    "StatementLine",
    "Tracker",
    "open_tracker",
    "split_evenly",
]
