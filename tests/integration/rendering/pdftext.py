"""Finding printed texts and figures in what pdftotext extracts, in any of the six languages.

pdftotext returns Arabic in logical order but with each lam-alef ligature as its two letters
the other way round ("استالم" for "استلام") and diacritics detached; mixed Arabic and Latin
runs (dates, "CHF") come out in visual order. :func:`key` undoes the first two, and
:func:`appears` looks for each word of an Arabic value on its own.
"""

from __future__ import annotations

import re
import unicodedata

_LAM = "\u0644"
_ALEFS = "\u0627\u0623\u0625\u0622\u0649"  # alef, with hamza above/below, madda; alef maksura


def squash(text: str) -> str:
    """Drop format characters and all whitespace, NFKC-normalise (Arabic presentation forms)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", "".join(c for c in text if unicodedata.category(c) != "Cf"))


def key(text: str, *, expected: bool = False) -> str:
    """Return ``text`` squashed, without diacritics, and (``expected``) as pdftotext spells it."""
    text = "".join(c for c in squash(text) if unicodedata.category(c) != "Mn")
    if expected:
        for alef in _ALEFS:
            text = text.replace(_LAM + alef, alef + _LAM)
    return text


def has(text: str, expected: str) -> bool:
    """Whether ``expected`` (a label or sentence in one direction) is in the extracted text."""
    return key(expected, expected=True) in key(text)


def appears(text: str, expected: str, language: str) -> bool:
    """Whether ``expected`` (an amount, a date, a mixed sentence) is in the extracted text.

    For Arabic each word of ``expected`` is looked for on its own (mixed runs are extracted
    in visual order); elsewhere the whole squashed text is.
    """
    if language == "ar":
        words = "".join(c if c.isalnum() or c in ".,-" else " " for c in expected).split()
        return all(has(text, word.strip(".,-")) for word in words if word.strip(".,-"))
    return has(text, expected)


def count(text: str, amount: str, language: str) -> int:
    """How many times a formatted amount is printed (for Arabic: its figures)."""
    if language == "ar":
        amount = max(amount.replace("\xa0", " ").split(), key=lambda w: sum(c.isdigit() for c in w))
    return key(text).count(key(amount, expected=True))
