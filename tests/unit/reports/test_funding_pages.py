"""The funding report's tables, charts and page from its figures (pure: no books, no PDF)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from wsis_funding.money import money
from wsis_funding.reports import Bar, bar_chart
from wsis_funding.reports.funding import (
    CurrencyFunding,
    FundingReport,
    GroupFunding,
    funding_charts,
    funding_page,
    funding_tables,
)
from wsis_funding.reports.roster import RosterTier

NS = {"s": "http://www.w3.org/2000/svg"}


def chf(amount: str) -> Any:
    return money(amount, "CHF")


def report(target: str | None = "300000") -> FundingReport:
    gold = RosterTier(code="gold", title="Strategic Partner Gold", rank=3)
    return FundingReport(
        edition="WSIS2025",
        title="WSIS Forum 2025",
        base_currency="CHF",
        dated=dt.date(2025, 4, 2),
        latest=dt.date(2025, 4, 2),
        target=None if target is None else chf(target),
        committed=chf("200000.00"),
        received=chf("75000.50"),
        tier_committed=chf("160000.00"),
        tier_received=chf("75000.50"),
        activity_committed=chf("40000.00"),
        activity_received=chf("0.00"),
        partners=3,
        by_group=[
            GroupFunding(
                group="tier",
                tier=gold,
                partners=2,
                committed=chf("160000.00"),
                received=chf("75000.50"),
            ),
            GroupFunding(
                group="activity",
                tier=None,
                partners=1,
                committed=chf("40000.00"),
                received=chf("0.00"),
            ),
        ],
        by_currency=[
            CurrencyFunding(
                currency="CHF",
                committed=chf("110000.00"),
                received=chf("0.00"),
                committed_base=chf("110000.00"),
                received_base=chf("0.00"),
            ),
            CurrencyFunding(
                currency="JPY",
                committed=money(15_000_000, "JPY"),
                received=money(12_500_083, "JPY"),
                committed_base=chf("90000.00"),
                received_base=chf("75000.50"),
            ),
        ],
        receipts=[(dt.date(2025, 2, 3), chf("50000.50")), (dt.date(2025, 4, 2), chf("25000.00"))],
    )


def test_shares_of_the_target_are_fractions_rounded_half_up_to_four_places() -> None:
    r = report()
    # 200,000 / 300,000 = 0.666666... -> 0.6667; 75,000.50 / 300,000 = 0.25000166... -> 0.2500
    assert r.share(r.committed) == Decimal("0.6667")
    assert r.share(r.received) == Decimal("0.2500")
    assert report(target=None).share(r.committed) is None


def test_funding_tables_keep_each_currency_and_add_only_the_base_values() -> None:
    summary, groups, currencies, receipts = funding_tables(report())
    assert [row[0] for row in summary.rows] == [
        "Funding target", "Committed", "Received", "Outstanding", "Tier money", "Activity money",
    ]  # fmt: skip
    assert summary.rows[3][1] == chf("124999.50")
    assert groups.rows[0] == ("Strategic Partner Gold", 2, chf("160000.00"), chf("75000.50"))
    assert currencies.rows[1][1] == money(15_000_000, "JPY")
    assert [row[2] for row in receipts.rows] == [chf("50000.50"), chf("75000.50")]


def test_without_a_target_the_first_chart_shows_committed_and_received_only() -> None:
    root = etree.fromstring(funding_charts(report(target=None))[0].encode())
    labels = [t.text for t in root.xpath("//s:text[@class='category']", namespaces=NS)]
    assert labels == ["Committed", "Received"]
    assert not root.xpath("//s:rect[contains(@class, 'target')]", namespaces=NS)
    page = funding_page(report(target=None))
    assert "No funding target is set for this edition." in page.sections[0].notes


@pytest.mark.parametrize("language", ["fr", "zh"])
def test_the_page_is_in_its_language_with_shares_in_its_facts(language: str) -> None:
    page = funding_page(report(), language)
    facts = dict(page.facts)
    if language == "fr":
        assert page.title == "Rapport de financement"
        assert "66,67" in facts["Engagé"]
    else:
        assert page.title == "筹资报告"
        assert "66.67%" in facts["认捐金额"]
    assert page.dated == dt.date(2025, 4, 2)
    assert len([s for s in page.sections if s.chart]) == 4


def test_a_count_chart_ticks_whole_numbers_only() -> None:
    root = etree.fromstring(
        bar_chart([Bar("a", 1), Bar("b", 2)], title="t", format_value=str, whole_numbers=True)
    )
    ticks = [t.text for t in root.xpath("//s:text[@class='tick']", namespaces=NS)]
    assert ticks == ["0", "1", "2"]


def test_chart_labels_of_wide_scripts_are_given_room() -> None:
    """A Chinese label is about twice as wide as a Latin one of the same length: the plot
    starts further right, so that the label is not cut off at the left edge."""
    latin = etree.fromstring(bar_chart([Bar("abcdef", 1)], title="t", format_value=str))
    wide = etree.fromstring(bar_chart([Bar("铂金级战略合作", 1)], title="t", format_value=str))

    def start(root: Any) -> Decimal:
        return Decimal(root.xpath("//s:line[@class='axis']", namespaces=NS)[0].get("x1"))

    assert start(wide) > start(latin) + 30
