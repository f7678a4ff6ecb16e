"""The edition funding report: figures, charts parsed from the SVG, PDF text, the target.

The season (see season.py) committed, at signing-date values in CHF: ACME 160,000.00, GLOBEX
350,000 x 0.90, KUW 12,345.678 x 2.90 (rounded to the centime), NIPPON 5,000,000 x 0.0060,
HACK 40,000.00 (activity money), SMALL 10,000 x 0.95; and received, at the same values,
ACME 80,000.00 on 5 March, NIPPON 2,000,000 x 0.0060 on 10 March and GLOBEX 175,000 x 0.90
on 5 April. The target is CHF 1,000,000.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
import openpyxl
import pytest
from lxml import etree

from tests.factories import make_edition
from tests.integration.rendering.pdftext import has
from tests.integration.reports.season import TARGET
from wsis_funding.errors import CurrencyMismatch, InvalidAmount, InvalidField, UnknownEdition
from wsis_funding.i18n import format_amount, format_day
from wsis_funding.money import money
from wsis_funding.reports.funding import funding_charts
from wsis_funding.services import Tracker, open_tracker

PdfText = Callable[[bytes], str]
NS = {"s": "http://www.w3.org/2000/svg"}
CENT = Decimal("0.01")


def chf(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


COMMITTED = {
    "ACME": Decimal("160000.00"),
    "GLOBEX": chf(Decimal(350_000) * Decimal("0.90")),
    "KUW": chf(Decimal("12345.678") * Decimal("2.90")),
    "NIPPON": chf(Decimal(5_000_000) * Decimal("0.0060")),
    "HACK": Decimal("40000.00"),
    "SMALL": chf(Decimal(10_000) * Decimal("0.95")),
}
RECEIPTS = {
    dt.date(2024, 3, 5): Decimal("80000.00"),
    dt.date(2024, 3, 10): chf(Decimal(2_000_000) * Decimal("0.0060")),
    dt.date(2024, 4, 5): chf(Decimal(175_000) * Decimal("0.90")),
}
TOTAL = sum(COMMITTED.values(), Decimal(0))
RECEIVED = sum(RECEIPTS.values(), Decimal(0))


def svg(text: str) -> Any:
    return etree.fromstring(text.encode("utf-8"))


def texts(root: Any, cls: str) -> list[str]:
    return [t.text for t in root.xpath(f"//s:text[@class='{cls}']", namespaces=NS)]


def bars(root: Any, cls: str) -> list[Any]:
    """The bars (not the legend's swatches) of one series."""
    path = (
        "//s:rect[contains(concat(' ', @class, ' '), ' bar ')]"
        f"[contains(concat(' ', @class, ' '), ' {cls} ')]"
    )
    return list(root.xpath(path, namespaces=NS))


def test_funding_figures_add_up_by_group_currency_and_day(books: Tracker) -> None:
    r = books.funding("WSIS2024")
    assert r.target == money(TARGET, "CHF")
    assert r.committed == money(TOTAL, "CHF")
    assert r.received == money(RECEIVED, "CHF")
    assert r.activity_committed == money(COMMITTED["HACK"], "CHF")
    assert r.tier_committed == money(TOTAL - COMMITTED["HACK"], "CHF")
    assert r.partners == 6  # DRAFTY's draft counts nowhere
    groups = {(g.group, g.tier.code if g.tier else None): g for g in r.by_group}
    assert {k: g.partners for k, g in groups.items()} == {
        ("tier", "platinum"): 0,
        ("tier", "gold_plus"): 1,
        ("tier", "gold"): 1,
        ("tier", "contributing"): 0,
        ("tier", "supporting"): 2,
        ("activity", None): 1,
        ("none", None): 1,
    }
    supporting = groups[("tier", "supporting")]
    assert supporting.committed.amount == COMMITTED["KUW"] + COMMITTED["NIPPON"]
    assert supporting.received.amount == RECEIPTS[dt.date(2024, 3, 10)]
    assert [(day, m.amount) for day, m in r.receipts] == list(RECEIPTS.items())
    currencies = {c.currency: c for c in r.by_currency}
    assert list(currencies) == ["CHF", "EUR", "JPY", "KWD", "USD"]
    assert currencies["CHF"].committed == money("200000", "CHF")
    assert currencies["JPY"].received == money(2_000_000, "JPY")
    assert currencies["KWD"].committed == money("12345.678", "KWD")
    assert currencies["USD"].received_base.amount == RECEIPTS[dt.date(2024, 4, 5)]
    assert r.latest == dt.date(2024, 4, 5)


def test_funding_chart_draws_target_committed_and_received_to_scale(books: Tracker) -> None:
    target_chart, tier_chart, currency_chart, receipt_chart = funding_charts(
        books.funding("WSIS2024")
    )
    root = svg(target_chart)
    (target,) = bars(root, "target")
    (committed,) = bars(root, "committed")
    (received,) = bars(root, "received")
    width = Decimal(target.get("width"))
    assert abs(Decimal(committed.get("width")) - width * TOTAL / TARGET) <= CENT * 2
    assert abs(Decimal(received.get("width")) - width * RECEIVED / TARGET) <= CENT * 2
    assert texts(root, "value") == [
        format_amount(money(v, "CHF"), "en") for v in (TARGET, TOTAL, RECEIVED)
    ]
    assert texts(root, "legend") == ["Target", "Committed", "Received"]

    tiers = svg(tier_chart)
    assert texts(tiers, "category") == [
        "Strategic Partner Platinum",
        "Strategic Partner Gold Plus",
        "Strategic Partner Gold",
        "Contributing Partner",
        "Supporting Partner",
        "Partners for specific activities",
        "No tier reached",
    ]
    assert texts(tiers, "value") == ["0", "1", "1", "0", "2", "1", "1"]
    assert all(Decimal(t) == Decimal(t).to_integral() for t in texts(tiers, "tick"))

    currencies = svg(currency_chart)
    by_currency = {
        "CHF": COMMITTED["ACME"] + COMMITTED["HACK"],
        "EUR": COMMITTED["SMALL"],
        "JPY": COMMITTED["NIPPON"],
        "KWD": COMMITTED["KUW"],
        "USD": COMMITTED["GLOBEX"],
    }
    assert texts(currencies, "category") == list(by_currency)
    assert texts(currencies, "value") == [
        format_amount(money(v, "CHF"), "en") for v in by_currency.values()
    ]

    receipts = svg(receipt_chart)
    assert len(receipts.xpath("//s:circle[@class='point']", namespaces=NS)) == len(RECEIPTS)
    assert texts(receipts, "value") == [format_amount(money(RECEIVED, "CHF"), "en")]


def test_funding_pdf_reads_the_figures_and_the_charts(books: Tracker, pdf_text: PdfText) -> None:
    text = pdf_text(books.funding_file("WSIS2024"))
    share = (TOTAL / TARGET * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    for expected in (
        "Funding report",
        "WSIS+20 Forum High-Level Event (WSIS2024)",
        format_amount(money(TARGET, "CHF"), "en"),
        f"{format_amount(money(TOTAL, 'CHF'), 'en')} ({share}%)",
        format_amount(money(TOTAL - RECEIVED, "CHF"), "en"),
        format_day(dt.date(2024, 4, 5), "en"),
        "Funding against the target (CHF)",
        "Partners by tier",
        "No tier reached",
    ):
        assert has(text, expected), expected


def test_funding_pdf_in_arabic_places_the_chart_texts_in_the_page(
    books: Tracker, pdf_text: PdfText
) -> None:
    text = pdf_text(books.funding_file("WSIS2024", language="ar"))
    assert has(text, "تقرير التمويل")
    assert has(text, "الشركاء حسب المستوى")  # a chart title, shaped as page text
    assert "1,000,000.00" in text


def test_funding_xlsx_holds_the_report_tables(books: Tracker) -> None:
    book = openpyxl.load_workbook(io.BytesIO(books.funding_file("WSIS2024", format="xlsx")))
    assert book.sheetnames[1:] == ["Partners by tier", "Money by currency", "Receipts over time"]
    receipts = book["Receipts over time"]
    rows = list(receipts.iter_rows(min_row=2, values_only=True))
    assert [(row[0], Decimal(str(row[2]))) for row in rows] == [
        (dt.datetime.combine(day, dt.time()), sum(list(RECEIPTS.values())[: i + 1], Decimal(0)))
        for i, day in enumerate(RECEIPTS)
    ]


def test_the_same_books_give_the_same_funding_bytes(books: Tracker) -> None:
    for fmt, language in (("pdf", "en"), ("pdf", "ar"), ("xlsx", "en")):
        first = books.funding_file("WSIS2024", format=fmt, language=language)
        assert books.funding_file("WSIS2024", format=fmt, language=language) == first


def test_funding_target_is_set_cleared_and_kept(db_url: str, pdf_text: PdfText) -> None:
    with open_tracker(db_url) as t:
        assert t.add_edition(make_edition()).funding_target is None
        t.set_funding_target("WSIS2024", money("250000", "CHF"))
    with open_tracker(db_url) as t:
        assert t.funding("WSIS2024").target == money("250000.00", "CHF")
        t.set_funding_target("WSIS2024", None)
        report = t.funding("WSIS2024")
        assert report.target is None
        assert report.latest is None
        assert report.dated == dt.date(2024, 5, 27)  # the edition's first day
        text = pdf_text(t.funding_file("WSIS2024"))
        assert has(text, "No funding target is set for this edition.")
        assert has(text, "Nothing yet")


def test_a_bad_funding_target_is_refused_and_nothing_changes(db_url: str) -> None:
    with open_tracker(db_url) as t:
        t.add_edition(attrs.evolve(make_edition(), funding_target=money("1000", "CHF")))
        with pytest.raises(CurrencyMismatch, match="USD"):
            t.set_funding_target("WSIS2024", money("1000", "USD"))
        with pytest.raises(InvalidAmount, match="above zero"):
            t.set_funding_target("WSIS2024", money("0", "CHF"))
        with pytest.raises(InvalidAmount):
            t.set_funding_target("WSIS2024", money(2**63, "CHF"))
        with pytest.raises(TypeError, match="float"):
            t.set_funding_target("WSIS2024", 1000.0)  # type: ignore[arg-type]
        with pytest.raises(UnknownEdition):
            t.set_funding_target("WSIS1999", money("1000", "CHF"))
        assert t.funding("WSIS2024").target == money("1000.00", "CHF")


def test_an_edition_refuses_a_target_in_another_currency() -> None:
    with pytest.raises(InvalidField, match=r"funding_target.*EUR.*CHF"):
        attrs.evolve(make_edition(), funding_target=money("1000", "EUR"))
    with pytest.raises(InvalidAmount):
        attrs.evolve(make_edition(), funding_target=money("-5", "CHF"))
