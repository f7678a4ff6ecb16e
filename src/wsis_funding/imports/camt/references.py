"""Payment references found in bank statements: ISO 11649 (RF), Swiss QR and legacy ISR.

Pure helpers, used by the statement parser and by whoever matches a bank line to an invoice:

- an RF reference (``RF18 5390 0754 7034``) is checked with its ISO 7064 mod 97-10 digits and
  returned in compact upper-case form; :func:`find_rf_references` finds them in free text,
  where foreign payers type them with spaces and in lower case;
- a Swiss QR reference is exactly 27 digits whose last is the mod 10 recursive check digit;
- a legacy ISR (ESR/BVR) reference has the same check digit but may be printed without its
  leading zeros; it is returned padded to 27 digits.

Nothing here raises: a text that is not a valid reference gives ``None`` or ``False``. The
results are cached (the same reference recurs across the lines of a statement): every
function is pure.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from stdnum import iso11649
from stdnum.ch import esr

__all__ = [
    "QR_REFERENCE_LENGTH",
    "compact_rf",
    "find_rf_references",
    "is_valid_isr_reference",
    "is_valid_qr_reference",
    "is_valid_rf",
    "isr_reference",
    "qr_reference",
]

QR_REFERENCE_LENGTH: Final = 27
_RF_BODY_MAX: Final = 21
# "RF" (any case, optionally followed by one space) and the two check digits, not glued to a
# preceding letter or digit ("XRF12" is not a reference), then groups of letters and digits
# separated by single spaces: the printed form is groups of four.
_RF_START: Final = re.compile(r"(?<![0-9A-Za-z])[Rr][Ff] ?([0-9]{2})")
_GROUP: Final = re.compile(r" ?([0-9A-Za-z]+)")
_SPACES: Final = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def compact_rf(text: str) -> str | None:
    """Return ``text`` as a compact upper-case RF reference if it is a valid one, else None.

    Spaces anywhere and lower case are tolerated (``"rf18 5390 0754 7034"`` gives
    ``"RF18539007547034"``); the check digits must be right. Never raises.
    """
    if not isinstance(text, str):
        return None
    compact = _SPACES.sub("", text).upper()
    if not (5 <= len(compact) <= 4 + _RF_BODY_MAX) or not compact.isascii():
        return None
    if not compact.startswith("RF") or not compact[2:4].isdigit() or not compact.isalnum():
        return None
    return compact if iso11649.is_valid(compact) else None


def is_valid_rf(text: str) -> bool:
    """Return whether ``text`` is a valid ISO 11649 reference (spaces and lower case allowed)."""
    return compact_rf(text) is not None


@functools.lru_cache(maxsize=4096)
def find_rf_references(text: str) -> tuple[str, ...]:
    """Return every valid RF reference in free text, compact and upper case, in text order.

    Only candidates that start with ``RF`` and two digits are considered. The body is taken
    group by group (groups of letters and digits separated by single spaces) and the longest
    run of whole groups, at most 21 characters, whose check digits are right wins: so
    ``"paid rf18 5390 0754 7034 thanks"`` gives ``("RF18539007547034",)`` and the word after
    the reference is not swallowed. A reference with wrong check digits is not returned.
    Never raises.
    """
    if not isinstance(text, str):
        return ()
    found: list[str] = []
    pos = 0
    while (start := _RF_START.search(text, pos)) is not None:
        groups: list[str] = []
        length = 0
        end = start.end()
        ends: list[int] = []
        while (group := _GROUP.match(text, end)) is not None:
            length += len(group.group(1))
            if length > _RF_BODY_MAX:
                break
            groups.append(group.group(1))
            end = group.end()
            ends.append(end)
        match_end = None
        for n in range(len(groups), 0, -1):
            candidate = f"RF{start.group(1)}{''.join(groups[:n])}".upper()
            if iso11649.is_valid(candidate):
                found.append(candidate)
                match_end = ends[n - 1]
                break
        pos = match_end if match_end is not None else start.start() + 1
    return tuple(found)


def _digits(text: str) -> str | None:
    if not isinstance(text, str):
        return None
    compact = _SPACES.sub("", text)
    if not compact or not compact.isascii() or not compact.isdigit():
        return None
    return compact


@functools.lru_cache(maxsize=4096)
def qr_reference(text: str) -> str | None:
    """Return the 27-digit Swiss QR reference in ``text`` (spaces allowed), or None if invalid.

    A QR reference is exactly 27 digits; the last is the mod 10 recursive check digit of the
    first 26. Never raises.
    """
    digits = _digits(text)
    if digits is None or len(digits) != QR_REFERENCE_LENGTH:
        return None
    return digits if esr.calc_check_digit(digits[:-1]) == digits[-1] else None


def is_valid_qr_reference(text: str) -> bool:
    """Return whether ``text`` is a valid Swiss QR reference (27 digits, mod 10 recursive)."""
    return qr_reference(text) is not None


@functools.lru_cache(maxsize=4096)
def isr_reference(text: str) -> str | None:
    """Return a legacy ISR reference padded to 27 digits, or None if it is not a valid one.

    ISR references were printed in groups of five and without their leading zeros, so any
    2 to 27 digits are accepted when the last is the mod 10 recursive check digit of the rest.
    Never raises.
    """
    digits = _digits(text)
    if digits is None or not (2 <= len(digits) <= QR_REFERENCE_LENGTH):
        return None
    padded = digits.zfill(QR_REFERENCE_LENGTH)
    return padded if esr.calc_check_digit(padded[:-1]) == padded[-1] else None


def is_valid_isr_reference(text: str) -> bool:
    """Return whether ``text`` is a valid legacy ISR reference (mod 10 recursive)."""
    return isr_reference(text) is not None
