"""The fast paths of the journal writer give the same values as the plain definitions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import attrs
from hypothesis import given
from hypothesis import strategies as st

from wsis_funding.ledger.chain import PostingKey, canonical_refs, entry_hash
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.storage.journal import _chained

_text = st.text(max_size=12)
_opt_text = st.none() | _text
_keys = st.tuples(
    _text,
    st.sampled_from(["CHF", "USD", "EUR"]),
    st.integers(-(10**12), 10**12),
    st.integers(-(10**12), 10**12),
    _opt_text,
    st.none() | st.dates().map(dt.date.isoformat),
    _opt_text,
    st.none() | st.integers(1, 10**6),
)


def _plain_hash(
    seq: int, prev: str, on: dt.date, kind: str, memo: str, refs: str, keys: list[PostingKey]
) -> str:
    """The definition: sha256 of the canonical JSON array, postings sorted, nulls first."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode

    def order(p: PostingKey) -> tuple[str, str, int, int, str, str, str, int]:
        return (p[0], p[1], p[2], p[3], p[4] or "", p[5] or "", p[6] or "", p[7] or 0)

    lines = [list(p) for p in sorted(keys, key=order)]
    payload = dumps([seq, prev, on.isoformat(), kind, memo, refs, lines])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@given(
    seq=st.integers(1, 10**9),
    on=st.dates(),
    kind=_text,
    memo=_text,
    refs=st.lists(st.tuples(_text, _text), max_size=3),
    keys=st.lists(_keys, max_size=5),
)
def test_entry_hash_is_the_sha256_of_the_canonical_json(
    seq: int,
    on: dt.date,
    kind: str,
    memo: str,
    refs: list[tuple[str, str]],
    keys: list[PostingKey],
) -> None:
    """For any entry, the hash equals sha256 of the canonical JSON built the plain way."""
    refs_text = canonical_refs(refs)
    assert refs_text == json.dumps(
        sorted([k, v] for k, v in refs), ensure_ascii=False, separators=(",", ":")
    )
    assert entry_hash(seq, "ab" * 32, on, kind, memo, refs, iter(keys)) == _plain_hash(
        seq, "ab" * 32, on, kind, memo, refs_text, keys
    )


def test_a_chained_entry_keeps_every_field_and_sets_the_chain() -> None:
    """_chained is attrs.evolve with seq and hashes: no field of Entry is forgotten."""
    e = Entry(
        entry_date=dt.date(2024, 3, 1),
        kind="k",
        memo="m",
        references=(("partner", "1"),),
        postings=(Posting(account="psc_income", currency="CHF", amount_minor=0, base_minor=0),),
    )
    fields = {f.name for f in attrs.fields(Entry)}
    assert fields == {
        "entry_date", "kind", "memo", "postings", "references", "seq", "prev_hash", "hash",
    }  # fmt: skip
    assert _chained(e, 7, "p" * 64, "h" * 64) == attrs.evolve(
        e, seq=7, prev_hash="p" * 64, hash="h" * 64
    )
