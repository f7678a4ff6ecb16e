"""The pass of ``verify()`` over the journal: every entry, its postings, its link and its hash.

This is the part of verification whose cost grows with the journal (a million entries), so
it reads in ranges of sequence numbers on the driver cursor, as the driver returns rows
(dates stay ISO text on SQLite), and does per entry only what the checks need: rebuild the
posting keys, serialise and hash once, check the balance, add up the running totals. What
it learns on the way (the seals of payments and documents, key declarations) is handed to
the checks that follow (:mod:`.verify_sealed`).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Sequence
from hashlib import sha256
from typing import Any

import attrs
from sqlalchemy import bindparam, func, select

from wsis_funding.ledger.chain import PostingKey, canonical_json, sort_postings
from wsis_funding.ledger.problems import Problem
from wsis_funding.ledger.seals import (
    CHAIN_KEY_KIND,
    DOCUMENT_ID,
    DOCUMENT_KIND,
    DOCUMENT_NUMBER,
    DOCUMENT_SEAL,
    FINGERPRINT,
    PAYMENT_ENTRY,
    PAYMENT_SEAL,
    PAYMENT_SEAL_KIND,
    PAYMENT_SETTLEMENTS,
    RESERVED_KINDS,
)
from wsis_funding.money import format_money, from_minor
from wsis_funding.storage import tables as t
from wsis_funding.storage.chainkey import Keying
from wsis_funding.storage.driver import Driver
from wsis_funding.storage.statements import Statement

__all__ = ["DocumentSeal", "PaymentSeal", "Scan", "money_text", "scan_journal"]

_BATCH = 20_000
_e, _p = t.journal_entries.c, t.journal_postings.c
_ENTRIES = Statement(
    "verify: entries in a range",
    lambda _: (
        select(_e.seq, _e.entry_date, _e.kind, _e.memo, _e.refs, _e.prev_hash, _e.hash)
        .where(_e.seq > bindparam("lo"), _e.seq <= bindparam("hi"))
        .order_by(_e.seq)
    ),
    order=("lo", "hi"),
)
_a = t.accounts.c
# Each posting as its hash key (account code to pledge id, columns 1 to 8), then what the other
# checks need: the account id, the date, the line number. The code comes from the outer join:
# a posting whose account is gone gets none, and its entry's hash no longer matches.
_POSTINGS = Statement(
    "verify: postings in a range",
    lambda _: (
        select(
            _p.entry_seq,
            _a.code,
            _p.currency,
            _p.amount_minor,
            _p.base_minor,
            _p.rate,
            _p.rate_date,
            _p.rate_source,
            _p.pledge_id,
            _p.account_id,
            _p.entry_date,
            _p.line_no,
        )
        .select_from(t.journal_postings.outerjoin(t.accounts, _a.id == _p.account_id))
        .where(_p.entry_seq > bindparam("lo"), _p.entry_seq <= bindparam("hi"))
        .order_by(_p.entry_seq, _p.line_no)
    ),
    order=("lo", "hi"),
)
_LAST = Statement("verify: last entry", lambda _: select(func.max(_e.seq)))


@attrs.frozen
class PaymentSeal:
    """The seal of a payment found in the chain: where, and what it sealed."""

    seq: int
    payment: str
    settlements: str
    memo: str


@attrs.frozen
class DocumentSeal:
    """The seal of a document found in the chain: where, its id, and what it sealed."""

    seq: int
    document_id: int
    seal: str


@attrs.define
class Scan:
    """What the pass over the journal found.

    ``sums`` are the postings added up per (account id, currency): [amount, base] minor
    units; ``payments`` the payment seals by the sequence number of the payment's entry;
    ``documents`` the document seals by number; ``declarations`` the (seq, fingerprint) of
    entries that key the chain; ``last`` the last (seq, hash) read; ``unchecked`` how many
    keyed hashes could not be checked because no key was given.
    """

    problems: list[Problem] = attrs.Factory(list)
    sums: dict[tuple[int, str], list[int]] = attrs.Factory(dict)
    payments: dict[int, PaymentSeal] = attrs.Factory(dict)
    documents: dict[str, DocumentSeal] = attrs.Factory(dict)
    declarations: list[tuple[int, str]] = attrs.Factory(list)
    last: tuple[int, str] = (0, "")
    unchecked: int = 0


def money_text(minor: int, code: str) -> str:
    """Return minor units of ``code`` as money ("CHF1,000.00"), for a problem's message."""
    try:
        return format_money(from_minor(int(minor), code), "en")
    except LookupError:  # a currency code the books do not know: show what is stored
        return f"{minor} (smallest unit of {code!r})"


def scan_journal(
    driver: Driver,
    *,
    after: int,
    prev_hash: str | None,
    keying: Keying,
    base: str,
    until: int = 0,
) -> Scan:
    """Check every entry after ``after`` (and its postings); return what was found.

    ``prev_hash`` is the hash the first entry must link to (None: not checked, when
    starting from an exported head). ``base`` is the books' base currency and ``until`` the
    last entry the chain head names (the pass reads to the last entry stored, or to
    ``until`` if that is beyond).
    """
    found = Scan(last=(after, prev_hash or ""))
    last = driver.one(_LAST)[0]
    end = max(int(last or 0), until)
    native = driver.native_dates
    days: dict[Any, str] = {}
    problems = found.problems
    sums = found.sums
    key = keying.key
    keyed_from = keying.keyed_from if keying.fingerprint is not None else None
    dumps: Callable[[object], str] = canonical_json
    last_seq, last_hash = after, prev_hash
    lo = after
    while lo < end:
        hi = lo + _BATCH
        entries = driver.all(_ENTRIES, (lo, hi))
        postings = driver.all(_POSTINGS, (lo, hi))
        n, j = len(postings), 0
        for seq, entry_day, kind, memo, refs, prev, stored in entries:
            if seq != last_seq + 1:
                problems.append(_gap(seq, last_seq))
            if last_hash is not None and prev != last_hash:
                problems.append(_at("chain.link", seq, "broken hash chain, previous hash does "
                                    "not match"))  # fmt: skip
            if native:
                day = days.get(entry_day)
                if day is None:
                    day = days[entry_day] = entry_day.isoformat()
            else:
                day = entry_day
            rows: Sequence[Any]
            if (
                j + 1 < n
                and postings[j][0] == seq
                and postings[j + 1][0] == seq
                and (j + 2 == n or postings[j + 2][0] != seq)
            ):
                # The common entry, two lines: everything inline.
                a, b = rows = postings[j], postings[j + 1]
                j += 2
                if native and (a[6] is not None or b[6] is not None):
                    ka, kb = _key(a, days), _key(b, days)
                else:
                    ka, kb = a[1:9], b[1:9]
                try:
                    keys = [kb, ka] if ka > kb else [ka, kb]
                except TypeError:
                    keys = [ka, kb]
                    sort_postings(keys)
                for r in rows:
                    total = sums.get((r[9], r[2]))
                    if total is None:
                        sums[(r[9], r[2])] = [r[3], r[4]]
                    else:
                        total[0] += r[3]
                        total[1] += r[4]
                if a[2] != b[2] or a[3] + b[3] or a[4] + b[4]:
                    problems += _balance(seq, rows, base)
                if a[10] != entry_day or b[10] != entry_day:
                    problems += _dates(seq, rows, entry_day, day)
            else:
                while j < n and postings[j][0] < seq:
                    problems.append(_orphan(postings[j]))
                    j += 1
                k = j
                while k < n and postings[k][0] == seq:
                    k += 1
                rows = postings[j:k]
                j = k
                keys = [_key(r, days) if native else r[1:9] for r in rows]
                for r in rows:
                    total = sums.get((r[9], r[2]))
                    if total is None:
                        sums[(r[9], r[2])] = [r[3], r[4]]
                    else:
                        total[0] += r[3]
                        total[1] += r[4]
                if rows:
                    problems += _balance(seq, rows, base)
                    problems += _dates(seq, rows, entry_day, day)
                    sort_postings(keys)
            payload = dumps([seq, prev, day, kind, memo, refs, keys]).encode()
            if keyed_from is not None and seq >= keyed_from:
                if key is None:
                    found.unchecked += 1
                    digest = stored
                else:
                    digest = hmac.digest(key, payload, "sha256").hex()
            else:
                digest = sha256(payload).hexdigest()
            if digest != stored:
                problems.append(_at("chain.hash", seq, "content does not match its hash "
                                    "(tampered)"))  # fmt: skip
            if kind in RESERVED_KINDS:
                if rows:
                    problems.append(_at("entry.seal", seq, f"a {kind} entry has postings"))
                _sealing(found, seq, kind, memo, refs)
            elif not rows:
                problems.append(_at("entry.empty", seq, "has no postings"))
            elif "_sha256" in refs:
                _sealing(found, seq, kind, memo, refs)
            last_seq, last_hash = seq, stored
        problems.extend(_orphan(r) for r in postings[j:])
        lo = hi
    found.last = (last_seq, last_hash or "")
    return found


def _key(row: Any, days: dict[Any, str]) -> PostingKey:
    """Return a posting's hash key from a row whose rate date is a date (PostgreSQL): ISO text."""
    rate_day = row[6]
    if rate_day is not None:
        text = days.get(rate_day)
        if text is None:
            text = days[rate_day] = rate_day.isoformat()
        rate_day = text
    return (row[1], row[2], row[3], row[4], row[5], rate_day, row[7], row[8])


def _dates(seq: int, rows: Sequence[Any], entry_day: Any, day: str) -> list[Problem]:
    return [
        _at("entry.date", seq, f"line {r[11]} is dated {_day(r[10])}, its entry {day}")
        for r in rows
        if r[10] != entry_day
    ]


def _sealing(found: Scan, seq: int, kind: str, memo: str, refs: str) -> None:
    """Record the seals an entry carries (a malformed set is a problem of that entry)."""
    try:
        named = {str(k): str(v) for k, v in json.loads(refs)}
    except (ValueError, TypeError):
        found.problems.append(_at("entry.seal", seq, "its references are not readable"))
        return
    try:
        if kind == DOCUMENT_KIND:
            found.documents[named[DOCUMENT_NUMBER]] = DocumentSeal(
                seq=seq, document_id=int(named[DOCUMENT_ID]), seal=named[DOCUMENT_SEAL]
            )
        elif kind == CHAIN_KEY_KIND:
            found.declarations.append((seq, named[FINGERPRINT]))
        else:
            target = int(named[PAYMENT_ENTRY]) if kind == PAYMENT_SEAL_KIND else seq
            found.payments[target] = PaymentSeal(
                seq=seq,
                payment=named[PAYMENT_SEAL],
                settlements=named[PAYMENT_SETTLEMENTS],
                memo=memo,
            )
    except (KeyError, ValueError):
        found.problems.append(_at("entry.seal", seq, f"a {kind} entry without its seal"))


def _at(code: str, seq: int, text: str) -> Problem:
    return Problem(code=code, subject=f"entry {seq}", message=f"entry {seq}: {text}")


def _day(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _gap(seq: int, last: int) -> Problem:
    return _at("chain.gap", seq, f"follows entry {last}; entries are missing between")


def _orphan(row: Any) -> Problem:
    seq = row[0]
    return _at("entry.missing", seq, f"line {row[11]} remains, but the entry is gone (deleted)")


def _balance(seq: int, rows: Sequence[Any], base: str) -> list[Problem]:
    """Report in which currencies (and in base currency) an entry does not balance."""
    per_currency: dict[str, int] = {}
    for r in rows:
        per_currency[r[2]] = per_currency.get(r[2], 0) + r[3]
    out = [
        _at("entry.unbalanced", seq, f"unbalanced in {code} by {money_text(residue, code)}")
        for code, residue in sorted(per_currency.items())
        if residue
    ]
    total = sum(r[4] for r in rows)
    if total:
        out.append(
            _at("entry.unbalanced", seq, f"unbalanced in base currency by "
                f"{money_text(total, base)}")
        )  # fmt: skip
    return out
