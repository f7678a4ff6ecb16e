"""Verification of the books: every problem found, or an empty list when they are sound.

Checks: the hash chain (sequence without gaps, each previous-hash link, each recomputed hash
or HMAC, the chain head, the key declaration), every entry balancing per currency and in
base currency, postings dated as their entry (:mod:`.verify_chain`); payments, settlements
and documents against the seals the chain holds, document numbers against their counters,
instalments and pledges against their settlements (:mod:`.verify_sealed`); the running
account totals against the postings; each partner's receivable against pledges minus
settlements minus write-offs, per currency and in base currency; dates in order
(:mod:`.verify_dates`). From a head exported earlier: whether the chain still passes through
it, and only what was appended since.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, func, select

from wsis_funding.ledger.accounts import receivable
from wsis_funding.ledger.chain import GENESIS, ChainHead
from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.ledger.problems import Problem
from wsis_funding.storage import tables as t
from wsis_funding.storage.chainkey import Keying
from wsis_funding.storage.driver import Driver
from wsis_funding.storage.journal import read_head
from wsis_funding.storage.verify_chain import Scan, money_text, scan_journal
from wsis_funding.storage.verify_dates import dated_out_of_order
from wsis_funding.storage.verify_sealed import check_documents, check_payments, check_settled

__all__ = ["verify_books"]

Sums = dict[tuple[int, str], list[int]]
"""Per (account id, currency): [amount, base] added up from the postings, in Python (exact
whatever the size: a SQL SUM of 64-bit values may overflow on SQLite)."""


def verify_books(
    conn: Connection,
    *,
    base: str,
    keying: Keying | None = None,
    expected_head: ChainHead | None = None,
) -> list[Problem]:
    """Return every problem found in the books; empty when they are sound.

    ``base`` is the books' base currency, ``keying`` their chain key (declared, and given).
    With ``expected_head`` (exported earlier), report whether the chain still passes through
    it, and check only what was appended since.
    """
    keying = keying or Keying()
    driver = Driver(conn)
    codes = dict(conn.execute(select(t.accounts.c.id, t.accounts.c.code)).all())
    head = read_head(conn)
    if expected_head is None:
        scan = scan_journal(
            driver, after=0, prev_hash=GENESIS, keying=keying, base=base, until=head[0]
        )
        since = None
        problems = scan.problems
    else:
        problems = _anchor(conn, expected_head)
        if problems and problems[0].code == "chain.cut":
            return problems + _head(head, None)
        since = expected_head.seq
        # From the genesis, the first entry links to it; from an entry, that entry is read
        # again (its hash recomputed) and its own link taken as it is.
        after, prev = (0, GENESIS) if since == 0 else (since - 1, None)
        scan = scan_journal(
            driver, after=after, prev_hash=prev, keying=keying, base=base, until=head[0]
        )
        problems += scan.problems
    problems += _head(head, scan.last)
    problems += _keying(conn, keying, scan, since)
    problems += check_payments(conn, scan.payments, since)
    problems += check_documents(conn, scan.documents, since)
    if since is None:
        problems += _totals(conn, scan.sums, codes, base)
        problems += _receivables(conn, scan.sums, base)
        problems += check_settled(conn, base)
        problems += dated_out_of_order(conn)
    return problems


def _anchor(conn: Connection, expected: ChainHead) -> list[Problem]:
    """Report whether the chain still passes through a head exported earlier."""
    e = t.journal_entries.c
    if expected.seq == 0:
        stored: str | None = GENESIS
    else:
        stored = conn.execute(select(e.hash).where(e.seq == expected.seq)).scalar()
    subject = f"entry {expected.seq}"
    if stored is None:
        last = conn.execute(select(func.max(e.seq))).scalar() or 0
        return [
            Problem(
                code="chain.cut",
                subject=subject,
                message=f"the journal ends at entry {last}, before entry {expected.seq} of the "
                f"head {expected.seq}:{expected.hash[:12]}...: entries were removed "
                "(truncated)",
            )
        ]
    if stored != expected.hash:
        return [
            Problem(
                code="chain.rewritten",
                subject=subject,
                message=f"entry {expected.seq} now has the hash {stored[:12]}..., not "
                f"{expected.hash[:12]}... as the head exported earlier says: the chain was "
                "rewritten up to there",
            )
        ]
    return []


def _head(head: tuple[int, str], last: tuple[int, str] | None) -> list[Problem]:
    if last is None or head == last:
        return []
    return [
        Problem(
            code="chain.head",
            subject=f"entry {last[0]}",
            message=f"chain head says entry {head[0]} ({head[1][:12]}) is last, but the "
            f"journal ends at entry {last[0]} ({last[1][:12]}): entries were removed or added",
        )
    ]


def _keying(conn: Connection, keying: Keying, scan: Scan, since: int | None) -> list[Problem]:
    """Check the key the books declare against the declarations in the chain."""
    problems = []
    declared = keying.keyed_from if keying.fingerprint is not None else None
    for seq, fingerprint in scan.declarations:
        if seq != declared or fingerprint != keying.fingerprint:
            problems.append(
                Problem(
                    code="chain.key",
                    subject=f"entry {seq}",
                    message=f"entry {seq} keys the chain (key fingerprint {fingerprint[:16]}), "
                    "but the books name no such key: their key setting was changed or removed",
                )
            )
    in_range = declared is not None and (since is None or declared >= since)
    if in_range and (declared, keying.fingerprint) not in scan.declarations:
        problems.append(
            Problem(
                code="chain.key",
                subject=f"entry {declared}",
                message=f"the books say the chain is keyed from entry {declared}, but that "
                "entry declares no key",
            )
        )
    if scan.unchecked:
        assert keying.fingerprint is not None
        problems.append(
            Problem(
                code="chain.key",
                subject=f"entry {declared}",
                message=f"the chain is keyed from entry {declared} (key fingerprint "
                f"{keying.fingerprint[:16]}) and no key was given: the hashes of "
                f"{scan.unchecked} entries were not checked; verify with the key",
            )
        )
    return problems


def _totals(conn: Connection, sums: Sums, codes: dict[int, str], base: str) -> list[Problem]:
    """Check the running account totals against the postings added up."""
    kept = {
        (r.account_id, r.currency): (int(r.amount_minor), int(r.base_minor))
        for r in conn.execute(select(t.account_totals))
    }
    found = {k: (v[0], v[1]) for k, v in sums.items()}
    problems = []
    for key in sorted(set(found) | set(kept)):
        have, want = kept.get(key, (0, 0)), found.get(key, (0, 0))
        if have != want:
            account = codes.get(key[0], f"#{key[0]}")
            code = key[1]
            said, added = money_text(have[0], code), money_text(want[0], code)
            if have[0] == want[0]:
                said = f"{money_text(have[1], base)} in base currency"
                added = money_text(want[1], base)
            problems.append(
                Problem(
                    code="totals",
                    subject=f"{account} {code}",
                    message=f"account {account} {code}: running total {said} differs from the "
                    f"postings, which add up to {added}",
                )
            )
    return problems


def _receivables(conn: Connection, sums: Sums, base: str) -> list[Problem]:
    """Check each partner's receivable against pledges less settlements and write-offs."""
    pl, s = t.pledges.c, t.settlements.c
    posted = [st.value for st in PledgeStatus if st.posted]
    expected: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    partner_of: dict[int, tuple[int, str]] = {}
    for pid, partner, cur, status, amount, written_off, value, written_off_base in conn.execute(
        select(
            pl.id,
            pl.partner_id,
            pl.currency,
            pl.status,
            pl.amount_minor,
            pl.written_off_minor,
            pl.base_minor,
            pl.written_off_base_minor,
        )
    ):
        partner_of[pid] = (partner, cur)
        if status in posted:
            expected[(partner, cur)][0] += amount - written_off
            expected[(partner, cur)][1] += value - written_off_base
    for pid, amount, carrying in conn.execute(
        select(s.pledge_id, s.amount_minor, s.carrying_base_minor)
    ):
        key = partner_of[pid]
        expected[key][0] -= amount
        expected[key][1] -= carrying
    a = t.accounts.c
    receivables: dict[int, int] = {
        r.id: r.partner_id
        for r in conn.execute(select(a.id, a.partner_id).where(a.kind == "receivable"))
    }
    booked: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for (account_id, cur), (amount, value) in sums.items():
        if account_id in receivables:
            booked[(receivables[account_id], cur)] = [amount, value]
    problems = []
    for key in sorted(set(expected) | set(booked)):
        want, got = expected.get(key, [0, 0]), booked.get(key, [0, 0])
        if want != got:
            code = key[1]
            problems.append(
                Problem(
                    code="receivable",
                    subject=f"{receivable(key[0])} {code}",
                    message=f"{receivable(key[0])} {code}: journal holds "
                    f"{money_text(got[0], code)} ({money_text(got[1], base)} in base) but "
                    f"pledges minus settlements minus write-offs are {money_text(want[0], code)}"
                    f" ({money_text(want[1], base)} in base)",
                )
            )
    return problems
