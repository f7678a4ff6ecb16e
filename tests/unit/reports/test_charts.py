"""SVG charts parsed with lxml: bars, labels, escaping, scale, month ticks, same bytes."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from wsis_funding.reports import (
    Bar,
    DatedAmount,
    FundingRow,
    bar_chart,
    cumulative_chart,
    funding_chart,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def fmt(value: Decimal) -> str:
    return f"CHF {value:,.2f}"


def parse(svg: str) -> Any:
    return etree.fromstring(svg.encode("utf-8"))


def texts(root: Any, cls: str) -> list[str]:
    return [t.text for t in root.xpath(f"//s:text[@class='{cls}']", namespaces=NS)]


def bars(root: Any) -> list[Any]:
    return list(root.xpath("//s:rect[contains(concat(' ', @class, ' '), ' bar ')]", namespaces=NS))


def number(element: Any, name: str) -> Decimal:
    return Decimal(element.get(name))


CURRENCIES = [
    Bar("CHF", Decimal("125000.00")),
    Bar("USD", Decimal("50000")),
    Bar("<&> \"quoted\" 'label'", Decimal("25000.50")),
]


def test_bar_chart_draws_one_bar_and_two_labels_per_value() -> None:
    root = parse(bar_chart(CURRENCIES, title="By currency", format_value=fmt))
    assert len(bars(root)) == 3
    assert texts(root, "category") == [b.label for b in CURRENCIES]
    assert texts(root, "value") == ["CHF 125,000.00", "CHF 50,000.00", "CHF 25,000.50"]
    assert texts(root, "title") == ["By currency"]


def test_bar_lengths_are_proportional_to_the_values() -> None:
    root = parse(bar_chart(CURRENCIES, title="t", format_value=fmt))
    widths = [number(b, "width") for b in bars(root)]
    for width, bar in zip(widths[1:], CURRENCIES[1:], strict=True):
        expected = widths[0] * bar.value / CURRENCIES[0].value
        assert abs(width - expected) <= Decimal("0.02")  # each width is rounded to 0.01


def test_chart_text_is_escaped_and_reads_back_unchanged() -> None:
    svg = bar_chart(CURRENCIES, title="A & B <draft>", format_value=fmt)
    assert "&lt;&amp;&gt;" in svg
    assert "<draft>" not in svg
    root = parse(svg)
    assert CURRENCIES[2].label in texts(root, "category")
    assert root.xpath("string(s:title)", namespaces=NS) == "A & B <draft>"


def test_characters_xml_cannot_hold_are_replaced_not_emitted() -> None:
    root = parse(bar_chart([Bar("bell\x07", Decimal(1))], title="t", format_value=fmt))
    assert texts(root, "category") == ["bell\ufffd"]


def test_two_renders_of_the_same_values_are_byte_identical() -> None:
    def render() -> str:
        return bar_chart(CURRENCIES, title="t", format_value=fmt, value_label="Amount")

    assert render() == render()


def test_charts_use_noto_sans_no_ids_and_at_most_two_decimals() -> None:
    svg = funding_chart(
        [FundingRow(label="2025", target=Decimal(3), committed=Decimal(2), received=Decimal(1))],
        title="t",
        format_value=fmt,
        width=333,
    )
    root = parse(svg)
    assert root.get("font-family") == "Noto Sans"
    assert " id=" not in svg
    coordinates = re.findall(r' (?:x|y|x1|y1|x2|y2|width|height|cx|cy)="([^"]*)"', svg)
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d{1,2})?", c) for c in coordinates)


def test_a_negative_bar_extends_left_of_the_zero_axis() -> None:
    data = [Bar("gain", Decimal(100)), Bar("loss", Decimal(-50))]
    root = parse(bar_chart(data, title="t", format_value=fmt))
    zero = number(root.xpath("//s:line[@class='axis']", namespaces=NS)[0], "x1")
    gain, loss = bars(root)
    assert number(gain, "x") == zero
    assert number(loss, "x") + number(loss, "width") == zero
    assert abs(number(loss, "width") * 2 - number(gain, "width")) <= Decimal("0.02")


def test_value_axis_ticks_are_round_numbers_covering_the_largest_value() -> None:
    root = parse(bar_chart(CURRENCIES, title="t", format_value=str))
    ticks = [Decimal(t) for t in texts(root, "tick")]
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert ticks[0] == 0
    assert ticks[-1] >= Decimal("125000")
    assert len(steps) == 1
    assert steps.pop().normalize().as_tuple().digits[0] in (1, 2, 5)


def test_no_bars_gives_the_title_and_the_empty_text() -> None:
    root = parse(bar_chart([], title="Nothing yet", format_value=fmt, empty_text="Aucune donnée"))
    assert bars(root) == []
    assert texts(root, "empty") == ["Aucune donnée"]
    assert texts(root, "title") == ["Nothing yet"]


def test_chart_size_is_the_given_pixels() -> None:
    root = parse(bar_chart(CURRENCIES, title="t", format_value=fmt, width=500, height=300))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "500",
        "300",
        "0 0 500 300",
    )


def test_a_chart_too_narrow_for_its_labels_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        bar_chart([Bar("x" * 80, Decimal("1"))], title="t", format_value=fmt, width=100)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Bar("CHF", 1.5),
        lambda: DatedAmount(dt.date(2025, 1, 1), 1.5),
        lambda: FundingRow(label="x", target=Decimal(1), committed=1.5, received=Decimal(0)),
    ],
)
def test_float_chart_values_are_refused(make: Any) -> None:
    with pytest.raises(TypeError, match="float"):
        make()


def test_funding_chart_draws_target_committed_and_received_per_row_with_a_legend() -> None:
    rows = [
        FundingRow(label="2024", target=Decimal(400000), committed=Decimal(380000),
                   received=Decimal("250000.50")),
        FundingRow(label="2025", target=Decimal(500000), committed=Decimal(120000),
                   received=Decimal(0)),
    ]  # fmt: skip
    root = parse(
        funding_chart(
            rows, title="Funding", format_value=fmt, series_labels=("Cible", "Engagé", "Reçu")
        )
    )
    drawn = bars(root)
    assert [b.get("class") for b in drawn] == ["bar target", "bar committed", "bar received"] * 2
    assert texts(root, "legend") == ["Cible", "Engagé", "Reçu"]
    assert texts(root, "category") == ["2024", "2025"]
    assert texts(root, "value")[:3] == ["CHF 400,000.00", "CHF 380,000.00", "CHF 250,000.50"]
    target = number(drawn[3], "width")
    committed = number(drawn[4], "width")
    assert abs(committed - target * 120000 / 500000) <= Decimal("0.02")
    assert number(drawn[5], "width") == 0


RECEIPTS = [
    DatedAmount(dt.date(2025, 3, 15), Decimal("1000.00")),
    DatedAmount(dt.date(2025, 1, 2), Decimal("250.50")),
    DatedAmount(dt.date(2025, 3, 15), Decimal("10.00")),
    DatedAmount(dt.date(2025, 5, 31), Decimal("40")),
]


def test_cumulative_chart_steps_up_at_each_day_to_the_running_total() -> None:
    root = parse(cumulative_chart(RECEIPTS, title="Receipts", format_value=fmt))
    points = root.xpath("//s:circle[@class='point']", namespaces=NS)
    assert len(points) == 3  # two receipts on 15 March make one step
    total = Decimal("250.50") + Decimal("1000.00") + Decimal("10.00") + Decimal("40")
    assert texts(root, "value") == [fmt(total)]
    heights = [number(p, "cy") for p in points]
    assert heights == sorted(heights, reverse=True)  # the line only rises (y grows downward)
    path = root.xpath("//s:path[@class='line']", namespaces=NS)[0].get("d")
    assert path.count("V") == 3


def test_cumulative_chart_has_a_label_for_each_month_spanned() -> None:
    root = parse(cumulative_chart(RECEIPTS, title="t", format_value=fmt))
    month_labels = [t for t in texts(root, "tick") if re.fullmatch(r"\d{4}-\d{2}", t)]
    assert month_labels == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    month_ticks = root.xpath("//s:line[@class='tick']", namespaces=NS)
    assert len(month_ticks) == 5 + 1  # each month start, and the start of June


def test_month_labels_are_thinned_out_when_they_would_overlap() -> None:
    receipts = [DatedAmount(dt.date(2023, 1, 1), Decimal(1)),
                DatedAmount(dt.date(2026, 12, 31), Decimal(1))]  # fmt: skip
    root = parse(cumulative_chart(receipts, title="t", format_value=fmt, width=400))
    month_labels = [t for t in texts(root, "tick") if re.fullmatch(r"\d{4}-\d{2}", t)]
    assert month_labels[0] == "2023-01"
    assert 1 < len(month_labels) < 48


def test_cumulative_chart_takes_a_month_formatter() -> None:
    def month(day: dt.date) -> str:
        return ["janv.", "févr.", "mars"][day.month - 1] + f" {day.year}"

    receipts = RECEIPTS[:3]
    root = parse(cumulative_chart(receipts, title="t", format_value=fmt, format_month=month))
    assert [t for t in texts(root, "tick") if " 2025" in t] == [
        "janv. 2025",
        "févr. 2025",
        "mars 2025",
    ]


def test_a_single_receipt_spans_its_month_and_rises_once() -> None:
    one = [DatedAmount(dt.date(2025, 7, 16), Decimal("500"))]
    root = parse(cumulative_chart(one, title="t", format_value=fmt, date_label="Date"))
    assert len(root.xpath("//s:circle[@class='point']", namespaces=NS)) == 1
    assert "2025-07" in texts(root, "tick")
    assert texts(root, "value") == [fmt(Decimal("500"))]
    assert texts(root, "axis-label") == ["Date"]


def test_receipt_order_does_not_change_the_chart() -> None:
    forward = cumulative_chart(RECEIPTS, title="t", format_value=fmt)
    backward = cumulative_chart(RECEIPTS[::-1], title="t", format_value=fmt)
    assert forward == backward


def test_no_receipts_gives_the_title_and_the_empty_text() -> None:
    root = parse(cumulative_chart([], title="t", format_value=fmt))
    assert texts(root, "empty") == ["No data"]
    assert root.xpath("//s:path", namespaces=NS) == []
