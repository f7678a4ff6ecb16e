"""An optional key held outside the books turns the hash chain into an HMAC chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.factories import Books, snapshot
from tests.tampering import bypass_triggers, rehash_from, sql
from wsis_funding import errors
from wsis_funding.ledger.chain import canonical_refs, chained_hash, key_fingerprint
from wsis_funding.money import money
from wsis_funding.services import open_tracker

KEY = b"a key of the auditors, 32 bytes!"
OTHER = b"somebody else's key, long enough"


def _pay(books: Books, reference: str = "A") -> None:
    books.tracker.record_payment(
        books.pid, money("1000", "CHF"), received_on=dt.date(2024, 3, 5), reference=reference
    )


def _hashes(url: str) -> list[tuple[int, str, str, str, str, str, str]]:
    with open_tracker(url, create=False) as t, t.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT seq, entry_date, kind, memo, refs, prev_hash, hash FROM journal_entries "
                "ORDER BY seq"
            )
        )
        return [(r[0], r[1] if isinstance(r[1], str) else r[1].isoformat(), *r[2:]) for r in rows]


def test_books_created_with_a_key_hash_every_entry_with_hmac_under_it(db_url: str) -> None:
    with open_tracker(db_url, chain_key=KEY) as tracker:
        books = Books(tracker)
        books.confirmed_pledge("5000")
        _pay(books)
        assert tracker.verify() == []
        dump = repr(snapshot(tracker))
    first = _hashes(db_url)[0]
    seq, day, kind, memo, refs, prev, stored = first
    assert (seq, kind, prev) == (1, "chain_key", "0" * 64)
    payload = canonical_refs([("key_fingerprint", key_fingerprint(KEY))])
    assert refs == payload
    assert stored == chained_hash(1, prev, day, kind, memo, refs, [], KEY)
    assert stored != chained_hash(1, prev, day, kind, memo, refs, [])
    # The books keep the fingerprint, never the key.
    assert KEY.decode() not in dump
    assert key_fingerprint(KEY) in dump
    assert (
        key_fingerprint(KEY)
        == hmac.new(KEY, b"wsis-funding chain key fingerprint", hashlib.sha256).hexdigest()
    )


def test_the_key_may_be_given_as_bytes_text_or_a_key_file(db_url: str, tmp_path: Path) -> None:
    key_file = tmp_path / "chain.key"
    key_file.write_bytes(KEY + b"\n")
    with open_tracker(db_url, chain_key=key_file) as tracker:
        Books(tracker).confirmed_pledge("5000")
    with open_tracker(db_url, chain_key=KEY.decode()) as tracker:
        tracker.record_payment(
            1, money("10", "CHF"), received_on=dt.date(2024, 3, 5), reference="B"
        )
        assert tracker.verify() == []
    with open_tracker(db_url, chain_key=KEY) as tracker:
        assert tracker.verify() == []


def test_keyed_books_opened_without_the_key_read_but_refuse_to_change(db_url: str) -> None:
    with open_tracker(db_url, chain_key=KEY) as tracker:
        books = Books(tracker)
        books.confirmed_pledge("5000")
    with open_tracker(db_url) as tracker:
        assert tracker.standing(1, "WSIS2024").committed == money("5000", "CHF")
        before = snapshot(tracker)
        with pytest.raises(errors.ChainKeyRequired, match="keyed"):
            tracker.record_payment(
                1, money("1", "CHF"), received_on=dt.date(2024, 3, 5), reference="x"
            )
        assert snapshot(tracker) == before
        problems = tracker.verify()
        assert [(p.code, p.subject) for p in problems] == [("chain.key", "entry 1")]
        assert "no key was given" in problems[0].message


def test_keyed_books_refuse_another_key_naming_fingerprints_only(db_url: str) -> None:
    with open_tracker(db_url, chain_key=KEY):
        pass
    with pytest.raises(errors.ChainKeyMismatch) as caught:
        open_tracker(db_url, chain_key=OTHER)
    message = str(caught.value)
    assert key_fingerprint(OTHER)[:16] in message
    assert key_fingerprint(KEY)[:16] in message
    assert OTHER.decode() not in message


def test_books_created_without_a_key_refuse_one_until_it_is_declared(db_url: str) -> None:
    with open_tracker(db_url) as tracker:
        books = Books(tracker)
        books.confirmed_pledge("5000")
    with pytest.raises(errors.ChainKeyMismatch, match="declare_chain_key"):
        open_tracker(db_url, chain_key=KEY)
    with open_tracker(db_url) as tracker:
        fingerprint = tracker.declare_chain_key(KEY, on=dt.date(2024, 4, 1))
        assert fingerprint == key_fingerprint(KEY)
        with pytest.raises(errors.ChainKeyMismatch, match="keyed already"):
            tracker.declare_chain_key(OTHER)
        # The tracker that declared the key holds it: it goes on writing keyed entries.
        tracker.record_payment(
            1, money("10", "CHF"), received_on=dt.date(2024, 3, 5), reference="after"
        )
        assert tracker.verify() == []
    with open_tracker(db_url, chain_key=KEY) as tracker:
        assert tracker.verify() == []
    declared = [h for h in _hashes(db_url) if h[2] == "chain_key"]
    assert len(declared) == 1
    seq, day, kind, memo, refs, prev, stored = declared[0]
    assert stored == chained_hash(seq, prev, day, kind, memo, refs, [], KEY)


def test_history_rewritten_without_the_key_is_reported_on_the_keyed_entries(
    db_url: str,
) -> None:
    with open_tracker(db_url, chain_key=KEY) as tracker:
        books = Books(tracker)
        books.confirmed_pledge("5000")
        _pay(books)
        bypass_triggers(tracker)
        sql(tracker, "UPDATE journal_entries SET memo = 'rewritten' WHERE seq = 2")
        rehash_from(tracker, 2)  # the forger has no key: a plain sha256 chain from there
        reported = {(p.code, p.subject) for p in tracker.verify()}
        assert ("chain.hash", "entry 2") in reported
        assert ("chain.hash", "entry 3") in reported


def test_a_key_setting_removed_behind_the_use_cases_is_reported(db_url: str) -> None:
    with open_tracker(db_url, chain_key=KEY) as tracker:
        Books(tracker).confirmed_pledge("5000")
        bypass_triggers(tracker)
        sql(tracker, "DELETE FROM ledger_settings WHERE key = 'chain_key'")
    with pytest.raises(errors.ChainKeyMismatch, match="created without a chain key"):
        open_tracker(db_url, chain_key=KEY)
    with open_tracker(db_url) as tracker:
        # Taken for unkeyed books (a declaration in the chain alone never stops hashes from
        # being checked), so every keyed hash differs, and the orphan declaration is named.
        problems = {(p.code, p.subject): p.message for p in tracker.verify()}
        assert "name no such key" in problems[("chain.key", "entry 1")]
        assert {s for c, s in problems if c == "chain.hash"} == {"entry 1", "entry 2"}


@pytest.mark.parametrize("key", [b"short", "", b"15 bytes only!!"])
def test_a_key_shorter_than_16_bytes_is_refused(sqlite_url: str, key: bytes | str) -> None:
    with pytest.raises(errors.InvalidChainKey, match="at least 16"):
        open_tracker(sqlite_url, chain_key=key)
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_an_unreadable_key_file_is_refused_naming_it(sqlite_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "no.key"
    with pytest.raises(errors.InvalidChainKey, match=r"no\.key"):
        open_tracker(sqlite_url, chain_key=missing)


def test_a_key_of_another_type_is_a_type_error(sqlite_url: str) -> None:
    with pytest.raises(TypeError, match="chain_key must be bytes, str or a path"):
        open_tracker(sqlite_url, chain_key=12345678901234567890)  # type: ignore[arg-type]
