"""The money kernel: exact amounts, ISO 4217 minor units, allocation, rates and formatting.

Everything that rounds, converts, allocates or formats money lives in this package. Amounts
are py-moneyed :class:`Money` values holding a :class:`~decimal.Decimal`; floats are refused
at every entry point; storage uses integer minor units (:func:`to_minor`, :func:`from_minor`).
"""

from wsis_funding.money.core import (
    CONTEXT,
    Money,
    allocate,
    currency,
    from_minor,
    minor_unit_exponent,
    money,
    quantize,
    require_same_currency,
    to_minor,
    zero,
)
from wsis_funding.money.errors import UnknownLocale
from wsis_funding.money.format import format_money
from wsis_funding.money.iso4217 import EXPONENTS
from wsis_funding.money.rates import Conversion, ExchangeRate, RateTable, RecordedRate

__all__ = [
    "CONTEXT",
    "EXPONENTS",
    "Conversion",
    "ExchangeRate",
    "Money",
    "RateTable",
    "RecordedRate",
    "UnknownLocale",
    "allocate",
    "currency",
    "format_money",
    "from_minor",
    "minor_unit_exponent",
    "money",
    "quantize",
    "require_same_currency",
    "to_minor",
    "zero",
]
