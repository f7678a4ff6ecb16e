"""The chart of accounts: stable account codes, and the kind of account each code names.

Debits are positive and credits negative everywhere in the journal. Codes are readable:

=========================  ================================================================
``receivable:<partner>``   contributions receivable from a partner: debited when a pledge is
                           confirmed or amended up, credited by payments, reductions,
                           cancellations and write-offs (controlled by the pledges)
``unapplied:<partner>``    money received from a partner and not yet applied: credited by an
                           overpayment, debited when the credit is applied (controlled)
``revenue:<edition>``      voluntary contribution revenue of an edition (IPSAS 23): credited
                           when a pledge is confirmed, debited by reductions and cancellations
                           (controlled)
``psc:<edition>``          programme support cost charged to the edition's fund: debited on
                           money received (controlled)
``conversion:<currency>``  currency conversion of money received in one currency for
                           instalments in another: both sides at the same base value
                           (controlled)
``bank:<currency>``        the bank account holding the currency: debited with money received
``bank_charges``           charges banks deducted from money received
``psc_income``             PSC income: credited with the PSC charged to the funds
``fx_gain_loss``           realised exchange differences (base currency only; debit a loss)
``write_off``              amounts written off: debited by write-offs, credited by recoveries
=========================  ================================================================

Manual entries (``post_entries``) may touch only accounts no subledger controls: bank,
bank charges, PSC income, exchange differences and write-offs.
"""

from __future__ import annotations

import enum
from typing import Final

from wsis_funding.ledger.errors import UnknownAccount

__all__ = [
    "BANK_CHARGES",
    "CONTROLLED",
    "FX_GAIN_LOSS",
    "PSC_INCOME",
    "WRITE_OFF",
    "AccountKind",
    "bank",
    "conversion",
    "kind_of",
    "psc_charge",
    "receivable",
    "revenue",
    "unapplied",
]


class AccountKind(enum.Enum):
    """What an account holds; asset and expense kinds carry debit balances."""

    RECEIVABLE = "receivable"
    UNAPPLIED = "unapplied"
    REVENUE = "revenue"
    PSC_CHARGE = "psc"
    BANK = "bank"
    PSC_INCOME = "psc_income"
    FX_GAIN_LOSS = "fx_gain_loss"
    BANK_CHARGES = "bank_charges"
    WRITE_OFF = "write_off"
    CONVERSION = "conversion"


PSC_INCOME = "psc_income"
FX_GAIN_LOSS = "fx_gain_loss"
BANK_CHARGES = "bank_charges"
WRITE_OFF = "write_off"

_SINGLE = {
    PSC_INCOME: AccountKind.PSC_INCOME,
    FX_GAIN_LOSS: AccountKind.FX_GAIN_LOSS,
    BANK_CHARGES: AccountKind.BANK_CHARGES,
    WRITE_OFF: AccountKind.WRITE_OFF,
}
_PREFIXED = {
    k.value: k
    for k in (
        AccountKind.RECEIVABLE,
        AccountKind.UNAPPLIED,
        AccountKind.REVENUE,
        AccountKind.PSC_CHARGE,
        AccountKind.BANK,
        AccountKind.CONVERSION,
    )
}

CONTROLLED: Final = frozenset(
    {
        AccountKind.RECEIVABLE,
        AccountKind.UNAPPLIED,
        AccountKind.REVENUE,
        AccountKind.PSC_CHARGE,
        AccountKind.CONVERSION,
    }
)
"""Account kinds a subledger controls: only the use cases post to them."""


def receivable(partner_id: int) -> str:
    """Return the code of the contributions receivable account of a partner."""
    return f"receivable:{partner_id}"


def unapplied(partner_id: int) -> str:
    """Return the code of the unapplied credit (overpayments) account of a partner."""
    return f"unapplied:{partner_id}"


def revenue(edition_code: str) -> str:
    """Return the code of the voluntary contribution revenue account of an edition."""
    return f"revenue:{edition_code}"


def psc_charge(edition_code: str) -> str:
    """Return the code of the account of programme support cost charged to an edition's fund."""
    return f"psc:{edition_code}"


def conversion(currency_code: str) -> str:
    """Return the code of the currency-conversion account of ``currency_code``."""
    return f"conversion:{currency_code}"


def bank(currency_code: str) -> str:
    """Return the code of the bank account holding ``currency_code``."""
    return f"bank:{currency_code}"


def kind_of(code: str) -> AccountKind:
    """Return the kind of the account ``code``; raises :class:`UnknownAccount` if malformed."""
    if code in _SINGLE:
        return _SINGLE[code]
    prefix, sep, rest = code.partition(":")
    if sep and rest and prefix in _PREFIXED:
        return _PREFIXED[prefix]
    raise UnknownAccount(code)
