"""The chain's keyed hash, its head, and the seals of stored rows (pure, no database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsis_funding.ledger.chain import (
    ChainHead,
    PostingKey,
    canonical_json,
    chained_hash,
    key_fingerprint,
    sort_postings,
)
from wsis_funding.ledger.seals import document_seal, payment_seal, settlements_seal

_opt_text = st.none() | st.text(max_size=4)
_keys = st.tuples(
    st.sampled_from(["bank:CHF", "psc_income", "receivable:1"]),
    st.sampled_from(["CHF", "USD"]),
    st.integers(-3, 3),
    st.integers(-3, 3),
    _opt_text,
    _opt_text,
    _opt_text,
    st.none() | st.integers(1, 3),
)


def _order(p: PostingKey) -> tuple[str, str, int, int, str, str, str, int]:
    return (p[0], p[1], p[2], p[3], p[4] or "", p[5] or "", p[6] or "", p[7] or 0)


@given(st.lists(_keys, max_size=6))
def test_sorting_posting_keys_gives_the_canonical_order_nulls_first(keys: list[PostingKey]) -> None:
    """Whatever mix of nulls and values, the order is that of the definition (nulls as
    empty text or zero), and a sort that fails half-way leaves no trace."""
    got = list(keys)
    sort_postings(got)
    assert [list(k) for k in got] == [list(k) for k in sorted(keys, key=_order)]


@given(st.lists(_keys, min_size=2, max_size=2))
def test_two_postings_swapped_when_out_of_order_are_the_canonical_order(
    keys: list[PostingKey],
) -> None:
    """verify() orders a two-line entry by one comparison; the result is the sorted one."""
    got = list(keys)
    try:
        if got[0] > got[1]:
            got.reverse()
    except TypeError:
        sort_postings(got)
    assert [list(k) for k in got] == [list(k) for k in sorted(keys, key=_order)]


def test_a_keyed_hash_is_the_hmac_sha256_of_the_same_payload() -> None:
    key = b"k" * 32
    keys: list[PostingKey] = [("bank:CHF", "CHF", 100, 100, None, None, None, None)]
    payload = canonical_json([7, "0" * 64, "2024-03-01", "manual", "m", "[]", keys]).encode()
    assert chained_hash(7, "0" * 64, "2024-03-01", "manual", "m", "[]", list(keys)) == (
        hashlib.sha256(payload).hexdigest()
    )
    assert chained_hash(7, "0" * 64, "2024-03-01", "manual", "m", "[]", list(keys), key) == (
        hmac.new(key, payload, hashlib.sha256).hexdigest()
    )


def test_a_fingerprint_identifies_a_key_without_being_its_hash() -> None:
    key = b"k" * 32
    assert key_fingerprint(key) != hashlib.sha256(key).hexdigest()
    assert key_fingerprint(key) != key_fingerprint(b"l" * 32)
    assert len(key_fingerprint(key)) == 64


def test_a_chain_head_reads_back_what_it_prints() -> None:
    head = ChainHead(12, "ab" * 32)
    assert str(head) == "12:" + "ab" * 32
    assert ChainHead.parse(str(head)) == head
    assert ChainHead.parse(" 12:" + "AB" * 32 + "\n") == head


def test_settlements_seal_does_not_depend_on_their_order() -> None:
    a = (1, 1, 500, 500, 500, dt.date(2024, 3, 5), None)
    b = (2, 1, 700, 700, 690, "2024-03-05", 4)
    assert settlements_seal([a, b]) == settlements_seal([b, a])
    assert settlements_seal([a]) != settlements_seal([a, b])


def test_a_seal_sees_a_date_and_its_iso_text_alike_and_any_other_change() -> None:
    row = [1, "CHF", 1000, 0, dt.date(2024, 3, 5), "ref", None, None, 1000, 0, "bank", None,
           None, None, None]  # fmt: skip
    same = [*row[:4], "2024-03-05", *row[5:]]
    assert payment_seal(row) == payment_seal(same)
    changed = [*row[:2], 10000, *row[3:]]
    assert payment_seal(row) != payment_seal(changed)


def test_a_document_seal_covers_its_snapshot_text_and_coverage() -> None:
    values = [1, "invoice", "WSIS", 2024, 1, "WSIS-2024-0001", 1, None, None, None,
              dt.date(2024, 2, 1), dt.date(2024, 3, 2), "CHF", 100, "RF", "fr", None]  # fmt: skip
    snapshot = json.dumps({"iban": "CH93"})
    seal = document_seal(values, snapshot, [(1, 100)])
    assert seal == document_seal(values, snapshot, [(1, 100)])
    assert seal != document_seal(values, json.dumps({"iban": "CH56"}), [(1, 100)])
    assert seal != document_seal(values, snapshot, [(1, 99)])


@pytest.mark.parametrize("text", ["1:" + "0" * 63, "-1:" + "0" * 64, "1 :" + "0" * 64])
def test_a_malformed_head_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected SEQ:HASH"):
        ChainHead.parse(text)
