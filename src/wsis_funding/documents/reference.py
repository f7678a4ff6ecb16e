"""ISO 11649 structured creditor references ("RF" references) derived from invoice numbers.

The reference lets the bank statement be matched back to the invoice: the body is the invoice
number with every character that is not an ASCII letter or digit removed and letters upper-cased
(``WSIS-2024-0001`` -> ``RF..WSIS20240001``). The body is never truncated: two invoice numbers
that differ only beyond the 21st character would otherwise share a reference.
"""

from __future__ import annotations

import re
import string
from typing import Final

from wsis_funding.documents.errors import InvalidCreditorReference

__all__ = ["MAX_BODY_LENGTH", "creditor_reference", "is_valid_creditor_reference"]

MAX_BODY_LENGTH: Final = 21
_ALNUM: Final = frozenset(string.ascii_uppercase + string.digits)
_SHAPE: Final = re.compile(r"RF[0-9]{2}[0-9A-Z]{1,21}")


def _mod97(text: str) -> int:
    """Return the ISO 7064 mod 97-10 remainder of ``text`` with letters as 10..35."""
    digits = "".join(str(int(c, 36)) for c in text)
    return int(digits) % 97


def creditor_reference(invoice_number: str) -> str:
    """Return the ISO 11649 creditor reference (``RF`` + 2 check digits + body) for a number.

    Raises :class:`InvalidCreditorReference` if the number holds no ASCII letter or digit, or
    more than 21 of them (a reference body has at most 21 characters).
    """
    body = "".join(c for c in invoice_number.upper() if c in _ALNUM)
    if not body:
        raise InvalidCreditorReference(invoice_number, "it contains no ASCII letter or digit")
    if len(body) > MAX_BODY_LENGTH:
        raise InvalidCreditorReference(
            invoice_number,
            f"{len(body)} letters and digits; a reference body holds at most {MAX_BODY_LENGTH}",
        )
    check = 98 - _mod97(body + "RF00")
    return f"RF{check:02d}{body}"


def is_valid_creditor_reference(reference: str) -> bool:
    """Return whether ``reference`` is a well-formed ISO 11649 reference with correct check digits.

    Spaces (as in the printed groups of four) are ignored; letters must be upper case. Never raises.
    """
    if not isinstance(reference, str):
        return False
    compact = reference.replace(" ", "")
    if not _SHAPE.fullmatch(compact):
        return False
    return _mod97(compact[4:] + compact[:4]) == 1
