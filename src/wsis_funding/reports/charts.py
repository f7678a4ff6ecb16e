"""Deterministic SVG charts: labelled bars, funding against a target, cumulative receipts.

Each chart is a pure function of its values that returns SVG text; the same values give the
same bytes. There are no ids, no clock and no floats: coordinates are computed as Decimals in
the money context and written rounded half up to two decimals, without trailing zeros. The
markup is built with :mod:`xml.etree.ElementTree`, which escapes every text and attribute;
characters that XML cannot hold become U+FFFD. Text is set in "Noto Sans", the family the
PDF documents embed, on the root element.

Values arrive as :class:`~decimal.Decimal` (or int) with a ``format_value`` callable that
turns a value into display text, so the caller decides locale and currency (for instance
``lambda d: format_money(quantize(d, "CHF"), "fr")``). The same callable labels the value
axis ticks, whose number is chosen so that the widest label fits. Empty data gives the title
and an ``empty_text`` message; a single value or receipt is drawn like any other.

Elements carry classes for styling and tests: ``bar`` (with ``target``, ``committed`` and
``received`` in the funding chart), ``value``, ``category``, ``grid``, ``axis``, ``tick``,
``legend``, ``line`` and ``point``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, localcontext
from typing import Final, TypeAlias

import attrs

from wsis_funding.money import CONTEXT
from wsis_funding.reports.svg import (
    BAR,
    GAP,
    GRID,
    INNER,
    MUTED,
    PAD,
    TEXT_SIZE,
    TICK_SIZE,
    Canvas,
    domain,
    fit,
    mid,
    num,
    round_ticks,
    scale,
    text_width,
)

__all__ = ["Bar", "DatedAmount", "FundingRow", "bar_chart", "cumulative_chart", "funding_chart"]

Formatter: TypeAlias = Callable[[Decimal], str]

_SERIES: Final = (("target", "#c9d3df"), ("committed", "#6f9fd8"), ("received", "#1f4e8c"))
_SINGLE: Final = ("", "#2f6db5")


def _amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(
            f"chart values must be Decimal or int, not {type(value).__name__} ({value!r})"
        )
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"chart values must be finite, not {value!r}")
    return result


@attrs.frozen
class Bar:
    """One labelled value of a bar chart (``Bar("CHF", Decimal("125000.00"))``)."""

    label: str = attrs.field(validator=attrs.validators.instance_of(str))
    value: Decimal = attrs.field(converter=_amount)


@attrs.frozen(kw_only=True)
class FundingRow:
    """One row of the funding chart: a label with its target, committed and received sums."""

    label: str = attrs.field(validator=attrs.validators.instance_of(str))
    target: Decimal = attrs.field(converter=_amount)
    committed: Decimal = attrs.field(converter=_amount)
    received: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class DatedAmount:
    """One receipt of the cumulative chart: the day it arrived and its amount."""

    day: dt.date = attrs.field(validator=attrs.validators.instance_of(dt.date))
    amount: Decimal = attrs.field(converter=_amount)


def _horizontal(
    *,
    title: str,
    groups: Sequence[tuple[str, Sequence[Decimal]]],
    series: Sequence[tuple[str, str, str]],
    category_label: str,
    value_label: str,
    format_value: Formatter,
    width: int,
    height: int | None,
    empty_text: str,
    whole: bool = False,
) -> str:
    n = len(series)
    top = 44 + (24 if n > 1 else 0)
    bottom = 30 + (20 if value_label else 0)
    group_h = Decimal(n * BAR + (n - 1) * INNER + GAP)
    if height is None:
        height = top + int(group_h) * max(1, len(groups)) + bottom
    canvas = Canvas(width, height, title)
    if n > 1:
        x = Decimal(PAD)
        for name, cls, colour in series:
            canvas.rect(x, 44, 10, 10, cls=f"legend {cls}", fill=colour)
            canvas.text(x + 14, 53, name, cls="legend")
            x += 14 + text_width(name, TEXT_SIZE) + 16
    if not groups:
        canvas.text(mid(0, width), top + 24, empty_text, cls="empty", anchor="middle")
        return canvas.render()
    group_h = Decimal(height - top - bottom) / len(groups)  # as computed, or to fill height
    bar_h = (group_h - GAP - (n - 1) * INNER) / n
    if bar_h < 2:
        raise ValueError(f"height {height} px is too small for {len(groups)} groups of bars")
    values = [v for _, vs in groups for v in vs]
    texts = [format_value(v) for v in values]
    label_room = min(max(text_width(label, TEXT_SIZE) for label, _ in groups), width * 2 // 5)
    x0 = PAD + (20 if category_label else 0) + label_room + 8
    x1 = width - PAD - min(max(text_width(t, TEXT_SIZE) for t in texts) + 6, width // 3)
    plot_bottom = top + group_h * len(groups)
    if x1 - x0 < 40:
        raise ValueError(f"width {width} px is too small for the labels")
    lo, hi = domain(values)
    widest = max(text_width(format_value(v), TICK_SIZE) for v in (lo, hi))
    ticks = round_ticks(lo, hi, max(2, min(6, (x1 - x0) // (widest + 16))), whole=whole)
    sx = scale(ticks[0], ticks[-1], x0, x1)
    for tick in ticks:
        canvas.line(sx(tick), top, sx(tick), plot_bottom, cls="grid", stroke=GRID)
        canvas.text(sx(tick), plot_bottom + 16, format_value(tick), cls="tick", anchor="middle",
                    size=TICK_SIZE)  # fmt: skip
    zero = sx(0)
    texts_iter = iter(texts)
    for i, (label, group) in enumerate(groups):
        y = top + group_h * i + Decimal(GAP) / 2
        middle = y + (group_h - GAP) / 2
        shown = fit(label, TEXT_SIZE, label_room)
        canvas.text(x0 - 8, middle + 4, shown, cls="category", anchor="end")
        for (_, cls, colour), value in zip(series, group, strict=True):
            end = sx(value)
            left, right = min(zero, end), max(zero, end)
            canvas.rect(left, y, right - left, bar_h, cls=f"bar {cls}".strip(), fill=colour)
            canvas.text(right + 4, y + bar_h / 2 + 4, next(texts_iter), cls="value")
            y += bar_h + INNER
    canvas.line(zero, top, zero, plot_bottom, cls="axis", stroke=MUTED)
    if category_label:
        canvas.text(PAD + 10, mid(top, plot_bottom), category_label, cls="axis-label",
                    anchor="middle", vertical=True)  # fmt: skip
    if value_label:
        canvas.text(mid(x0, x1), plot_bottom + 38, value_label, cls="axis-label",
                    anchor="middle")  # fmt: skip
    return canvas.render()


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    format_value: Formatter,
    category_label: str = "",
    value_label: str = "",
    width: int = 640,
    height: int | None = None,
    empty_text: str = "No data",
    whole_numbers: bool = False,
) -> str:
    """Return a horizontal bar chart of ``bars`` in order, each with its formatted value.

    Bars grow from zero (negative values to the left). ``height`` defaults to what the bars
    need. ``whole_numbers`` keeps the value axis ticks on whole numbers (for counts). Raises
    ``ValueError`` if ``width`` or ``height`` is too small for the content.
    """
    with localcontext(CONTEXT):
        return _horizontal(
            title=title,
            groups=[(bar.label, (bar.value,)) for bar in bars],
            series=[("", *_SINGLE)],
            category_label=category_label,
            value_label=value_label,
            format_value=format_value,
            width=width,
            height=height,
            empty_text=empty_text,
            whole=whole_numbers,
        )


def funding_chart(
    rows: Sequence[FundingRow],
    *,
    title: str,
    format_value: Formatter,
    series_labels: tuple[str, str, str] = ("Target", "Committed", "Received"),
    category_label: str = "",
    value_label: str = "",
    width: int = 640,
    height: int | None = None,
    empty_text: str = "No data",
) -> str:
    """Return the funding chart: per row, target, committed and received bars and a legend.

    ``series_labels`` names the three bars in the legend (translate them for the locale).
    Raises ``ValueError`` if ``width`` or ``height`` is too small for the content.
    """
    series = [
        (name, cls, colour) for name, (cls, colour) in zip(series_labels, _SERIES, strict=True)
    ]
    with localcontext(CONTEXT):
        return _horizontal(
            title=title,
            groups=[(r.label, (r.target, r.committed, r.received)) for r in rows],
            series=series,
            category_label=category_label,
            value_label=value_label,
            format_value=format_value,
            width=width,
            height=height,
            empty_text=empty_text,
        )


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """Return the first day of each month from ``first``'s to the month after ``last``'s."""
    months = [first.replace(day=1)]
    while months[-1] <= last:
        d = months[-1]
        months.append(dt.date(d.year + d.month // 12, d.month % 12 + 1, 1))
    return months


def _iso_month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def cumulative_chart(
    receipts: Sequence[DatedAmount],
    *,
    title: str,
    format_value: Formatter,
    format_month: Callable[[dt.date], str] = _iso_month,
    date_label: str = "",
    value_label: str = "",
    width: int = 640,
    height: int = 360,
    empty_text: str = "No data",
) -> str:
    """Return a step chart of the running total of ``receipts`` over time.

    Receipts may come in any order; those of one day are added together. The time axis runs
    from the first day of the first receipt's month to the first day of the month after the
    last, with a tick at each month start and month labels (``format_month``, ISO
    ``2025-07`` by default) thinned out to fit. The line starts at zero and the final total
    is written at its right end. Raises ``ValueError`` if the chart is too small.
    """
    with localcontext(CONTEXT):
        canvas = Canvas(width, height, title)
        top, bottom = 52, height - (30 + (20 if date_label else 0))
        if not receipts:
            canvas.text(mid(0, width), top + 24, empty_text, cls="empty", anchor="middle")
            return canvas.render()
        per_day: dict[dt.date, Decimal] = {}
        for receipt in receipts:
            per_day[receipt.day] = per_day.get(receipt.day, Decimal(0)) + receipt.amount
        running, steps = Decimal(0), []
        for day in sorted(per_day):
            running += per_day[day]
            steps.append((day, running))
        lo, hi = domain([total for _, total in steps])
        ticks = round_ticks(lo, hi, max(2, min(6, (bottom - top) // 40)))
        tick_texts = [format_value(t) for t in ticks]
        x0 = PAD + (20 if value_label else 0) + max(text_width(t, TICK_SIZE) for t in tick_texts)
        x0 += 8
        x1 = width - PAD - 8
        if x1 - x0 < 40 or bottom - top < 40:
            raise ValueError(f"{width}x{height} px is too small for this chart")
        months = _month_starts(steps[0][0], steps[-1][0])
        sx = scale(0, (months[-1] - months[0]).days, x0, x1)
        sy = scale(ticks[0], ticks[-1], bottom, top)

        def x_of(day: dt.date) -> Decimal:
            return sx((day - months[0]).days)

        for tick, text in zip(ticks, tick_texts, strict=True):
            canvas.line(x0, sy(tick), x1, sy(tick), cls="grid", stroke=GRID)
            canvas.text(x0 - 6, sy(tick) + 4, text, cls="tick", anchor="end", size=TICK_SIZE)
        labels = [format_month(m) for m in months[:-1]]
        room = (x1 - x0) / len(labels)
        widest = max(text_width(t, TICK_SIZE) for t in labels) + 8
        every = max(1, -(-widest // max(1, int(room))))  # label every n-th month so they fit
        for i, month in enumerate(months):
            canvas.line(x_of(month), bottom, x_of(month), bottom + 4, cls="tick", stroke=MUTED)
            if i < len(labels) and i % every == 0:
                middle = (x_of(month) + x_of(months[i + 1])) / 2
                canvas.text(middle, bottom + 16, labels[i], cls="tick", anchor="middle",
                            size=TICK_SIZE)  # fmt: skip
        canvas.line(x0, sy(0), x1, sy(0), cls="axis", stroke=MUTED)
        path = [f"M{num(x0)} {num(sy(0))}"]
        for day, total in steps:
            path.append(f"H{num(x_of(day))} V{num(sy(total))}")
        path.append(f"H{num(x1)}")
        canvas.element(
            "path",
            {"class": "line", "d": " ".join(path), "fill": "none", "stroke": _SERIES[2][1],
             "stroke-width": "2"},
        )  # fmt: skip
        for day, total in steps:
            canvas.element(
                "circle",
                {"class": "point", "cx": num(x_of(day)), "cy": num(sy(total)), "r": "3",
                 "fill": _SERIES[2][1]},
            )  # fmt: skip
        canvas.text(x1, sy(steps[-1][1]) - 8, format_value(steps[-1][1]), cls="value",
                    anchor="end", bold=True)  # fmt: skip
        if value_label:
            canvas.text(PAD + 10, mid(top, bottom), value_label, cls="axis-label",
                        anchor="middle", vertical=True)  # fmt: skip
        if date_label:
            canvas.text(mid(x0, x1), bottom + 38, date_label, cls="axis-label",
                        anchor="middle")  # fmt: skip
        return canvas.render()
