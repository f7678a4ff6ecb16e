"""Canonical, versioned JSON for document snapshots: an issued document is stored as issued.

The stored text is what gets rendered again later (byte for byte) and what auditors read, so
the encoding is canonical: keys sorted, no floats (amounts and rates are decimal strings,
Money is ``{"amount": "1.00", "currency": "CHF"}``), dates in ISO 8601.

The envelope carries the format version: ``{"format": 2, "type": "invoice", "snapshot": ...}``.
The decoder reads every format ever written: text of an older format is upgraded step by step
(:data:`UPGRADES`, one function per version) before it is structured, and a field added to a
snapshot type with a default may be absent from older text. Golden files in ``tests/golden``
hold documents of each format; they never change.

Formats:

1. (no ``format`` key) the issuer's logo was a file path of the machine it was issued on.
2. the logo is ``{"media_type": ..., "sha256": ...}``; its bytes are stored once beside the
   documents and handed to :func:`decode_snapshot` through ``assets``. An invoice's
   conversion rate is one value ``{"rate", "effective", "source"}`` (format 1 had ``rate``,
   ``rate_date`` and ``rate_source`` side by side).
3. an invoice lists the money already ``received`` on what it covers and asks for the rest;
   a credit note says whether it is a ``correction`` or a ``reduction`` (``credit_kind``); a
   letter states the payment's facts (what the bank credited, charges, credit kept, the
   invoice paid or the bank reference, and the balance right after the payment). Format-2
   documents have none of these fields and decode with their defaults (nothing received, no
   credit kind, the letter's figures as printed then).
4. adds reminder letters (``"type": "reminder"``: the overdue instalments of a pledge's
   invoices); invoices, credit notes and acknowledgement letters are written as in format 3.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from wsis_funding.documents.errors import InvalidSnapshot
from wsis_funding.documents.model import (
    LOGO_TYPES,
    InvoiceSnapshot,
    LetterSnapshot,
    Logo,
    ReminderSnapshot,
    Snapshot,
)
from wsis_funding.money import Money, money

__all__ = ["FORMAT", "UPGRADES", "EncodedSnapshot", "decode_snapshot", "encode_snapshot"]

FORMAT: Final = 4
"""The format :func:`encode_snapshot` writes."""

T = TypeVar("T")
_KINDS: dict[str, type[InvoiceSnapshot] | type[LetterSnapshot] | type[ReminderSnapshot]] = {
    "invoice": InvoiceSnapshot,
    "letter": LetterSnapshot,
    "reminder": ReminderSnapshot,
}
_FIRST_FORMAT = {"reminder": 4}
"""The format each type appeared in: older text of that type is not a stored document."""

AssetLookup = Callable[[str], Logo | None]
"""Returns the stored image with a given SHA-256, or None."""


@attrs.frozen(kw_only=True)
class EncodedSnapshot:
    """The stored text of a snapshot, and the images it refers to (stored once, by digest)."""

    text: str
    assets: tuple[Logo, ...]


def _plain(value: object, assets: dict[str, Logo]) -> object:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency.code}
    if isinstance(value, Logo):
        assets[value.sha256] = value
        return {"media_type": value.media_type, "sha256": value.sha256}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        return {
            f.name: _plain(getattr(value, f.name), assets)
            for f in attrs.fields(type(value))  # type: ignore[arg-type]
        }
    if isinstance(value, tuple | list):
        return [_plain(v, assets) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__} in a snapshot")


def encode_snapshot(snapshot: Snapshot) -> EncodedSnapshot:
    """Return the canonical JSON text (current format) of a snapshot and the images it uses."""
    if isinstance(snapshot, LetterSnapshot):
        kind = "letter"
    elif isinstance(snapshot, ReminderSnapshot):
        kind = "reminder"
    else:
        kind = "invoice"
    assets: dict[str, Logo] = {}
    body = {"format": FORMAT, "type": kind, "snapshot": _plain(snapshot, assets)}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return EncodedSnapshot(text=text, assets=tuple(assets[k] for k in sorted(assets)))


class _Decoder:
    def __init__(self, assets: AssetLookup) -> None:
        self.assets = assets

    def build(self, tp: Any, value: Any) -> Any:
        origin = typing.get_origin(tp)
        if origin is typing.Union or origin is types.UnionType:
            args = typing.get_args(tp)
            if value is None and type(None) in args:
                return None
            (inner,) = [a for a in args if a is not type(None)]
            return self.build(inner, value)
        if origin is typing.Literal:
            if value not in typing.get_args(tp):
                raise ValueError(f"{value!r} is not one of {typing.get_args(tp)}")
            return value
        if origin is tuple:
            args = typing.get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(self.build(args[0], v) for v in value)
            return tuple(self.build(a, v) for a, v in zip(args, value, strict=True))
        if tp is Money:
            return money(value["amount"], value["currency"])
        if tp is Logo:
            found = self.assets(value["sha256"])
            if found is None or found.sha256 != value["sha256"]:
                raise InvalidSnapshot("issuer.logo", f"image {value['sha256']} is not stored")
            return found
        if tp is Decimal:
            return Decimal(value)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return tp(value)
        if tp is dt.date:
            return dt.date.fromisoformat(value)
        if isinstance(tp, type) and attrs.has(tp):
            return self.structure(tp, value)
        return value

    def structure(self, cls: type[T], data: dict[str, Any]) -> T:
        hints = typing.get_type_hints(cls)
        kwargs = {
            f.name: self.build(hints[f.name], data[f.name])
            for f in attrs.fields(cls)  # type: ignore[arg-type]
            if f.init and (f.name in data or f.default is attrs.NOTHING)
        }
        return cls(**kwargs)


def _v1_to_v2(body: dict[str, Any], found: dict[str, Logo]) -> dict[str, Any]:
    """Format 1 kept the logo as a path on the issuing machine, and the rate in three fields."""
    snapshot = body["snapshot"]
    if body.get("type") == "invoice":
        rate = snapshot.pop("rate", None)
        effective = snapshot.pop("rate_date", None)
        source = snapshot.pop("rate_source", None)
        snapshot["rate"] = (
            None if rate is None else {"rate": rate, "effective": effective, "source": source}
        )
    issuer = snapshot["issuer"]
    path = issuer.get("logo")
    if path is not None:
        suffix = Path(path).suffix.lower().lstrip(".")
        media = {v: k for k, v in LOGO_TYPES.items()}.get("jpg" if suffix == "jpeg" else suffix)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidSnapshot(
                "issuer.logo",
                f"a format-1 document refers to the logo file {path}, which cannot be read "
                f"here ({exc.strerror}); restore that file to render it",
            ) from exc
        if media is None:
            raise InvalidSnapshot("issuer.logo", f"{path} is not a PNG, JPEG or SVG image")
        logo = Logo(media, data)
        found[logo.sha256] = logo
        issuer["logo"] = {"media_type": media, "sha256": logo.sha256}
    body["format"] = 2
    return body


def _v2_to_v3(body: dict[str, Any], found: dict[str, Logo]) -> dict[str, Any]:
    """Format 3 only adds fields, each with a default that says what format 2 printed."""
    body["format"] = 3
    return body


def _v3_to_v4(body: dict[str, Any], found: dict[str, Logo]) -> dict[str, Any]:
    """Format 4 adds a type (reminders); the types of format 3 are written as they were."""
    body["format"] = 4
    return body


UPGRADES: Final[Mapping[int, Callable[[dict[str, Any], dict[str, Logo]], dict[str, Any]]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}
"""Upgrade functions by the format they read: each returns the body in the next format."""


def decode_snapshot(text: str, assets: AssetLookup | Mapping[str, Logo] | None = None) -> Snapshot:
    """Rebuild a snapshot from stored text of any format; it validates itself again.

    ``assets`` finds the images the snapshot refers to by SHA-256 (a mapping or a function).
    Raises ``ValueError`` (``json.JSONDecodeError`` included) for text that is not a snapshot
    or was written by a newer version of wsis-funding, and :class:`InvalidSnapshot` for an
    image that cannot be found.
    """
    body = json.loads(text)
    if not isinstance(body, dict):
        raise ValueError("not an encoded wsis-funding document snapshot")
    cls = _KINDS.get(str(body.get("type")))
    version = body.get("format", 1)
    if cls is None or not isinstance(version, int) or isinstance(version, bool):
        raise ValueError("not an encoded wsis-funding document snapshot")
    if version < _FIRST_FORMAT.get(str(body["type"]), 1):
        raise ValueError(f"no {body['type']} was ever written in snapshot format {version}")
    if version > FORMAT:
        raise ValueError(
            f"snapshot format {version} was written by a newer wsis-funding (this one reads "
            f"formats up to {FORMAT})"
        )
    found: dict[str, Logo] = {}
    while version < FORMAT:
        body = UPGRADES[version](body, found)
        version = body["format"]
    if assets is None:
        lookup: AssetLookup = found.get
    elif isinstance(assets, Mapping):
        lookup = {**assets, **found}.get
    else:
        outer = assets

        def lookup(sha: str) -> Logo | None:
            return found.get(sha) or outer(sha)

    result: Snapshot = _Decoder(lookup).structure(cls, body["snapshot"])
    return result
