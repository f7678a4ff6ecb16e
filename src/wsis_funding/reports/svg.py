"""The SVG canvas the charts draw on: Decimal coordinates, escaped text, round axis ticks.

Coordinates are Decimals in the money context, written rounded half up to two decimals
without trailing zeros; there are no ids, no clock and no floats, so the same drawing gives
the same bytes. The markup is built with :mod:`xml.etree.ElementTree`, which escapes every
text and attribute; characters that XML cannot hold become U+FFFD. Text is set in "Noto
Sans", the family the PDF documents embed, on the root element.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Final, TypeAlias

from wsis_funding.money import CONTEXT

__all__ = [
    "BAR",
    "FONT_FAMILY",
    "GAP",
    "GRID",
    "INK",
    "INNER",
    "MUTED",
    "PAD",
    "SVG_NS",
    "TEXT_SIZE",
    "TICK_SIZE",
    "TITLE_SIZE",
    "Canvas",
    "Num",
    "clean",
    "domain",
    "fit",
    "mid",
    "num",
    "round_ticks",
    "scale",
    "text_width",
]

Num: TypeAlias = Decimal | int

FONT_FAMILY: Final = "Noto Sans"
SVG_NS: Final = "http://www.w3.org/2000/svg"
TITLE_SIZE: Final = 16
TEXT_SIZE: Final = 12
TICK_SIZE: Final = 11
PAD: Final = 12
BAR: Final = 18
GAP: Final = 12
INNER: Final = 2
_HUNDREDTH: Final = Decimal("0.01")
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INK: Final = "#1d232b"
MUTED: Final = "#5b6470"
GRID: Final = "#e3e6ea"


def num(value: Num) -> str:
    """Return a coordinate rounded half up to two decimals, without trailing zeros."""
    q = Decimal(value).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP, context=CONTEXT)
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def mid(a: Num, b: Num) -> Decimal:
    """Return the middle of ``a`` and ``b``."""
    return (Decimal(a) + Decimal(b)) / 2


def clean(text: str) -> str:
    """Return ``text`` with the characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def text_width(text: str, size: int) -> int:
    """Estimate the width of ``text`` in px: 0.6 em a character, 1 em a wide (CJK) one."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return ((len(text) - wide) * size * 3 + wide * size * 5 + 4) // 5


def fit(text: str, size: int, limit: int) -> str:
    """Return ``text``, cut with an ellipsis if wider than ``limit`` px at ``size``."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


class Canvas:
    """An SVG document under construction; every drawing call appends one element."""

    def __init__(self, width: int, height: int, title: str) -> None:
        for name, size in (("width", width), ("height", height)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 80:
                raise ValueError(f"{name} must be an int of at least 80 px, not {size!r}")
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "width": str(width),
                "height": str(height),
                "viewBox": f"0 0 {width} {height}",
                "font-family": FONT_FAMILY,
                "font-size": str(TEXT_SIZE),
                "fill": INK,
                "role": "img",
                "aria-label": clean(title),
            },
        )
        ET.SubElement(self.root, "title").text = clean(title)
        self.rect(0, 0, width, height, cls="background", fill="#ffffff")
        self.text(PAD, 26, title, cls="title", size=TITLE_SIZE, bold=True)

    def rect(self, x: Num, y: Num, w: Num, h: Num, *, cls: str, fill: str) -> None:
        """Draw a filled rectangle."""
        attrs_ = {"class": cls, "x": num(x), "y": num(y), "width": num(w), "height": num(h)}
        ET.SubElement(self.root, "rect", {**attrs_, "fill": fill})

    def line(self, x1: Num, y1: Num, x2: Num, y2: Num, *, cls: str, stroke: str) -> None:
        """Draw a one-pixel line."""
        ET.SubElement(
            self.root,
            "line",
            {"class": cls, "x1": num(x1), "y1": num(y1), "x2": num(x2), "y2": num(y2),
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
        size: int = TEXT_SIZE,
        bold: bool = False,
        vertical: bool = False,
    ) -> None:
        """Write ``content`` with its baseline at (x, y); ``vertical`` turns it a quarter left."""
        attributes = {"class": cls, "x": num(x), "y": num(y)}
        if anchor != "start":
            attributes["text-anchor"] = anchor
        if size != TEXT_SIZE:
            attributes["font-size"] = str(size)
        if bold:
            attributes["font-weight"] = "bold"
        if vertical:
            attributes["transform"] = f"rotate(-90 {num(x)} {num(y)})"
        ET.SubElement(self.root, "text", attributes).text = clean(content)

    def element(self, tag: str, attributes: dict[str, str]) -> None:
        """Append any element (a path, a circle) with its attributes."""
        ET.SubElement(self.root, tag, attributes)

    def render(self) -> str:
        """Return the drawing as SVG text, ending with a newline."""
        return ET.tostring(self.root, encoding="unicode") + "\n"


def round_ticks(lo: Decimal, hi: Decimal, most: int, *, whole: bool = False) -> list[Decimal]:
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


def domain(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest of ``values`` and zero (bars grow from zero)."""
    return min([Decimal(0), *values]), max([Decimal(0), *values])


def scale(lo: Num, hi: Num, start: Num, end: Num) -> Callable[[Num], Decimal]:
    """Return the linear map of ``lo``..``hi`` onto ``start``..``end``."""
    span = Decimal(hi) - Decimal(lo)
    return lambda v: Decimal(start) + (Decimal(v) - Decimal(lo)) * (Decimal(end) - start) / span
