"""Our own table of active ISO 4217 currency codes and their minor-unit exponents.

Babel (CLDR) knows how many digits to *display* for a currency, and for about fifteen
currencies that differs from the ISO 4217 minor unit (IQD, LAK, IDR, HUF, ...). Storage,
parsing and formatting in wsis-funding follow ISO 4217, so the exponents live here.

Codes whose minor unit ISO lists as "N.A." (precious metals, SDR, test codes) are left out:
an amount in them cannot be stored as an integer number of minor units.
Source: ISO 4217 list one, with its amendments to date: XCG replaces ANG, ZWG replaces ZWL,
SLE replaces SLL, VED added; HRK, CUC and SLL withdrawn; BGN withdrawn when Bulgaria adopted
the euro on 1 January 2026.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = ["EXPONENTS"]

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = """
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR
LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC
SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW
ZWG
"""


def _table() -> dict[str, int]:
    table: dict[str, int] = {}
    for exponent, codes in ((0, _ZERO), (2, _TWO), (3, _THREE), (4, _FOUR)):
        for code in codes.split():
            table[code] = exponent
    return table


EXPONENTS: Final = MappingProxyType(_table())
"""Active ISO 4217 code -> number of decimal digits of its minor unit."""
