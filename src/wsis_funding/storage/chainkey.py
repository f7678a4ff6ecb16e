"""The optional chain key: how it is read, declared in the books, and checked when opening them.

The key itself is never stored. The books keep, in ``ledger_settings`` under ``chain_key``,
its fingerprint and the sequence number of the entry that declared it (``"<fingerprint>
<seq>"``); that entry (kind ``chain_key``, no postings, naming the fingerprint) is the first
one hashed with the key, and every later entry is too. So:

- books created with a key are keyed from their first entry;
- books created without a key stay unkeyed: opening them with a key is refused
  (:class:`ChainKeyMismatch`), so that a key set by mistake never goes unnoticed; the key is
  declared on purpose with ``Tracker.declare_chain_key``, and keys the chain from that entry
  (what was written before is covered because the declaration's hash covers its link);
- keyed books opened with another key are refused (:class:`ChainKeyMismatch`); opened
  without a key they can be read, but not written (:class:`ChainKeyRequired`), and
  ``verify()`` reports that it could not check the keyed hashes.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs

from wsis_funding.ledger.chain import MIN_KEY_BYTES, key_fingerprint
from wsis_funding.ledger.model import Entry
from wsis_funding.ledger.seals import CHAIN_KEY_KIND, FINGERPRINT
from wsis_funding.storage.errors import ChainKeyMismatch, InvalidChainKey

__all__ = ["CHAIN_KEY_SETTING", "ChainKeyInput", "Keying", "declaration_entry", "read_chain_key"]

CHAIN_KEY_SETTING = "chain_key"

ChainKeyInput = bytes | str | os.PathLike[str]
"""A chain key as given: the key's bytes, its text (UTF-8), or the path of a file holding it."""


def read_chain_key(key: ChainKeyInput) -> bytes:
    """Return the key's bytes from bytes, text, or a file (one trailing newline dropped).

    Raises :class:`InvalidChainKey` for a key shorter than 16 bytes or a file that cannot be
    read, and ``TypeError`` for anything else.
    """
    if isinstance(key, bytes):
        raw, source = key, "chain_key"
    elif isinstance(key, str):
        raw, source = key.encode("utf-8"), "chain_key"
    elif isinstance(key, os.PathLike):
        path = Path(key)
        source = str(path)
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise InvalidChainKey(source, f"cannot read the file: {e.strerror}") from None
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
    else:
        raise TypeError(
            f"chain_key must be bytes, str or a path to a key file, not {type(key).__name__}"
        )
    if len(raw) < MIN_KEY_BYTES:
        raise InvalidChainKey(
            source, f"{len(raw)} bytes; a chain key has at least {MIN_KEY_BYTES} (use 32 random)"
        )
    return raw


@attrs.frozen
class Keying:
    """What the books declare about their key, and the key given to open them (if any).

    ``fingerprint`` and ``keyed_from`` come from the books (None: never keyed); ``key`` is
    the key given, already checked against the fingerprint.
    """

    key: bytes | None = attrs.field(default=None, repr=False)
    fingerprint: str | None = None
    keyed_from: int | None = None

    @property
    def locked(self) -> bool:
        """Whether the chain is keyed but no key was given (the books are read-only)."""
        return self.fingerprint is not None and self.key is None

    @classmethod
    def of_books(cls, stored: str | None, key: bytes | None) -> Keying:
        """Return the keying of books whose ``chain_key`` setting is ``stored``.

        Raises :class:`ChainKeyMismatch` for a key other than the declared one, or a key given
        for books that declared none.
        """
        given = None if key is None else key_fingerprint(key)
        if stored is None:
            if key is not None:
                raise ChainKeyMismatch(
                    None,
                    given,
                    "these books were created without a chain key, and a key was given; "
                    "open them without one, or key them from now on with "
                    "Tracker.declare_chain_key",
                )
            return cls()
        fingerprint, _, seq = stored.partition(" ")
        if given is not None and given != fingerprint:
            raise ChainKeyMismatch(
                fingerprint,
                given,
                f"the chain key given (fingerprint {given[:16]}) is not the key of these books "
                f"(fingerprint {fingerprint[:16]})",
            )
        return cls(key=key, fingerprint=fingerprint, keyed_from=int(seq) if seq.isdigit() else 0)

    def declared(self, seq: int) -> Keying:
        """Return this keying once its key is declared at entry ``seq``."""
        assert self.key is not None
        return attrs.evolve(self, fingerprint=key_fingerprint(self.key), keyed_from=seq)

    def setting(self) -> str:
        """Return the ``chain_key`` setting's value: fingerprint and first keyed entry."""
        return f"{self.fingerprint} {self.keyed_from}"


def declaration_entry(fingerprint: str, on: dt.date) -> Entry:
    """Return the entry (no postings) that keys the chain from itself on."""
    return Entry(
        entry_date=on,
        kind=CHAIN_KEY_KIND,
        memo=f"From this entry on, the hash chain is keyed (key fingerprint {fingerprint[:16]})",
        references=((FINGERPRINT, fingerprint),),
        postings=(),
    )
