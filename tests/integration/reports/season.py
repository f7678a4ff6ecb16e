"""A season of one edition that every report is checked against (figures worked out below).

WSIS2024 under the illustrative schedule (base CHF, PSC 7 %), target CHF 1,000,000, pledges
signed 2024-01-15:

========  ====  ==================  ===========  ============================================
partner   lang  pledge              rate         what happens
========  ====  ==================  ===========  ============================================
ACME      fr    160,000.00 CHF      -            gold; 2 x 80,000 due 03-01, 06-01; invoice 1
                                                 (inst. 1) 02-01 due 03-02; paid 80,000 on
                                                 03-05; invoice 3 (inst. 2) 05-01 due 05-31
GLOBEX    en    350,000.00 USD      0.90         gold plus (315,000.00); 2 x 175,000 due 03-01,
                                                 09-01; paid 175,000 USD on 04-05 (rate 0.95)
KUW       ar    12,345.678 KWD      2.90         supporting (35,802.47); due 05-15; invoice 2
                                                 04-15 due 05-15
NIPPON    zh    5,000,000 JPY       0.0060       supporting (30,000.00); due 06-20; paid
                                                 2,000,000 JPY on 03-10 (rate 0.0058)
HACK      ru    40,000.00 CHF       -            HACKATHON package, no tier; due 04-15
SMALL     es    10,000.00 EUR       0.95         reaches no tier (9,500.00); due 08-01
DRAFTY    en    90,000.00 CHF       -            a draft: counts nowhere
========  ====  ==================  ===========  ============================================

And one pledge to another edition, WSIS2023: SMALL, 5,000.00 CHF due 2024-02-01, never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from tests.factories import RATES, SIGNED, make_edition, make_partner
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Language
from wsis_funding.money import ExchangeRate, money
from wsis_funding.services import Tracker

D = dt.date
EDITION = "WSIS2024"
TARGET = Decimal("1000000.00")
EXTRA_RATES = (
    ExchangeRate(from_currency="JPY", to_currency="CHF", rate=Decimal("0.0060"),
                 effective=D(2024, 1, 1), source="UN operational rate of exchange"),
    ExchangeRate(from_currency="JPY", to_currency="CHF", rate=Decimal("0.0058"),
                 effective=D(2024, 3, 1), source="UN operational rate of exchange"),
    ExchangeRate(from_currency="KWD", to_currency="CHF", rate=Decimal("2.90"),
                 effective=D(2024, 1, 1), source="UN operational rate of exchange"),
)  # fmt: skip


@attrs.frozen
class Season:
    """The partner ids of the season, by short name."""

    ids: dict[str, int]


def play_season(t: Tracker) -> Season:
    """Play the season of the module docstring on books with an issuer."""
    t.add_edition(attrs.evolve(make_edition(), funding_target=money(TARGET, "CHF")))
    t.add_edition(
        attrs.evolve(
            make_edition("WSIS2023"), title="WSIS Forum 2023", start=D(2023, 3, 13),
            end=D(2023, 3, 17),
        )
    )  # fmt: skip
    t.add_rates([*RATES, *EXTRA_RATES])
    ids: dict[str, int] = {}
    for short, lang, country in (
        ("ACME", Language.FR, "CH"),
        ("GLOBEX", Language.EN, "US"),
        ("KUW", Language.AR, "KW"),
        ("NIPPON", Language.ZH, "JP"),
        ("HACK", Language.RU, "RU"),
        ("SMALL", Language.ES, "ES"),
        ("DRAFTY", Language.EN, "CH"),
    ):
        partner = t.add_partner(make_partner(short, language=lang, country=country))
        assert partner.id is not None
        ids[short] = partner.id

    def pledge(short: str, amount: str, cur: str, dues: list[dt.date], **kw: str) -> int:
        total = money(amount, cur)
        p = t.create_pledge(ids[short], EDITION, amount=total, signed_on=SIGNED,
                            instalments=split_evenly(total, dues), **kw)  # fmt: skip
        return t.confirm(p).id

    acme = pledge("ACME", "160000", "CHF", [D(2024, 3, 1), D(2024, 6, 1)], tier="gold")
    pledge("GLOBEX", "350000", "USD", [D(2024, 3, 1), D(2024, 9, 1)], tier="gold_plus")
    kuw = pledge("KUW", "12345.678", "KWD", [D(2024, 5, 15)])
    pledge("NIPPON", "5000000", "JPY", [D(2024, 6, 20)])
    pledge("HACK", "40000", "CHF", [D(2024, 4, 15)], package="HACKATHON")
    pledge("SMALL", "10000", "EUR", [D(2024, 8, 1)])
    older = money("5000", "CHF")
    t.confirm(t.create_pledge(ids["SMALL"], "WSIS2023", amount=older, signed_on=SIGNED,
                              instalments=split_evenly(older, [D(2024, 2, 1)])))  # fmt: skip
    total = money("90000", "CHF")
    t.create_pledge(ids["DRAFTY"], EDITION, amount=total, signed_on=SIGNED,
                    instalments=split_evenly(total, [D(2024, 3, 1)]))  # fmt: skip

    first, second = t.pledge(acme).instalments
    t.issue_invoice(first, D(2024, 2, 1), due_on=D(2024, 3, 2))
    t.record_payment(ids["ACME"], money("80000", "CHF"), received_on=D(2024, 3, 5),
                     reference="UBS-0305-7", idempotency_key="acme-1")  # fmt: skip
    t.record_payment(ids["NIPPON"], money("2000000", "JPY"), received_on=D(2024, 3, 10),
                     reference="MUFG-0310-2", idempotency_key="nippon-1")  # fmt: skip
    t.issue_invoice(kuw, D(2024, 4, 15), due_on=D(2024, 5, 15))
    t.record_payment(ids["GLOBEX"], money("175000", "USD"), received_on=D(2024, 4, 5),
                     reference="CITI-0405-1", idempotency_key="globex-1")  # fmt: skip
    t.issue_invoice(second, D(2024, 5, 1), due_on=D(2024, 5, 31))
    return Season(ids=ids)
