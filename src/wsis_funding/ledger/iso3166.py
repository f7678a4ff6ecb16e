"""Our own table of ISO 3166-1 alpha-2 country codes, for partner and address countries.

Source: the ISO 3166 Maintenance Agency's list of officially assigned alpha-2 codes (ISO Online
Browsing Platform), current as of ISO/TC 46 N1108 (2023-04-05), the state that the IANA time
zone database's ``iso3166.tab`` (tzdata 2025b) reproduces; checked against both on 2026-11-30.
No alpha-2 code has been assigned or withdrawn since SS (South Sudan, 2011); later changes
(MK North Macedonia, SZ Eswatini, TR Türkiye, CZ Czechia) renamed countries, not codes.
249 codes.

Left out on purpose:

- exceptionally reserved codes (``UK``, ``EU``, ``EZ``, ``UN``, ``AC``, ``CP``, ``DG``, ``EA``,
  ``FX``, ``IC``, ``SU``, ``TA``): they are not countries of an address, and accepting ``UK``
  would let the same country be stored under two codes (``GB`` is the code);
- transitionally reserved and deleted codes (``AN``, ``CS``, ``YU``, ...);
- every other user-assigned code (``AA``, ``QM``-``QZ``, ``XA``-``XZ``, ``ZZ``).

One user-assigned code is accepted: ``XK`` for Kosovo. ISO has not assigned Kosovo a code, but
``XK`` is the one the European Commission, the IMF, SWIFT (Kosovo IBANs start with ``XK``) and
the Swiss QR-bill library we print with use, so a partner or a bank account there can be
invoiced; refusing it would leave such a partner no valid country at all. Accepting the code
takes no position on status; it is kept apart (:data:`USER_ASSIGNED`) so that a caller who
must follow the strictly official list can check :data:`OFFICIAL` instead.
"""

from __future__ import annotations

from typing import Final

__all__ = ["COUNTRY_CODES", "OFFICIAL", "USER_ASSIGNED", "is_country"]

_OFFICIAL = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW
"""

OFFICIAL: Final = frozenset(_OFFICIAL.split())
"""The 249 officially assigned ISO 3166-1 alpha-2 codes."""

USER_ASSIGNED: Final = frozenset({"XK"})
"""User-assigned codes accepted anyway, each justified in the module docstring."""

COUNTRY_CODES: Final = OFFICIAL | USER_ASSIGNED
"""Every code :func:`is_country` accepts."""


def is_country(code: object) -> bool:
    """Return whether ``code`` is an accepted alpha-2 code (upper case only); never raises."""
    return isinstance(code, str) and code in COUNTRY_CODES
