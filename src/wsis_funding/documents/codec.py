"""Canonical JSON for document snapshots, so an issued document is stored exactly as issued.

The stored text is what gets rendered again later (byte for byte) and what auditors read, so
the encoding is canonical: keys sorted, no floats (amounts and rates are decimal strings,
Money is ``{"amount": "1.00", "currency": "CHF"}``), dates in ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs

from wsis_funding.documents.model import InvoiceSnapshot, LetterSnapshot
from wsis_funding.money import Money, money

__all__ = ["decode_snapshot", "encode_snapshot"]

Snapshot = InvoiceSnapshot | LetterSnapshot
T = TypeVar("T")
_KINDS: dict[str, type[InvoiceSnapshot] | type[LetterSnapshot]] = {
    "invoice": InvoiceSnapshot,
    "letter": LetterSnapshot,
}


def _plain(value: object) -> object:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency.code}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}  # type: ignore[arg-type]
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__} in a snapshot")


def encode_snapshot(snapshot: Snapshot) -> str:
    """Return the canonical JSON text of an invoice, credit note or letter snapshot."""
    kind = "letter" if isinstance(snapshot, LetterSnapshot) else "invoice"
    body = {"type": kind, "snapshot": _plain(snapshot)}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _build(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _build(inner, value)
    if origin is typing.Literal:
        if value not in typing.get_args(tp):
            raise ValueError(f"{value!r} is not one of {typing.get_args(tp)}")
        return value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=True))
    if tp is Money:
        return money(value["amount"], value["currency"])
    if tp is Decimal:
        return Decimal(value)
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    if tp is Path:
        return Path(value)
    if isinstance(tp, type) and attrs.has(tp):
        return _structure(tp, value)
    return value


def _structure(cls: type[T], data: dict[str, Any]) -> T:
    hints = typing.get_type_hints(cls)
    kwargs = {
        f.name: _build(hints[f.name], data[f.name])
        for f in attrs.fields(cls)  # type: ignore[arg-type]
        if f.init
    }
    return cls(**kwargs)


def decode_snapshot(text: str) -> Snapshot:
    """Rebuild a snapshot from :func:`encode_snapshot` text; it validates itself again.

    Raises ``ValueError`` (``json.JSONDecodeError`` included) for text that is not a snapshot.
    """
    body = json.loads(text)
    cls = _KINDS.get(str(body.get("type"))) if isinstance(body, dict) else None
    if cls is None:
        raise ValueError("not an encoded wsis-funding document snapshot")
    result: Snapshot = _structure(cls, body["snapshot"])
    return result
