"""Pure validation rules for reference data: partner and edition texts, countries, e-mails, keys.

The partner and edition use cases and value types call these before anything is stored, so
that SQLite and PostgreSQL see only clean values and answer alike. Every problem is an
:class:`InvalidField` naming the field, the value and what is expected; a value of the wrong
type is a ``TypeError`` naming the field.

Decisions, in one place:

- Texts are NFC-normalised and trimmed of surrounding Unicode White_Space; inside, they may not
  hold C0/C1 control characters (category Cc: NUL, tab, newline, ...), lone surrogates (they
  cannot be encoded to UTF-8), non-characters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF), line and
  paragraph separators (U+2028, U+2029: every field is a single line) or bidirectional
  embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069: they can make a printed
  name read differently from the stored one). Marks such as LRM/RLM and ZWJ/ZWNJ stay allowed:
  Arabic and Persian names need them. Length is counted in characters after normalisation.
- Whether the document fonts can draw a text is the rendering code's business; :func:`clean_text`
  takes a ``missing_glyphs`` callable as the seam and reports what it says is missing.
- Country codes are never upper-cased for the caller: ``ch`` is refused with a hint.
- :func:`identity_key` removes all whitespace, so ``AC ME`` and ``ACME`` collide: a missed
  duplicate (two records for one sponsor) costs more than asking for a distinct short name.
- The per-field rules of partners and editions (:func:`partner_text`, :func:`edition_text`,
  :func:`check_invoice_prefix`, :func:`check_choice`, ...) are what the frozen types of
  :mod:`wsis_funding.ledger.model` run as attrs converters, so that an invalid value cannot
  even be built. Lengths are the Swiss QR-bill's where the field is printed in its debtor
  block (name 70, street 70, building number 16, postcode 16, town 35), else the column's.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import string
import unicodedata
from collections.abc import Callable, Collection
from typing import Final, Literal, TypeVar, overload

from wsis_funding.ledger.errors import InvalidField
from wsis_funding.ledger.iso3166 import COUNTRY_CODES

__all__ = [
    "LIMITS",
    "MAX_PREFIX_BODY",
    "InvalidField",
    "check_choice",
    "check_country",
    "check_date",
    "check_email",
    "check_invoice_prefix",
    "check_new_id",
    "check_optional_email",
    "clean_text",
    "edition_text",
    "identity_key",
    "partner_text",
    "reference_body",
    "search_key",
]

E = TypeVar("E", bound=enum.Enum)

#: Unicode White_Space (Python's ``str.isspace`` adds U+001C..U+001F, which are controls here).
_WHITE_SPACE: Final = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SHOWN: Final = 60
_ALNUM: Final = frozenset(string.ascii_uppercase + string.digits)
#: Reserved codes that people write for a country which has another code.
_RESERVED_FOR: Final = {"UK": "GB", "EL": "GR"}
#: Characters that RFC 5322 allows in a local part only inside quotes, which we do not accept.
_NEEDS_QUOTES: Final = frozenset('"(),:;<>[\\]')
_MAX_EMAIL: Final = 254
_MAX_LOCAL: Final = 64
_MAX_LABEL: Final = 63


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 5]}...{text[-2:]}"


def _code_point(c: str) -> str:
    name = unicodedata.name(c, "")
    if not name:
        kinds = {"Cc": "control", "Cs": "surrogate", "Co": "private use"}
        name = "non-character" if _is_noncharacter(c) else kinds.get(unicodedata.category(c), "")
    return f"U+{ord(c):04X}" + (f" {name}" if name else "")


def _is_noncharacter(c: str) -> bool:
    cp = ord(c)
    return 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE


def _refused(c: str) -> bool:
    category = unicodedata.category(c)
    return category in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI_CONTROLS or _is_noncharacter(c)


def _require_str(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{field} must be a str, not {type(value).__name__} ({_show(value)})")
    return value


def _listed(chars: Collection[str]) -> str:
    shown = sorted(set(chars))
    more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
    return ", ".join(_code_point(c) for c in shown[:5]) + more


@overload
def clean_text(
    value: object,
    field: str,
    *,
    max_length: int,
    required: Literal[True] = True,
    missing_glyphs: Callable[[str], Collection[str]] | None = None,
) -> str: ...
@overload
def clean_text(
    value: object,
    field: str,
    *,
    max_length: int,
    required: bool,
    missing_glyphs: Callable[[str], Collection[str]] | None = None,
) -> str | None: ...
def clean_text(
    value: object,
    field: str,
    *,
    max_length: int,
    required: bool = True,
    missing_glyphs: Callable[[str], Collection[str]] | None = None,
) -> str | None:
    """Return ``value`` NFC-normalised and trimmed, or None for an empty optional field.

    ``max_length`` is the column width in characters. ``missing_glyphs``, when given, returns
    the characters of a text that the document fonts cannot draw (the rendering code provides
    it). Raises ``TypeError`` naming the field for a non-str (None is allowed only when not
    ``required``) and :class:`InvalidField` for an empty required text, a refused character
    (see the module docstring), more than ``max_length`` characters, or undrawable characters.
    """
    if value is None and not required:
        return None
    text = unicodedata.normalize("NFC", _require_str(value, field)).strip(_WHITE_SPACE)
    bad = [c for c in text if _refused(c)]
    if bad:
        raise InvalidField(
            field,
            value,
            f"contains {_listed(bad)}; expected a single line of printable text without "
            "control characters, surrogates or non-characters",
        )
    if not text:
        if not required:
            return None
        raise InvalidField(field, value, "is empty; expected a non-empty text")
    if len(text) > max_length:
        raise InvalidField(
            field, value, f"is {len(text)} characters long; expected at most {max_length}"
        )
    if missing_glyphs is not None:
        missing = missing_glyphs(text)
        if missing:
            raise InvalidField(
                field,
                value,
                f"the document fonts cannot draw {_listed(missing)}; expected text the "
                "invoices and letters can print",
            )
    return text


def check_country(value: object, field: str) -> str:
    """Return the ISO 3166-1 alpha-2 country code ``value`` (trimmed; case is never changed).

    Raises ``TypeError`` for a non-str and :class:`InvalidField` for anything not in our table
    (:mod:`wsis_funding.ledger.iso3166`): ``XX``, ``ch``, ``Switzerland``, ``CHE``, ``UK``.
    """
    code = _require_str(value, field).strip(_WHITE_SPACE)
    if code in COUNTRY_CODES:
        return code
    expected = "expected an ISO 3166-1 alpha-2 country code, two upper-case letters such as 'CH'"
    if code.upper() in COUNTRY_CODES:
        reason = f"ISO 3166-1 alpha-2 codes are upper case; expected {code.upper()!r}"
    elif code in _RESERVED_FOR:
        reason = (
            f"{code} is reserved, not assigned to a country in ISO 3166-1 alpha-2; "
            f"expected {_RESERVED_FOR[code]!r}"
        )
    elif len(code) == 3 and code.isascii() and code.isalpha():
        reason = f"looks like an alpha-3 code; {expected}"
    elif len(code) == 2 and code.isascii() and code.isalpha() and code.isupper():
        reason = f"is not an assigned country code; {expected}"
    else:
        reason = expected
    raise InvalidField(field, value, reason)


def check_email(value: object, field: str) -> str:
    r"""Return the e-mail address ``value``, NFC-normalised and trimmed, after a syntax check.

    The check is pragmatic, not RFC 5322: exactly one ``@``; a local part of 1 to 64
    characters without spaces, quotes or ``(),:;<>[\]``, not starting or ending with a dot
    and without two dots in a row; a domain of at least two dot-separated labels, each 1 to 63
    letters (any script, for internationalised domains), digits or hyphens, not starting or
    ending with a hyphen, the last not all digits; at most 254 characters in all; no
    whitespace, control or invisible formatting characters. Raises ``TypeError`` for a non-str
    and :class:`InvalidField` naming the rule broken.
    """
    text = clean_text(value, field, max_length=_MAX_EMAIL)

    def refuse(reason: str) -> InvalidField:
        return InvalidField(field, value, f"{reason}; expected an address such as name@example.org")

    hidden = [c for c in text if c.isspace() or unicodedata.category(c) == "Cf"]
    if hidden:
        raise refuse(f"contains whitespace or invisible characters ({_listed(hidden)})")
    if text.count("@") != 1:
        raise refuse(f"has {text.count('@')} '@' characters, not exactly one")
    local, domain = text.split("@")
    if not local:
        raise refuse("has nothing before the '@'")
    if len(local) > _MAX_LOCAL:
        raise refuse(f"the part before '@' is {len(local)} characters, at most {_MAX_LOCAL}")
    quoted = sorted({c for c in local if c in _NEEDS_QUOTES})
    if quoted:
        raise refuse(f"the part before '@' contains {' '.join(quoted)}")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise refuse("the part before '@' starts or ends with a dot or has two dots in a row")
    labels = domain.split(".")
    if len(labels) < 2:
        raise refuse("the domain after '@' has no dot")
    for label in labels:
        problem = _label_problem(label)
        if problem:
            raise refuse(f"the domain label {label!r} {problem}")
    if labels[-1].isdigit():
        raise refuse("the domain ends with a numeric label")
    return text


def _label_problem(label: str) -> str:
    if not label:
        return "is empty"
    if len(label) > _MAX_LABEL:
        return f"is {len(label)} characters, at most {_MAX_LABEL}"
    if label.startswith("-") or label.endswith("-"):
        return "starts or ends with a hyphen"
    for c in label:
        category = unicodedata.category(c)
        if c != "-" and category[0] not in "LM" and category != "Nd":
            return f"contains {_code_point(c)}; labels hold letters, digits and hyphens"
    return ""


def identity_key(short_name: str) -> str:
    """Return the key under which two short names (or edition codes) count as the same.

    NFKC (full-width ``ＡＣＭＥ`` is ``ACME``), case folding (``Straße`` is ``STRASSE``), then
    NFKC again, and every whitespace and invisible formatting character removed: ``ACME``,
    ``acme``, ``"ACME "``, ``AC ME`` and ``ＡＣＭＥ`` share one key. Look-alike letters of other
    scripts (Cyrillic ``А``) are not folded. Raises ``TypeError`` for a non-str.
    """
    text = _require_str(short_name, "short_name")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(
        c
        for c in folded
        if c not in _WHITE_SPACE and not c.isspace() and unicodedata.category(c) != "Cf"
    )


def reference_body(prefix: str) -> str:
    """Return what an invoice prefix contributes to its RF creditor references' body.

    The same rule as the documents' creditor references: upper-case the text (so ``ß`` gives
    ``SS``), then keep only ASCII letters and digits. ``WSIS`` and ``WS-IS`` both give
    ``WSIS``: two editions with equal bodies would issue invoices whose references collide.
    Returns ``""`` for a prefix without ASCII letters or digits. Raises ``TypeError`` for a
    non-str.
    """
    return "".join(c for c in _require_str(prefix, "prefix").upper() if c in _ALNUM)


# --- the fields of partners and editions ---------------------------------------------------

LIMITS: Final = {
    # Printed in the QR-bill's debtor block: the Swiss Payment Standards' field lengths.
    "legal_name": 70,
    "billing_address.street": 70,
    "billing_address.building_number": 16,
    "billing_address.postcode": 16,
    "billing_address.town": 35,
    # Not in the QR-bill: what the column holds (short names also bound the identity key).
    "short_name": 40,
    "tax_id": 60,
    "code": 40,
    "title": 200,
    "invoice_prefix": 20,
}
"""The most characters (after NFC and trimming) each partner and edition text field holds."""

MAX_PREFIX_BODY: Final = 21 - len("ACK") - len("2024") - len("0001")
"""The most ASCII letters and digits an invoice prefix may have (10).

An RF creditor reference's body holds at most 21 characters (ISO 11649, see
``wsis_funding.documents.reference``); the longest document number of a prefix is its letter
series' ``{prefix}-ACK-{year}-{nnnn}``, whose body is the prefix's, ``ACK`` and 8 digits.
"""

_PREFIX: Final = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", re.ASCII)
_INVISIBLE: Final = frozenset({"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"})


def _visible(text: str) -> bool:
    return any(not c.isspace() and unicodedata.category(c) not in _INVISIBLE for c in text)


def _field_text(value: object, field: str, *, required: bool) -> str | None:
    text = clean_text(value, field, max_length=LIMITS[field], required=required)
    if text is not None and not _visible(text):
        raise InvalidField(
            field,
            value,
            "has no visible character (only spaces, joiners or marks); expected a "
            + ("non-empty text" if required else "text, or None"),
        )
    return text


@overload
def partner_text(value: object, field: str) -> str: ...
@overload
def partner_text(value: object, field: str, *, required: Literal[False]) -> str | None: ...
def partner_text(value: object, field: str, *, required: bool = True) -> str | None:
    """Return the partner text field ``field`` (a key of :data:`LIMITS`) cleaned.

    :func:`clean_text` with the field's length, and at least one visible character. An
    optional field that is None or blank is None. Raises ``TypeError`` naming the field for a
    non-str and :class:`InvalidField` naming it for any other problem.
    """
    return _field_text(value, field, required=required)


def edition_text(value: object, field: str) -> str:
    """Return the required edition text field ``field`` (``code``, ``title``) cleaned.

    The same rules as :func:`partner_text`. Raises ``TypeError`` and :class:`InvalidField`.
    """
    text = _field_text(value, field, required=True)
    assert text is not None
    return text


def check_optional_email(value: object, field: str) -> str | None:
    """Return None for None or a blank text, else :func:`check_email` of ``value``."""
    if value is None or (isinstance(value, str) and not value.strip(_WHITE_SPACE)):
        return None
    return check_email(value, field)


def check_choice(value: object, choices: type[E], field: str) -> E:
    """Return the member of the enum ``choices`` that ``value`` is, or whose value it is.

    ``Language.FR`` and ``"fr"`` both give ``Language.FR``. Raises ``TypeError`` naming the
    field for anything but a member or a str, and :class:`InvalidField` listing the allowed
    values for a str that is none of them (``"FR"``, ``"french"``).
    """
    if isinstance(value, choices):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"{field} must be a {choices.__name__} or its value as a str, "
            f"not {type(value).__name__} ({_show(value)})"
        )
    for member in choices:
        if member.value == value:
            return member
    allowed = ", ".join(repr(m.value) for m in choices)
    raise InvalidField(field, value, f"expected one of {allowed} (or a {choices.__name__})")


def check_date(value: object, field: str) -> dt.date:
    """Return ``value`` if it is a ``datetime.date`` (not a datetime); else ``TypeError``."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{field} must be a datetime.date, not {type(value).__name__}")
    return value


def check_new_id(value: object, field: str = "id") -> int | None:
    """Return an id (an int, not a bool) or None; raise ``TypeError`` naming the field."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an int or None, not {type(value).__name__}")
    return value


def check_invoice_prefix(value: object, field: str = "invoice_prefix") -> str:
    """Return the invoice prefix ``value`` (NFC, trimmed) after checking it can number invoices.

    ASCII letters and digits in groups joined by single hyphens (``WSIS``, ``WSIS-HLE``), at
    most 20 characters and at most :data:`MAX_PREFIX_BODY` letters and digits, so that every
    document number of the prefix has an RF creditor reference. Raises ``TypeError`` and
    :class:`InvalidField`.
    """
    text = clean_text(value, field, max_length=LIMITS[field])
    if not _PREFIX.fullmatch(text):
        raise InvalidField(
            field,
            value,
            "expected ASCII letters and digits, in groups joined by single hyphens, "
            "such as 'WSIS' or 'WSIS-HLE'",
        )
    body = reference_body(text)
    if len(body) > MAX_PREFIX_BODY:
        raise InvalidField(
            field,
            value,
            f"has {len(body)} letters and digits; expected at most {MAX_PREFIX_BODY}, so that "
            f"the RF creditor reference of a number such as {text}-ACK-2024-0001 fits its "
            "21 characters",
        )
    return text


def search_key(text: str) -> str:
    """Return ``text`` folded for searching: case, accents, width and spacing ignored.

    NFKD, combining marks dropped (``Genève`` is ``geneve``), case folded, NFKC again, and
    every run of whitespace one space, trimmed. Raises ``TypeError`` for a non-str.
    """
    decomposed = unicodedata.normalize("NFKD", _require_str(text, "search"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    folded = unicodedata.normalize("NFKC", bare.casefold())
    return " ".join(folded.split())
