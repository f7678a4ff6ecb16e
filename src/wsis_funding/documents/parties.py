"""Who a document is from and to: addresses, the partner, the issuer, its bank account and logo.

Frozen values that validate themselves when built, copied into every document snapshot
(:mod:`.model`, :mod:`.reminders`); also the checks snapshots share (non-empty text, one of the
six UN languages).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from wsis_funding.documents.errors import InvalidBankAccount, InvalidSnapshot
from wsis_funding.i18n import LANGUAGES, UnsupportedLanguage

__all__ = [
    "LOGO_TYPES",
    "BankAccount",
    "Issuer",
    "Logo",
    "Party",
    "PostalAddress",
    "iban_is_valid",
    "require_language",
    "require_text",
]

_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_IBAN: Final = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC: Final = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
# Lengths for the countries our bank accounts are likely to be in; others only get the checksum.
_IBAN_LENGTHS: Final = {"CH": 21, "LI": 21, "FR": 27, "DE": 22, "BE": 16, "GB": 22, "IT": 27}


def require_text(field: str, value: object) -> None:
    """Raise :class:`InvalidSnapshot` naming ``field`` unless ``value`` is a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidSnapshot(field, f"must be a non-empty string, got {value!r}")


def require_language(language: object) -> None:
    """Raise :class:`UnsupportedLanguage` unless ``language`` is one of the six UN languages."""
    if language not in LANGUAGES:
        raise UnsupportedLanguage(language, LANGUAGES)


def iban_is_valid(iban: str) -> bool:
    """Return whether ``iban`` (spaces allowed) has a valid shape and ISO 13616 mod-97 checksum."""
    compact = iban.replace(" ", "").upper()
    if not _IBAN.fullmatch(compact):
        return False
    expected = _IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _compact(value: str) -> str:
    return str(value).replace(" ", "").upper()


@attrs.frozen(kw_only=True)
class PostalAddress:
    """A structured postal address (the form Swiss QR-bills require since November 2025).

    Raises :class:`InvalidSnapshot` if postcode or town is empty or the country is not an
    upper-case ISO 3166 alpha-2 code.
    """

    street: str
    building_number: str
    postcode: str
    town: str
    country: str

    def __attrs_post_init__(self) -> None:
        require_text("address.postcode", self.postcode)
        require_text("address.town", self.town)
        if not _COUNTRY.fullmatch(self.country):
            raise InvalidSnapshot(
                "address.country", f"{self.country!r} is not an ISO 3166 alpha-2 code"
            )


@attrs.frozen(kw_only=True)
class Party:
    """The partner (sponsor, donor) a document is addressed to. Raises InvalidSnapshot."""

    name: str
    address: PostalAddress
    tax_id: str | None = None
    email: str | None = None

    def __attrs_post_init__(self) -> None:
        require_text("party.name", self.name)


@attrs.frozen(kw_only=True)
class BankAccount:
    """A bank account to be paid into; the IBAN is stored without spaces, upper case.

    Raises :class:`InvalidBankAccount` if the IBAN checksum or shape, or the BIC, is wrong.
    """

    iban: str = attrs.field(converter=_compact)
    bic: str = attrs.field(converter=_compact)
    holder: str

    def __attrs_post_init__(self) -> None:
        if not iban_is_valid(self.iban):
            raise InvalidBankAccount("IBAN", self.iban, "wrong shape, length or mod-97 checksum")
        if not _BIC.fullmatch(self.bic):
            raise InvalidBankAccount("BIC", self.bic, "expected 8 or 11 characters (ISO 9362)")
        require_text("bank_account.holder", self.holder)

    @property
    def country(self) -> str:
        """Return the ISO 3166 country code of the account (first two letters of the IBAN)."""
        return self.iban[:2]

    @property
    def iban_grouped(self) -> str:
        """Return the IBAN in groups of four characters, as printed on paper."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


LOGO_TYPES: Final = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
"""The media types a logo may have, and the usual file suffix of each."""


@attrs.frozen
class Logo:
    """An image printed on documents (the issuer's logo): its media type and its bytes.

    A snapshot refers to the logo by its SHA-256; the bytes are stored once beside the
    documents, so that rendering on any machine gives the same bytes. Raises
    :class:`InvalidSnapshot` for a media type outside :data:`LOGO_TYPES` or no bytes.
    """

    media_type: str
    data: bytes = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        if self.media_type not in LOGO_TYPES:
            raise InvalidSnapshot(
                "issuer.logo", f"media type {self.media_type!r} is not one of {sorted(LOGO_TYPES)}"
            )
        if not isinstance(self.data, bytes) or not self.data:
            raise InvalidSnapshot("issuer.logo", "the image has no bytes")

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the image bytes, which identifies it."""
        return hashlib.sha256(self.data).hexdigest()


def _notes(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))


@attrs.frozen(kw_only=True)
class Issuer:
    """Who issues the documents: ITU's WSIS Secretariat, its bank account and signatory.

    ``vat_notes`` overrides, per language, the translated note saying why no VAT is charged.
    Raises :class:`InvalidSnapshot` for empty names or an override in an unknown language.
    """

    organisation: str
    unit: str
    address: PostalAddress
    bank_account: BankAccount | None
    signatory_name: str
    signatory_title: str
    email: str | None = None
    logo: Logo | None = None
    vat_notes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_notes)

    def __attrs_post_init__(self) -> None:
        for field in ("organisation", "unit", "signatory_name", "signatory_title"):
            require_text(f"issuer.{field}", getattr(self, field))
        for language, _ in self.vat_notes:
            require_language(language)

    def vat_note_override(self, language: str) -> str | None:
        """Return the configured VAT note for ``language``, or None to use the catalog's."""
        return dict(self.vat_notes).get(language)
