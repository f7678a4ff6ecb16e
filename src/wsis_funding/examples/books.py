"""Example reference data for the demo, the tests and the benchmarks (all fictitious).

Partners, an edition under the illustrative tier schedule, and exchange rates: the values the
demo season plays with and the tests build their books from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from wsis_funding.ledger.model import Address, Edition, Language, Partner, StakeholderType
from wsis_funding.money import ExchangeRate
from wsis_funding.tiers import illustrative_schedule_toml

__all__ = [
    "DEMO_PARTNERS",
    "DEMO_RATES",
    "RATES",
    "SIGNED",
    "example_edition",
    "example_partner",
]

SIGNED = dt.date(2024, 1, 15)
"""The signing date of the tests' pledges."""


def example_partner(
    short: str = "ACME", *, language: Language = Language.FR, country: str = "CH"
) -> Partner:
    """Return a partner ``{short} Corporation`` at the Place des Nations (not yet stored)."""
    return Partner(
        legal_name=f"{short} Corporation",
        short_name=short,
        country=country,
        stakeholder_type=StakeholderType.PRIVATE_SECTOR,
        language=language,
        billing_address=Address(
            street="Place des Nations",
            building_number="1",
            postcode="1211",
            town="Geneve",
            country=country,
        ),
        tax_id="CHE-123.456.789",
        contact_email="finance@example.org",
    )


def example_edition(code: str = "WSIS2024", *, prefix: str = "WSIS") -> Edition:
    """Return the WSIS+20 High-Level Event edition under the illustrative schedule, PSC 7 %."""
    return Edition(
        code=code,
        title="WSIS+20 Forum High-Level Event",
        start=dt.date(2024, 5, 27),
        end=dt.date(2024, 5, 31),
        base_currency="CHF",
        schedule_toml=illustrative_schedule_toml(),
        psc_rate=Decimal("0.07"),
        invoice_prefix=prefix,
    )


def _rate(code: str, rate: str, effective: dt.date, source: str) -> ExchangeRate:
    return ExchangeRate(
        from_currency=code,
        to_currency="CHF",
        rate=Decimal(rate),
        effective=effective,
        source=source,
    )


_TEST_SOURCE = "UN operational rate of exchange"
RATES = (
    _rate("USD", "0.90", dt.date(2024, 1, 1), _TEST_SOURCE),
    _rate("USD", "0.88", dt.date(2024, 3, 1), _TEST_SOURCE),
    _rate("USD", "0.95", dt.date(2024, 4, 1), _TEST_SOURCE),
    _rate("EUR", "0.95", dt.date(2024, 1, 1), _TEST_SOURCE),
    _rate("EUR", "0.97", dt.date(2024, 3, 1), _TEST_SOURCE),
)
"""The tests' USD and EUR rates to CHF (round figures, easy to compute by hand)."""

_DEMO_SOURCE = "UN operational rate of exchange (illustrative)"
DEMO_RATES = tuple(
    _rate(code, rate, effective, _DEMO_SOURCE)
    for code, rate, effective in (
        ("USD", "0.8840", dt.date(2024, 1, 1)),
        ("USD", "0.8712", dt.date(2024, 2, 1)),
        ("USD", "0.9015", dt.date(2024, 3, 1)),
        ("EUR", "0.9310", dt.date(2024, 1, 1)),
        ("EUR", "0.9405", dt.date(2024, 2, 1)),
        ("EUR", "0.9588", dt.date(2024, 3, 1)),
    )
)
"""The demo's monthly USD and EUR rates to CHF."""


def _partner(name: str, short: str, lang: Language, kind: StakeholderType, *addr: str) -> Partner:
    street, number, postcode, town, country = addr
    return Partner(
        legal_name=name,
        short_name=short,
        country=country,
        stakeholder_type=kind,
        language=lang,
        billing_address=Address(
            street=street, building_number=number, postcode=postcode, town=town, country=country
        ),
    )


DEMO_PARTNERS = (
    _partner("Acme Telecom SA", "ACME", Language.EN, StakeholderType.PRIVATE_SECTOR,
             "Rue du Rhône", "12", "1204", "Genève", "CH"),
    _partner("Fondation Numérique pour Tous", "FNT", Language.FR, StakeholderType.CIVIL_SOCIETY,
             "Rue de Rivoli", "99", "75001", "Paris", "FR"),
    _partner("الهيئة العامة لتنظيم الاتصالات", "GTRA", Language.AR, StakeholderType.GOVERNMENT,
             "Smart Village", "B4", "12577", "Giza", "EG"),
    _partner("数字丝路科技有限公司", "DSR", Language.ZH, StakeholderType.PRIVATE_SECTOR,
             "Jianguo Road", "88", "100022", "Beijing", "CN"),
    _partner("АО «Цифровые решения»", "CR", Language.RU, StakeholderType.PRIVATE_SECTOR,
             "Tverskaya Street", "7", "125009", "Moscow", "RU"),
    _partner("Fundación Conecta", "FC", Language.ES, StakeholderType.ACADEMIA,
             "Calle de Alcalá", "50", "28014", "Madrid", "ES"),
)  # fmt: skip
"""One partner per UN language, as the demo season has them."""
