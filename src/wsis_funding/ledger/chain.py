"""The hash chain of the journal: canonical serialisation and sha256 of each entry.

An entry's hash is sha256 over a canonical JSON array of its sequence number, the previous
entry's hash, its date, kind, memo, references and its postings sorted, so that any change to
a stored entry or posting, a removed entry or a reordering breaks the chain.

Anyone who can write to the database can recompute such a chain. Two things stop that:

- the chain head (:class:`ChainHead`, ``SEQ:HASH``) kept outside the database, by an auditor
  or in the annual report: a chain that no longer passes through it was rewritten or cut;
- a key kept outside the database (never in the books): from the entry that declares it, each
  hash is HMAC-SHA256 under the key instead of sha256, so rewriting needs the key. The books
  keep only the key's fingerprint (:func:`key_fingerprint`), which does not reveal it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from collections.abc import Callable, Iterable, Sequence
from hashlib import sha256 as _sha256
from json.encoder import c_encode_basestring, c_make_encoder  # type: ignore[attr-defined]

import attrs

__all__ = [
    "GENESIS",
    "MIN_KEY_BYTES",
    "ChainHead",
    "PostingKey",
    "canonical_json",
    "canonical_refs",
    "chained_hash",
    "entry_hash",
    "key_fingerprint",
    "sort_postings",
]

GENESIS = "0" * 64
"""The previous-hash of the first entry."""

MIN_KEY_BYTES = 16
"""The shortest chain key accepted: anything shorter could be guessed from its fingerprint."""

_HEAD = re.compile(r"([0-9]{1,19}):([0-9a-f]{64})")


@attrs.frozen
class ChainHead:
    """The last entry of the journal's hash chain: its sequence number and hash.

    ``str(head)`` is ``SEQ:HASH`` (what ``wsis-funding books head`` prints); :meth:`parse`
    reads it back. Kept outside the database, it lets ``verify(expected_head=...)`` tell
    whether the chain still passes through it.
    """

    seq: int
    hash: str

    def __str__(self) -> str:
        """Return ``SEQ:HASH``."""
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: object) -> ChainHead:
        """Read ``SEQ:HASH`` (as printed by ``books head``); raise ``ValueError`` if malformed.

        Raises ``TypeError`` for anything but a str.
        """
        if not isinstance(text, str):
            raise TypeError(f"a chain head is a 'SEQ:HASH' str, not {type(text).__name__}")
        found = _HEAD.fullmatch(text.strip().lower())
        if found is None:
            raise ValueError(
                f"not a chain head: {text[:90]!r}; expected SEQ:HASH, the entry number, a "
                "colon and 64 hexadecimal digits, as `wsis-funding books head` prints it"
            )
        return cls(int(found[1]), found[2])


def key_fingerprint(key: bytes) -> str:
    """Return the fingerprint of a chain key: what the books keep to recognise it.

    HMAC-SHA256 of a fixed text under the key, in hex: it identifies the key without revealing
    it (a key has at least :data:`MIN_KEY_BYTES` bytes, too many to guess).
    """
    return hmac.new(key, b"wsis-funding chain key fingerprint", "sha256").hexdigest()


PostingKey = tuple[str, str, int, int, str | None, str | None, str | None, int | None]
"""(account code, currency, amount_minor, base_minor, rate, rate date ISO, source, pledge id)."""

# check_circular=False: the payloads are flat lists; the output is the same, a little faster.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, check_circular=False
)
_dumps: Callable[[object], str] = _ENCODER.encode
if c_make_encoder is not None and c_encode_basestring is not None:  # CPython's C encoder
    # What JSONEncoder.encode ends in, made once instead of on every call: verify() and bulk
    # posting serialise an entry each, and the wrapper cost as much as the encoding. A test
    # holds its output equal to the encoder's.
    _encode = c_make_encoder(
        None, _ENCODER.default, c_encode_basestring, None, ":", ",", True, False, True
    )

    def _dumps(value: object) -> str:
        return "".join(_encode(value, 0))


def entry_hash(
    seq: int,
    prev_hash: str,
    entry_date: dt.date,
    kind: str,
    memo: str,
    refs: Sequence[Sequence[str]] | str,
    postings: Iterable[PostingKey],
    key: bytes | None = None,
) -> str:
    """Return the hex sha256 of an entry's canonical serialisation (postings are sorted here).

    ``refs`` is the list of (name, value) references or its canonical JSON text (as stored).
    With a ``key``, the HMAC-SHA256 under it instead.
    """
    refs_text = refs if isinstance(refs, str) else canonical_refs(refs)
    day = entry_date.isoformat()
    return chained_hash(seq, prev_hash, day, kind, memo, refs_text, list(postings), key)


def chained_hash(
    seq: int,
    prev_hash: str,
    entry_day: str,
    kind: str,
    memo: str,
    refs_text: str,
    postings: list[PostingKey],
    key: bytes | None = None,
) -> str:
    """Return what :func:`entry_hash` returns, from the ISO date and canonical references text.

    The hot path of bulk posting: ``postings`` is sorted in place. JSON encodes a tuple as an
    array, so the posting keys are serialised as they are. With a ``key``, the HMAC-SHA256
    of the same payload under it.
    """
    if len(postings) > 1:
        sort_postings(postings)
    payload = _dumps([seq, prev_hash, entry_day, kind, memo, refs_text, postings]).encode()
    if key is None:
        return _sha256(payload).hexdigest()
    return hmac.digest(key, payload, "sha256").hex()


def sort_postings(postings: list[PostingKey]) -> None:
    """Sort posting keys in place in the chain's canonical order (``None`` before any value).

    The plain tuple order is the canonical one whenever it never has to compare ``None`` with
    a value; only then does the slower keyed sort run.
    """
    try:
        ordered = sorted(postings)  # a copy: a failed sort must not leave them half sorted
    except TypeError:
        ordered = sorted(postings, key=_sort_key)
    postings[:] = ordered


def canonical_json(value: object) -> str:
    """Return the chain's canonical JSON text of a value (compact, keys sorted, not ASCII-only)."""
    return _dumps(value)


def canonical_refs(refs: Sequence[Sequence[str]]) -> str:
    """Return the canonical JSON text of an entry's (name, value) references, sorted."""
    if not refs:
        return "[]"
    return _dumps(sorted([str(k), str(v)] for k, v in refs))


def _sort_key(p: PostingKey) -> tuple[str, str, int, int, str, str, str, int]:
    return (p[0], p[1], p[2], p[3], p[4] or "", p[5] or "", p[6] or "", p[7] or 0)
