"""The hash chain of the journal: canonical serialisation and sha256 of each entry.

An entry's hash is sha256 over a canonical JSON array of its sequence number, the previous
entry's hash, its date, kind, memo, references and its postings sorted, so that any change to
a stored entry or posting, a removed entry or a reordering breaks the chain.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from hashlib import sha256 as _sha256

__all__ = ["GENESIS", "PostingKey", "canonical_refs", "chained_hash", "entry_hash"]

GENESIS = "0" * 64
"""The previous-hash of the first entry."""

PostingKey = tuple[str, str, int, int, str | None, str | None, str | None, int | None]
"""(account code, currency, amount_minor, base_minor, rate, rate date ISO, source, pledge id)."""

# check_circular=False: the payloads are flat lists; the output is the same, a little faster.
_dumps = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, check_circular=False
).encode


def entry_hash(
    seq: int,
    prev_hash: str,
    entry_date: dt.date,
    kind: str,
    memo: str,
    refs: Sequence[Sequence[str]] | str,
    postings: Iterable[PostingKey],
) -> str:
    """Return the hex sha256 of an entry's canonical serialisation (postings are sorted here).

    ``refs`` is the list of (name, value) references or its canonical JSON text (as stored).
    """
    refs_text = refs if isinstance(refs, str) else canonical_refs(refs)
    day = entry_date.isoformat()
    return chained_hash(seq, prev_hash, day, kind, memo, refs_text, list(postings))


def chained_hash(
    seq: int,
    prev_hash: str,
    entry_day: str,
    kind: str,
    memo: str,
    refs_text: str,
    postings: list[PostingKey],
) -> str:
    """Return what :func:`entry_hash` returns, from the ISO date and canonical references text.

    The hot path of bulk posting: ``postings`` is sorted in place. JSON encodes a tuple as an
    array, so the posting keys are serialised as they are.
    """
    if len(postings) > 1:
        postings.sort(key=_sort_key)
    payload = _dumps([seq, prev_hash, entry_day, kind, memo, refs_text, postings])
    return _sha256(payload.encode("utf-8")).hexdigest()


def canonical_refs(refs: Sequence[Sequence[str]]) -> str:
    """Return the canonical JSON text of an entry's (name, value) references, sorted."""
    if not refs:
        return "[]"
    return _dumps(sorted([str(k), str(v)] for k, v in refs))


def _sort_key(p: PostingKey) -> tuple[str, str, int, int, str, str, str, int]:
    return (p[0], p[1], p[2], p[3], p[4] or "", p[5] or "", p[6] or "", p[7] or 0)
