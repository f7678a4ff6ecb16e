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
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from typing import Final, TypeAlias

import attrs

from wsis_funding.money import CONTEXT

__all__ = ["Bar", "DatedAmount", "FundingRow", "bar_chart", "cumulative_chart", "funding_chart"]

Formatter: TypeAlias = Callable[[Decimal], str]
Num: TypeAlias = Decimal | int

FONT_FAMILY: Final = "Noto Sans"
_SVG_NS: Final = "http://www.w3.org/2000/svg"
_TITLE_SIZE: Final = 16
_TEXT_SIZE: Final = 12
_TICK_SIZE: Final = 11
_PAD: Final = 12
_BAR: Final = 18
_GAP: Final = 12
_INNER: Final = 2
_HUNDREDTH: Final = Decimal("0.01")
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INK: Final = "#1d232b"
_MUTED: Final = "#5b6470"
_GRID: Final = "#e3e6ea"
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


def _num(value: Num) -> str:
    q = Decimal(value).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP, context=CONTEXT)
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _mid(a: Num, b: Num) -> Decimal:
    return (Decimal(a) + Decimal(b)) / 2


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _text_width(text: str, size: int) -> int:
    """Estimate the width of ``text`` in px: 0.6 em a character, 1 em a wide (CJK) one."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return ((len(text) - wide) * size * 3 + wide * size * 5 + 4) // 5


def _fit(text: str, size: int, limit: int) -> str:
    if _text_width(text, size) <= limit:
        return text
    while text and _text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


class _Canvas:
    """An SVG document under construction; every drawing call appends one element."""

    def __init__(self, width: int, height: int, title: str) -> None:
        for name, size in (("width", width), ("height", height)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 80:
                raise ValueError(f"{name} must be an int of at least 80 px, not {size!r}")
        self.root = ET.Element(
            "svg",
            {
                "xmlns": _SVG_NS,
                "width": str(width),
                "height": str(height),
                "viewBox": f"0 0 {width} {height}",
                "font-family": FONT_FAMILY,
                "font-size": str(_TEXT_SIZE),
                "fill": _INK,
                "role": "img",
                "aria-label": _clean(title),
            },
        )
        ET.SubElement(self.root, "title").text = _clean(title)
        self.rect(0, 0, width, height, cls="background", fill="#ffffff")
        self.text(_PAD, 26, title, cls="title", size=_TITLE_SIZE, bold=True)

    def rect(self, x: Num, y: Num, w: Num, h: Num, *, cls: str, fill: str) -> None:
        attrs_ = {"class": cls, "x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h)}
        ET.SubElement(self.root, "rect", {**attrs_, "fill": fill})

    def line(self, x1: Num, y1: Num, x2: Num, y2: Num, *, cls: str, stroke: str) -> None:
        ET.SubElement(
            self.root,
            "line",
            {"class": cls, "x1": _num(x1), "y1": _num(y1), "x2": _num(x2), "y2": _num(y2),
             "stroke": stroke, "stroke-width": "1"},
        )  # fmt: skip

    def text(
        self,
        x: Num,
        y: Num,
        content: str,
        *,
        cls: str,
        anchor: str = "start",
        size: int = _TEXT_SIZE,
        bold: bool = False,
        vertical: bool = False,
    ) -> None:
        attributes = {"class": cls, "x": _num(x), "y": _num(y)}
        if anchor != "start":
            attributes["text-anchor"] = anchor
        if size != _TEXT_SIZE:
            attributes["font-size"] = str(size)
        if bold:
            attributes["font-weight"] = "bold"
        if vertical:
            attributes["transform"] = f"rotate(-90 {_num(x)} {_num(y)})"
        ET.SubElement(self.root, "text", attributes).text = _clean(content)

    def element(self, tag: str, attributes: dict[str, str]) -> None:
        ET.SubElement(self.root, tag, attributes)

    def render(self) -> str:
        return ET.tostring(self.root, encoding="unicode") + "\n"


def _ticks(lo: Decimal, hi: Decimal, most: int, *, whole: bool = False) -> list[Decimal]:
    """Return evenly spaced round values (1, 2 or 5 times a power of ten) covering lo..hi.

    With ``whole``, the step is at least 1 (a count has no half partners).
    """
    if lo == hi:
        hi = lo + 1
    raw = (hi - lo) / max(1, most - 1)
    exponent = raw.adjusted()
    mantissa = raw.scaleb(-exponent)
    nice = next(n for n in (1, 2, 5, 10) if n >= mantissa)
    step = Decimal(nice).scaleb(exponent)
    if whole and step < 1:
        step = Decimal(1)
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING) * step
    count = int((last - first) / step)
    exact = Decimal(1).scaleb(min(0, step.adjusted()))
    return [(first + k * step).quantize(exact) for k in range(count + 1)]


def _domain(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    return min([Decimal(0), *values]), max([Decimal(0), *values])


def _scale(lo: Num, hi: Num, start: Num, end: Num) -> Callable[[Num], Decimal]:
    span = Decimal(hi) - Decimal(lo)
    return lambda v: Decimal(start) + (Decimal(v) - Decimal(lo)) * (Decimal(end) - start) / span


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
    group_h = Decimal(n * _BAR + (n - 1) * _INNER + _GAP)
    if height is None:
        height = top + int(group_h) * max(1, len(groups)) + bottom
    canvas = _Canvas(width, height, title)
    if n > 1:
        x = Decimal(_PAD)
        for name, cls, colour in series:
            canvas.rect(x, 44, 10, 10, cls=f"legend {cls}", fill=colour)
            canvas.text(x + 14, 53, name, cls="legend")
            x += 14 + _text_width(name, _TEXT_SIZE) + 16
    if not groups:
        canvas.text(_mid(0, width), top + 24, empty_text, cls="empty", anchor="middle")
        return canvas.render()
    group_h = Decimal(height - top - bottom) / len(groups)  # as computed, or to fill height
    bar_h = (group_h - _GAP - (n - 1) * _INNER) / n
    if bar_h < 2:
        raise ValueError(f"height {height} px is too small for {len(groups)} groups of bars")
    values = [v for _, vs in groups for v in vs]
    texts = [format_value(v) for v in values]
    label_room = min(max(_text_width(label, _TEXT_SIZE) for label, _ in groups), width * 2 // 5)
    x0 = _PAD + (20 if category_label else 0) + label_room + 8
    x1 = width - _PAD - min(max(_text_width(t, _TEXT_SIZE) for t in texts) + 6, width // 3)
    plot_bottom = top + group_h * len(groups)
    if x1 - x0 < 40:
        raise ValueError(f"width {width} px is too small for the labels")
    lo, hi = _domain(values)
    widest = max(_text_width(format_value(v), _TICK_SIZE) for v in (lo, hi))
    ticks = _ticks(lo, hi, max(2, min(6, (x1 - x0) // (widest + 16))), whole=whole)
    sx = _scale(ticks[0], ticks[-1], x0, x1)
    for tick in ticks:
        canvas.line(sx(tick), top, sx(tick), plot_bottom, cls="grid", stroke=_GRID)
        canvas.text(sx(tick), plot_bottom + 16, format_value(tick), cls="tick", anchor="middle",
                    size=_TICK_SIZE)  # fmt: skip
    zero = sx(0)
    texts_iter = iter(texts)
    for i, (label, group) in enumerate(groups):
        y = top + group_h * i + Decimal(_GAP) / 2
        middle = y + (group_h - _GAP) / 2
        shown = _fit(label, _TEXT_SIZE, label_room)
        canvas.text(x0 - 8, middle + 4, shown, cls="category", anchor="end")
        for (_, cls, colour), value in zip(series, group, strict=True):
            end = sx(value)
            left, right = min(zero, end), max(zero, end)
            canvas.rect(left, y, right - left, bar_h, cls=f"bar {cls}".strip(), fill=colour)
            canvas.text(right + 4, y + bar_h / 2 + 4, next(texts_iter), cls="value")
            y += bar_h + _INNER
    canvas.line(zero, top, zero, plot_bottom, cls="axis", stroke=_MUTED)
    if category_label:
        canvas.text(_PAD + 10, _mid(top, plot_bottom), category_label, cls="axis-label",
                    anchor="middle", vertical=True)  # fmt: skip
    if value_label:
        canvas.text(_mid(x0, x1), plot_bottom + 38, value_label, cls="axis-label",
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
        canvas = _Canvas(width, height, title)
        top, bottom = 52, height - (30 + (20 if date_label else 0))
        if not receipts:
            canvas.text(_mid(0, width), top + 24, empty_text, cls="empty", anchor="middle")
            return canvas.render()
        per_day: dict[dt.date, Decimal] = {}
        for receipt in receipts:
            per_day[receipt.day] = per_day.get(receipt.day, Decimal(0)) + receipt.amount
        running, steps = Decimal(0), []
        for day in sorted(per_day):
            running += per_day[day]
            steps.append((day, running))
        lo, hi = _domain([total for _, total in steps])
        ticks = _ticks(lo, hi, max(2, min(6, (bottom - top) // 40)))
        tick_texts = [format_value(t) for t in ticks]
        x0 = _PAD + (20 if value_label else 0) + max(_text_width(t, _TICK_SIZE) for t in tick_texts)
        x0 += 8
        x1 = width - _PAD - 8
        if x1 - x0 < 40 or bottom - top < 40:
            raise ValueError(f"{width}x{height} px is too small for this chart")
        months = _month_starts(steps[0][0], steps[-1][0])
        sx = _scale(0, (months[-1] - months[0]).days, x0, x1)
        sy = _scale(ticks[0], ticks[-1], bottom, top)

        def x_of(day: dt.date) -> Decimal:
            return sx((day - months[0]).days)

        for tick, text in zip(ticks, tick_texts, strict=True):
            canvas.line(x0, sy(tick), x1, sy(tick), cls="grid", stroke=_GRID)
            canvas.text(x0 - 6, sy(tick) + 4, text, cls="tick", anchor="end", size=_TICK_SIZE)
        labels = [format_month(m) for m in months[:-1]]
        room = (x1 - x0) / len(labels)
        widest = max(_text_width(t, _TICK_SIZE) for t in labels) + 8
        every = max(1, -(-widest // max(1, int(room))))  # label every n-th month so they fit
        for i, month in enumerate(months):
            canvas.line(x_of(month), bottom, x_of(month), bottom + 4, cls="tick", stroke=_MUTED)
            if i < len(labels) and i % every == 0:
                middle = (x_of(month) + x_of(months[i + 1])) / 2
                canvas.text(middle, bottom + 16, labels[i], cls="tick", anchor="middle",
                            size=_TICK_SIZE)  # fmt: skip
        canvas.line(x0, sy(0), x1, sy(0), cls="axis", stroke=_MUTED)
        path = [f"M{_num(x0)} {_num(sy(0))}"]
        for day, total in steps:
            path.append(f"H{_num(x_of(day))} V{_num(sy(total))}")
        path.append(f"H{_num(x1)}")
        canvas.element(
            "path",
            {"class": "line", "d": " ".join(path), "fill": "none", "stroke": _SERIES[2][1],
             "stroke-width": "2"},
        )  # fmt: skip
        for day, total in steps:
            canvas.element(
                "circle",
                {"class": "point", "cx": _num(x_of(day)), "cy": _num(sy(total)), "r": "3",
                 "fill": _SERIES[2][1]},
            )  # fmt: skip
        canvas.text(x1, sy(steps[-1][1]) - 8, format_value(steps[-1][1]), cls="value",
                    anchor="end", bold=True)  # fmt: skip
        if value_label:
            canvas.text(_PAD + 10, _mid(top, bottom), value_label, cls="axis-label",
                        anchor="middle", vertical=True)  # fmt: skip
        if date_label:
            canvas.text(_mid(x0, x1), bottom + 38, date_label, cls="axis-label",
                        anchor="middle")  # fmt: skip
        return canvas.render()
