"""Fonts: one WeasyPrint FontConfiguration per process, and a check that every glyph is drawable.

WeasyPrint lays text out with Pango, which takes fonts from fontconfig and falls back to any
installed font that has a character. A character that no installed font has would print as a
box ("tofu"), so before rendering we look every character up in the union of the character sets
fontconfig reports for the installed fonts, and raise :class:`MissingGlyphs` if one is missing.
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from wsis_funding.rendering.errors import MissingGlyphs

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

__all__ = [
    "check_glyphs",
    "covered_ranges",
    "drawn_text",
    "font_configuration",
    "missing_characters",
]

# Control, format (bidi marks, joiners) and separator characters have no visible glyph: Pango
# handles them without a font.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


@functools.cache
def covered_ranges() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Return (starts, ends) of the merged code point ranges some installed font covers.

    Asks ``fc-list`` once per process. Raises ``FileNotFoundError`` if fontconfig's ``fc-list``
    is not installed (Debian package ``fontconfig``).
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise FileNotFoundError("fc-list (Debian package fontconfig) is needed to check glyphs")
    output = subprocess.run(
        [fc_list, "--format", "%{charset}\n"], check=True, capture_output=True, text=True
    ).stdout
    ranges: list[tuple[int, int]] = []
    for token in output.split():
        first, _, last = token.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    ranges.sort()
    merged: list[list[int]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def missing_characters(text: Iterable[str]) -> set[str]:
    """Return the visible characters of ``text`` that no installed font covers."""
    starts, ends = covered_ranges()
    missing: set[str] = set()
    for char in set("".join(text)):
        if char.isspace() or unicodedata.category(char) in _INVISIBLE:
            continue
        code = ord(char)
        i = bisect.bisect_right(starts, code) - 1
        if i < 0 or code > ends[i]:
            missing.add(char)
    return missing


def check_glyphs(text: Iterable[str]) -> None:
    """Raise :class:`MissingGlyphs` (with characters and code points) if a glyph is missing."""
    missing = missing_characters(text)
    if missing:
        raise MissingGlyphs(missing)


@functools.cache
def font_configuration() -> FontConfiguration:
    """Return the process-wide WeasyPrint FontConfiguration (building one is slow)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class _TextCollector(HTMLParser):
    _HIDDEN = frozenset({"head", "style", "script", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def drawn_text(markup: str) -> str:
    """Return the text content of HTML or SVG markup that will be drawn (not head, style)."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return "".join(collector.parts)
