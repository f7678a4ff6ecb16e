"""A whole season, checked as a finance officer would, on SQLite and on PostgreSQL.

Five partners in five languages pledge in CHF, USD and EUR; invoices are issued, one reduced
by a credit note, one corrected and issued again; payments arrive before an invoice, quoting
an invoice, with bank charges, in another currency than the invoice (with the bank's
instructed amount), above what is due; a pledge is written off and money is recovered; an
invoice is issued after a partial payment; letters acknowledge four payments.

Every expected figure is worked out here with Decimal from the events below (rates, PSC at
7 %, carrying values at the signing rate), never read back from the library, and compared
with the books' balances, the revenue, standing, statement and ageing reports, and the text,
QR-bill and embedded e-invoice of each rendered document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import facturx
import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from tests.factories import example_issuer
from tests.integration.rendering.pdftext import appears, count, has
from wsis_funding import open_tracker, split_evenly
from wsis_funding.documents.building import recognition_title
from wsis_funding.examples import DEMO_PARTNERS, example_edition
from wsis_funding.i18n import format_amount, format_day, translations
from wsis_funding.money import ExchangeRate, Money, money
from wsis_funding.rendering.render import render_pdf
from wsis_funding.services import Tracker
from wsis_funding.tiers import Tier

PdfText = Callable[..., str]
PageImages = Callable[[bytes, int], list[Image.Image]]
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
SIGNED = dt.date(2024, 1, 22)
PSC = Decimal("0.07")
RATES = {  # the season's monthly rates to CHF, in force from the first of the month
    "USD": ("0.90", "0.89", "0.88", "0.91", "0.93"),
    "EUR": ("0.95", "0.96", "0.97", "0.96", "0.98"),
}
CENT = Decimal("0.01")


def rate(code: str, on: dt.date) -> Decimal:
    return Decimal(1) if code == "CHF" else Decimal(RATES[code][on.month - 1])


def chf(value: Decimal) -> Decimal:
    """A base value rounded once, half up, to the centime."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def m(amount: Decimal | str | int, code: str) -> Money:
    return money(Decimal(amount), code)


def _rates() -> list[ExchangeRate]:
    return [
        ExchangeRate(
            from_currency=code,
            to_currency="CHF",
            rate=Decimal(r),
            effective=dt.date(2024, month, 1),
            source="season test",
        )
        for code, monthly in RATES.items()
        for month, r in enumerate(monthly, start=1)
    ]


class Season:
    """The season's events, each a call of the public API, keeping what they returned."""

    def __init__(self, t: Tracker) -> None:
        self.t = t
        t.add_edition(example_edition())
        t.add_rates(_rates())
        self.pid = {}
        for partner in DEMO_PARTNERS[:5]:  # ACME en, FNT fr, GTRA ar, DSR zh, CR ru
            added = t.add_partner(partner)
            assert added.id is not None
            self.pid[partner.short_name] = added.id
        self.docs: dict[str, Any] = {}
        self.pays: dict[str, Any] = {}

    def pledge(self, short: str, amount: str, code: str, *dues: dt.date) -> Any:
        total = m(amount, code)
        created = self.t.create_pledge(
            self.pid[short],
            "WSIS2024",
            amount=total,
            signed_on=SIGNED,
            instalments=split_evenly(total, dues),
        )
        return self.t.confirm(created)

    def pay(self, short: str, amount: int, code: str, on: dt.date, **kw: Any) -> Any:
        return self.t.record_payment(
            self.pid[short],
            m(amount, code),
            received_on=on,
            reference=f"{short}-{on.isoformat()}",
            **kw,
        )

    def run(self) -> None:
        t, d = self.t, dt.date
        p1 = self.pledge("ACME", "160000", "CHF", d(2024, 3, 1), d(2024, 6, 1))
        p2 = self.pledge("GTRA", "350000", "USD", d(2024, 3, 1), d(2024, 6, 1))
        p3 = self.pledge("DSR", "25000", "CHF", d(2024, 3, 1))
        p4 = self.pledge("FNT", "40000", "EUR", d(2024, 4, 1))
        p5 = self.pledge("CR", "30000", "USD", d(2024, 3, 1))
        pay, docs = self.pays, self.docs
        pay["DSR0"] = self.pay("DSR", 10000, "CHF", d(2024, 1, 30))
        feb1, due = d(2024, 2, 1), d(2024, 3, 2)
        docs["I1"] = t.issue_invoice(p1.instalments[0], feb1, due_on=due)
        docs["I2"] = t.issue_invoice(p2, feb1, due_on=due)
        docs["I3"] = t.issue_invoice(p3, feb1, due_on=due)
        docs["I4"] = t.issue_invoice(p4, feb1, due_on=due)
        docs["I5"] = t.issue_invoice(p5, feb1, due_on=due)
        docs["CN1"] = t.credit_invoice(
            docs["I1"].number,
            d(2024, 2, 5),
            kind="reduction",
            amount=m(10000, "CHF"),
            reason="Agreed discount",
        )
        docs["CN2"] = t.cancel_invoice(
            docs["I4"].number, d(2024, 2, 6), kind="correction", reason="Wrong address"
        )
        docs["I6"] = t.issue_invoice(p4, d(2024, 2, 7), due_on=due)
        pay["DSR1"] = self.pay(
            "DSR",
            14975,
            "CHF",
            d(2024, 3, 5),
            bank_charges=m(25, "CHF"),
            invoice=docs["I3"].payment_reference,
        )
        pay["ACME1"] = self.pay("ACME", 70000, "CHF", d(2024, 3, 10), invoice=docs["I1"].number)
        pay["GTRA1"] = self.pay(
            "GTRA",
            150000,
            "CHF",
            d(2024, 3, 12),
            invoice=docs["I2"].number,
            settles=m(170000, "USD"),
        )
        pay["CR1"] = self.pay("CR", 10000, "USD", d(2024, 3, 20), invoice=docs["I5"].number)
        pay["FNT1"] = self.pay("FNT", 41000, "EUR", d(2024, 4, 2), invoice=docs["I6"].number)
        t.write_off(p5, "No answer to three reminders", on=d(2024, 4, 15))
        pay["ACME2"] = self.pay("ACME", 5000, "CHF", d(2024, 4, 20))
        pay["CR2"] = self.pay(
            "CR", 5000, "USD", d(2024, 5, 6), invoice=docs["I5"].payment_reference
        )
        docs["I7"] = t.issue_invoice(p1.instalments[1], d(2024, 5, 10), due_on=d(2024, 6, 9))
        letters = (
            ("L1", "DSR1", d(2024, 3, 6)),
            ("L2", "GTRA1", d(2024, 3, 13)),
            ("L3", "FNT1", d(2024, 4, 3)),
            ("L4", "CR2", d(2024, 5, 7)),
        )
        for name, key, on in letters:
            docs[name] = t.acknowledge(pay[key], on)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def season(request: pytest.FixtureRequest) -> Any:
    from tests.databases import database

    with database(request.param) as url, open_tracker(url, issuer=example_issuer()) as t:
        s = Season(t)
        s.run()
        yield s


# What the events mean, worked out by hand ----------------------------------------------------

# Signing-date base values: USD at 0.90, EUR at 0.95 (January rates).
GTRA_BASE = chf(Decimal(350000) * Decimal("0.90"))  # 315,000.00
CR_BASE = chf(Decimal(30000) * Decimal("0.90"))  # 27,000.00
FNT_BASE = chf(Decimal(40000) * Decimal("0.95"))  # 38,000.00
# GTRA pays CHF 150,000 for USD 170,000 (the bank's instructed amount): carried at the
# signing rate, 170,000 of 350,000 USD carries 315,000 x 170/350.
GTRA_CARRIED = chf(GTRA_BASE * 170000 / 350000)  # 153,000.00
GTRA_LOSS = GTRA_CARRIED - Decimal(150000)  # 3,000.00
# CR pays USD 10,000 at 0.88, then USD 20,000 is written off at its carrying value, then
# USD 5,000 is recovered at 0.93 (May).
CR_CARRIED_1 = chf(CR_BASE * 10000 / 30000)  # 9,000.00
CR_LOSS_1 = CR_CARRIED_1 - chf(Decimal(10000) * Decimal("0.88"))  # 200.00
CR_WRITTEN_OFF = CR_BASE - CR_CARRIED_1  # 18,000.00
CR_RECOVERED = chf(CR_WRITTEN_OFF * 5000 / 20000)  # 4,500.00
CR_GAIN_2 = chf(Decimal(5000) * Decimal("0.93")) - CR_RECOVERED  # 150.00
# FNT pays EUR 41,000 at 0.96 (April) for the EUR 40,000 invoice: 1,000 is kept as credit; the
# base value of the money is rounded once and split between what was used and what was kept.
FNT_RECEIVED = chf(Decimal(41000) * Decimal("0.96"))  # 39,360.00
FNT_USED = chf(FNT_RECEIVED * 40000 / 41000)  # 38,400.00
FNT_GAIN = FNT_USED - FNT_BASE  # 400.00
# PSC: 7 % of what each payment settled, in the pledge currency, valued at the value date.
PSC_CHF = PSC * (10000 + 15000 + 70000 + 5000)  # DSR twice, ACME twice
PSC_USD = PSC * (170000 + 10000 + 5000)  # GTRA, CR, CR's recovery
PSC_EUR = PSC * 40000
PSC_BASE = (
    PSC_CHF
    + chf(PSC * 170000 * Decimal("0.88"))
    + chf(PSC * 10000 * Decimal("0.88"))
    + chf(PSC * 5000 * Decimal("0.93"))
    + chf(PSC_EUR * Decimal("0.96"))
)
GROSS = {"CHF": Decimal(160000 - 10000 + 25000), "USD": Decimal(380000), "EUR": Decimal(40000)}
GROSS_BASE = GROSS["CHF"] + GTRA_BASE + CR_BASE + FNT_BASE


def test_the_books_verify_and_every_account_holds_what_the_events_put_there(season: Any) -> None:
    t, pid = season.t, season.pid
    assert t.verify() == []

    def balance(account: str) -> tuple[dict[str, Money], Money]:
        b = t.balance(account)
        return {k: v for k, v in b.amounts.items() if v.amount}, b.base

    assert balance("bank:CHF") == ({"CHF": m(10000 + 14975 + 70000 + 150000 + 5000, "CHF")},
                                   m(249975, "CHF"))  # fmt: skip
    usd_base = chf(Decimal(10000) * Decimal("0.88")) + chf(Decimal(5000) * Decimal("0.93"))
    assert balance("bank:USD") == ({"USD": m(15000, "USD")}, m(usd_base, "CHF"))
    assert balance("bank:EUR") == ({"EUR": m(41000, "EUR")}, m(FNT_RECEIVED, "CHF"))
    assert balance("bank_charges") == ({"CHF": m(25, "CHF")}, m(25, "CHF"))
    assert balance(f"receivable:{pid['ACME']}") == ({"CHF": m(75000, "CHF")}, m(75000, "CHF"))
    assert balance(f"receivable:{pid['GTRA']}") == (
        {"USD": m(180000, "USD")},
        m(GTRA_BASE - GTRA_CARRIED, "CHF"),
    )
    for short in ("DSR", "FNT", "CR"):
        assert balance(f"receivable:{pid[short]}") == ({}, m(0, "CHF"))
    assert balance(f"unapplied:{pid['FNT']}") == (
        {"EUR": m(-1000, "EUR")},
        m(-(FNT_RECEIVED - FNT_USED), "CHF"),
    )
    loss = GTRA_LOSS + CR_LOSS_1 - FNT_GAIN - CR_GAIN_2
    assert balance("fx_gain_loss") == ({}, m(loss, "CHF"))  # base currency only
    assert balance("write_off") == (
        {"USD": m(15000, "USD")},
        m(CR_WRITTEN_OFF - CR_RECOVERED, "CHF"),
    )
    assert balance("psc:WSIS2024") == (
        {"CHF": m(PSC_CHF, "CHF"), "USD": m(PSC_USD, "USD"), "EUR": m(PSC_EUR, "EUR")},
        m(PSC_BASE, "CHF"),
    )
    assert balance("revenue:WSIS2024") == (
        {code: m(-amount, code) for code, amount in GROSS.items()},
        m(-GROSS_BASE, "CHF"),
    )


def test_revenue_is_reported_gross_psc_and_net(season: Any) -> None:
    report = season.t.revenue("WSIS2024")
    psc = {"CHF": PSC_CHF, "USD": PSC_USD, "EUR": PSC_EUR}
    for code, gross in GROSS.items():
        line = report.by_currency[code]
        assert (line.gross, line.psc, line.net) == (
            m(gross, code), m(psc[code], code), m(gross - psc[code], code),
        )  # fmt: skip
    assert (report.base.gross, report.base.psc, report.base.net) == (
        m(GROSS_BASE, "CHF"), m(PSC_BASE, "CHF"), m(GROSS_BASE - PSC_BASE, "CHF"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("short", "committed", "paid", "fx", "tier"),
    [
        ("ACME", Decimal(150000), Decimal(75000), Decimal(0), Tier.GOLD),
        ("GTRA", GTRA_BASE, GTRA_CARRIED, -GTRA_LOSS, Tier.GOLD_PLUS),
        ("DSR", Decimal(25000), Decimal(25000), Decimal(0), Tier.SUPPORTING),
        ("FNT", FNT_BASE, FNT_BASE, FNT_GAIN, Tier.SUPPORTING),
        # Written off then partly recovered: what counts is what was paid, at carrying value.
        ("CR", CR_BASE - CR_WRITTEN_OFF + CR_RECOVERED, CR_CARRIED_1 + CR_RECOVERED,
         CR_GAIN_2 - CR_LOSS_1, None),
    ],
)  # fmt: skip
def test_each_standing_counts_what_the_partner_committed_and_paid(
    season: Any, short: str, committed: Decimal, paid: Decimal, fx: Decimal, tier: Tier | None
) -> None:
    s = season.t.standing(season.pid[short], "WSIS2024")
    assert (s.committed, s.paid, s.realised_fx, s.tier) == (
        m(committed, "CHF"), m(paid, "CHF"), m(fx, "CHF"), tier,
    )  # fmt: skip
    if short == "CR":
        # The recovery reversed that much of the write-off: what stays written off is the rest.
        written_off = CR_WRITTEN_OFF - CR_RECOVERED
        assert (s.written_off, s.recovered) == (m(written_off, "CHF"), m(CR_RECOVERED, "CHF"))


@pytest.mark.parametrize(
    ("short", "code", "owed", "credit", "asked", "credited", "paid_on"),
    [
        ("ACME", "CHF", 75000, 0, 80000 + 75000, 10000, 70000),
        ("GTRA", "USD", 180000, 0, 350000, 0, 170000),
        ("DSR", "CHF", 0, 0, 15000, 0, 15000),
        ("FNT", "EUR", 0, 1000, 40000 + 40000, 40000, 40000),
        ("CR", "USD", 0, 0, 30000, 0, 10000 + 5000),
    ],
)
def test_each_statement_shows_what_was_asked_credited_and_paid(
    season: Any, short: str, code: str, owed: int, credit: int, asked: int, credited: int,
    paid_on: int,
) -> None:  # fmt: skip
    summary = season.t.statement(season.pid[short], "WSIS2024").summary[code]
    assert (summary.owed, summary.credit) == (m(owed, code), m(credit, code))
    assert (summary.invoiced, summary.credited, summary.paid_on_invoices) == (
        m(asked, code), m(credited, code), m(paid_on, code),
    )  # fmt: skip
    assert summary.open_on_invoices == m(asked - credited - paid_on, code)


def test_ageing_counts_from_each_invoice_due_date(season: Any) -> None:
    report = season.t.receivables(dt.date(2024, 5, 31))
    rows = {(r.short_name, r.currency): {k: v for k, v in r.buckets.items() if v.amount}
            for r in report.by_partner if r.total.amount}  # fmt: skip
    assert rows == {
        # ACME's second instalment, less 5,000 received, on I7 due 9 June: not yet due.
        ("ACME", "CHF"): {"not_due": m(75000, "CHF")},
        # GTRA's two instalments are on I2, due 2 March: 90 days past due on 31 May.
        ("GTRA", "USD"): {"61-90": m(180000, "USD")},
    }


# The documents, read as the partner reads them ------------------------------------------------


def _(language: str, msgid: str) -> str:
    return str(translations(language).gettext(msgid))


def _pdf(season: Any, name: str) -> bytes:
    return render_pdf(season.t.document(season.docs[name].number).snapshot)


def _qr_amount(pdf: bytes, page_images: PageImages) -> list[str]:
    payloads = [b.text for im in page_images(pdf, 150) for b in zxingcpp.read_barcodes(im)]
    return [p.replace("\r\n", "\n").split("\n")[18] for p in payloads]


def _xml_amount(pdf: bytes, name: str) -> Decimal:
    _name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    return Decimal(etree.fromstring(xml).findtext(f".//{{{RAM}}}{name}") or "nan")


@pytest.mark.parametrize(
    ("name", "language", "code", "lines", "received", "due", "tier"),
    [
        ("I1", "en", "CHF", 80000, 0, 80000, Tier.GOLD),
        ("I2", "ar", "USD", 350000, 0, 350000, Tier.GOLD_PLUS),
        ("I3", "zh", "CHF", 25000, 10000, 15000, Tier.SUPPORTING),
        ("I6", "fr", "EUR", 40000, 0, 40000, Tier.SUPPORTING),
        ("I7", "en", "CHF", 80000, 5000, 75000, Tier.GOLD),  # after the reduction of I1
    ],
)
def test_each_invoice_asks_for_what_the_books_say_is_due(
    season: Any, pdf_text: PdfText, page_images: PageImages, name: str, language: str,
    code: str, lines: int, received: int, due: int, tier: Tier,
) -> None:  # fmt: skip
    pdf = _pdf(season, name)
    text = pdf_text(pdf)
    assert has(text, recognition_title(tier, language))
    assert has(text, season.docs[name].number)
    assert appears(text, format_amount(m(lines, code), language), language)
    if received:
        assert appears(text, format_amount(m(-received, code), language), language)
        assert has(text, _(language, "Amount due"))
    assert count(text, format_amount(m(due, code), language), language) >= 1
    assert _xml_amount(pdf, "DuePayableAmount") == due
    if received:  # BT-113, the paid amount, only when something was received
        assert _xml_amount(pdf, "TotalPrepaidAmount") == received
    else:
        assert _xml_amount(pdf, "TotalPrepaidAmount").is_nan()
    if code == "CHF":  # a QR-bill on the Swiss IBAN, for the amount due
        assert _qr_amount(pdf, page_images) == [f"{Decimal(due):.2f}"]


@pytest.mark.parametrize(
    ("name", "language", "code", "amount", "kind"),
    [("CN1", "en", "CHF", 10000, "reduction"), ("CN2", "fr", "EUR", 40000, "correction")],
)
def test_each_credit_note_credits_what_was_decided(
    season: Any, pdf_text: PdfText, name: str, language: str, code: str, amount: int, kind: str
) -> None:
    text = pdf_text(_pdf(season, name))
    assert appears(text, format_amount(m(amount, code), language), language)
    refers = "I1" if name == "CN1" else "I4"
    assert has(text, season.docs[refers].number)
    assert season.docs[name].snapshot.credit_kind.value == kind


@pytest.mark.parametrize(
    ("name", "language", "credited", "charges", "settled", "kept", "balance", "invoice"),
    [
        ("L1", "zh", m(14975, "CHF"), m(25, "CHF"), m(15000, "CHF"), None, m(0, "CHF"), "I3"),
        ("L2", "ar", m(150000, "CHF"), None, m(170000, "USD"), None, m(180000, "USD"), "I2"),
        ("L3", "fr", m(41000, "EUR"), None, m(40000, "EUR"), m(1000, "EUR"), m(0, "EUR"), "I6"),
        ("L4", "ru", m(5000, "USD"), None, m(5000, "USD"), None, m(0, "USD"), "I5"),
    ],
)
def test_each_letter_states_the_payment_and_the_balance_right_after_it(
    season: Any, pdf_text: PdfText, name: str, language: str, credited: Money,
    charges: Money | None, settled: Money, kept: Money | None, balance: Money, invoice: str,
) -> None:  # fmt: skip
    letter = season.docs[name]
    text = pdf_text(_pdf(season, name))
    for amount in (credited, charges, settled, kept):
        if amount is not None:
            assert appears(text, format_amount(amount, language), language), amount
    assert has(text, season.docs[invoice].number)
    snap = letter.snapshot
    assert (snap.amount_credited, snap.amount_received, snap.remaining_balance) == (
        credited, settled, balance,
    )  # fmt: skip
    assert snap.kept_as_credit == (kept or m(0, credited.currency.code))
    assert appears(text, format_day(snap.received_on, language), language)
