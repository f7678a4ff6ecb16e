"""The books' domain: frozen types, the chart of accounts, and the pure accounting rules.

Pledges, payments and journal entries as values (:mod:`.model`), what each account code means
(:mod:`.accounts`), how entries are built (:mod:`.posting`), how a payment settles instalments
(:mod:`.settlement`), the hash chain (:mod:`.chain`), input checks (:mod:`.inputs`), the rules
of reference data (:mod:`.validation`) and partners' history (:mod:`.history`). No
database here: :mod:`wsis_funding.storage` keeps these values.
"""

from wsis_funding.ledger import accounts
from wsis_funding.ledger.history import PartnerVersion
from wsis_funding.ledger.model import (
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
    StakeholderType,
)
from wsis_funding.ledger.problems import Problem

__all__ = [
    "Address",
    "Edition",
    "Entry",
    "Instalment",
    "Language",
    "Partner",
    "PartnerVersion",
    "Payment",
    "Pledge",
    "PledgeStatus",
    "Posting",
    "Problem",
    "StakeholderType",
    "accounts",
]
