"""Checking that a document can be rendered, outside the lock when the facade allows it.

Before a document takes a number it must be renderable (template, QR-bill, Factur-X XML,
glyph check: about 80 ms), so that a broken document never leaves a hole in the numbers. That
work must not hold the journal lock, or every payment would wait behind it. So the facade first
drafts the document in a read-only unit of work with the number it expects to get, and checks
it here, outside any transaction; the use case then builds the document again under the lock
with the number it actually takes. A number changes only digits, never whether the document
can be rendered, so the two snapshots are compared with their numbers set aside: when they
agree the check is not done again; when the books changed in between, it is done again then.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import attrs

from wsis_funding.documents.codec import encode_snapshot
from wsis_funding.documents.model import InvoiceSnapshot, Snapshot
from wsis_funding.documents.reference import creditor_reference
from wsis_funding.rendering.render import prepare

__all__ = ["ensure_renderable", "mark_checked", "warm"]

_PLACEHOLDER = "N"
_KEPT = 64


class _Checked:
    """Keys of snapshots checked renderable, each used once, the newest few kept."""

    def __init__(self) -> None:
        self._keys: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._keys[key] = None
            while len(self._keys) > _KEPT:
                self._keys.popitem(last=False)

    def take(self, key: tuple[str, str]) -> bool:
        with self._lock:
            return self._keys.pop(key, ...) is None


_CHECKED = _Checked()


def _key(snapshot: Snapshot, template_dir: Path | None) -> tuple[str, str]:
    """Return the snapshot's stored text with its number (and what derives from it) set aside."""
    own_reference = creditor_reference(snapshot.number)
    changes: dict[str, str] = {"number": _PLACEHOLDER}
    if isinstance(snapshot, InvoiceSnapshot) or snapshot.payment_reference == own_reference:
        changes["payment_reference"] = creditor_reference(_PLACEHOLDER)
    neutral: Snapshot = attrs.evolve(snapshot, **changes)  # type: ignore[arg-type]
    return (str(template_dir or ""), encode_snapshot(neutral).text)


def warm(snapshot: Snapshot, template_dir: Path | None) -> None:
    """Check now that ``snapshot`` renders, and remember it for :func:`ensure_renderable`.

    Raises the rendering errors (:class:`MissingGlyphs`, :class:`MissingIban`, ...).
    """
    prepare(snapshot, template_dir=template_dir)
    _CHECKED.add(_key(snapshot, template_dir))


def mark_checked(snapshot: Snapshot, template_dir: Path | None) -> None:
    """Remember that ``snapshot`` was just checked renderable elsewhere (a worker process).

    A batch run renders its drafts in other processes; the use case that then issues the same
    document under the lock finds it here and does not check it again.
    """
    _CHECKED.add(_key(snapshot, template_dir))


def ensure_renderable(snapshot: Snapshot, template_dir: Path | None) -> None:
    """Check that ``snapshot`` renders, unless :func:`warm` just checked the same document.

    Raises the rendering errors.
    """
    if not _CHECKED.take(_key(snapshot, template_dir)):
        prepare(snapshot, template_dir=template_dir)
