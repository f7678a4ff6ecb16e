"""The chart of accounts: stable account codes, and the kind of account each code names.

Codes are readable strings: ``receivable:<partner id>``, ``unapplied:<partner id>``,
``revenue:<edition code>``, ``psc:<edition code>`` (PSC charged to the edition's fund),
``bank:<currency>``, and the single accounts ``psc_income``, ``fx_gain_loss``, ``bank_charges``
and ``write_off``. Debits are positive and credits negative everywhere in the journal.
"""

from __future__ import annotations

import enum

from wsis_funding.ledger.errors import UnknownAccount

__all__ = [
    "BANK_CHARGES",
    "FX_GAIN_LOSS",
    "PSC_INCOME",
    "WRITE_OFF",
    "AccountKind",
    "bank",
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
    )
}


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
