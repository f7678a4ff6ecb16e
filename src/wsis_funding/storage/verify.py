"""Verification of the books: every problem found, or an empty list when they are sound.

Checks: the hash chain (sequence without gaps, each previous-hash link, each recomputed hash,
the chain head), every entry balancing per currency and in base currency, postings dated as
their entry, the running account totals against the postings, and each partner's receivable
against pledges minus settlements minus write-offs, per currency and in base currency.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, select

from wsis_funding.ledger.accounts import receivable
from wsis_funding.ledger.chain import GENESIS, PostingKey, entry_hash
from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.ledger.problems import Problem
from wsis_funding.storage import tables as t
from wsis_funding.storage.journal import CHAIN

__all__ = ["verify_books"]

_BATCH = 5000


def verify_books(conn: Connection) -> list[Problem]:
    """Return every problem found in the books; empty when they are sound."""
    problems: list[Problem] = []
    problems += _chain(conn)
    problems += _totals(conn)
    problems += _receivables(conn)
    return problems


def _chain(conn: Connection) -> list[Problem]:
    problems: list[Problem] = []
    codes = dict(conn.execute(select(t.accounts.c.id, t.accounts.c.code)).all())
    prev_seq, prev_hash = 0, GENESIS
    e, p = t.journal_entries.c, t.journal_postings.c
    while True:
        entries = conn.execute(
            select(t.journal_entries).where(e.seq > prev_seq).order_by(e.seq).limit(_BATCH)
        ).all()
        if not entries:
            break
        lines: dict[int, list[Any]] = defaultdict(list)
        for r in conn.execute(
            select(t.journal_postings)
            .where(p.entry_seq >= entries[0].seq, p.entry_seq <= entries[-1].seq)
            .order_by(p.entry_seq, p.line_no)
        ):
            lines[r.entry_seq].append(r)
        for entry in entries:
            problems += _entry(entry, lines.get(entry.seq, []), codes, prev_seq, prev_hash)
            prev_seq, prev_hash = entry.seq, entry.hash
    head = conn.execute(
        select(t.journal_chain.c.seq, t.journal_chain.c.hash).where(t.journal_chain.c.name == CHAIN)
    ).one()
    if (head.seq, head.hash) != (prev_seq, prev_hash):
        problems.append(
            Problem(
                code="chain.head",
                subject=f"entry {prev_seq}",
                message=f"chain head says entry {head.seq} ({head.hash[:12]}) is last, but the "
                f"journal ends at entry {prev_seq} ({prev_hash[:12]}): entries were removed or "
                "added",
            )
        )
    return problems


def _entry(
    entry: Any, lines: list[Any], codes: dict[int, str], prev_seq: int, prev_hash: str
) -> list[Problem]:
    problems: list[Problem] = []
    seq = entry.seq
    subject = f"entry {seq}"

    def report(code: str, message: str) -> None:
        problems.append(Problem(code=code, subject=subject, message=message))

    if seq != prev_seq + 1:
        report("chain.gap", f"entry {seq}: follows entry {prev_seq}; entries are missing between")
    if entry.prev_hash != prev_hash:
        report("chain.link", f"entry {seq}: broken hash chain, previous hash does not match")
    keys: list[PostingKey] = [
        (
            codes.get(r.account_id, f"?{r.account_id}"),
            r.currency,
            r.amount_minor,
            r.base_minor,
            r.rate,
            r.rate_date.isoformat() if r.rate_date else None,
            r.rate_source,
            r.pledge_id,
        )
        for r in lines
    ]
    digest = entry_hash(
        seq, entry.prev_hash, entry.entry_date, entry.kind, entry.memo, entry.refs, keys
    )
    if digest != entry.hash:
        report("chain.hash", f"entry {seq}: content does not match its hash (tampered)")
    if not lines:
        report("entry.empty", f"entry {seq}: has no postings")
    per_currency: dict[str, int] = defaultdict(int)
    for r in lines:
        per_currency[r.currency] += r.amount_minor
        if r.entry_date != entry.entry_date:
            report(
                "entry.date",
                f"entry {seq} line {r.line_no}: dated {r.entry_date}, entry {entry.entry_date}",
            )
    for code, residue in sorted(per_currency.items()):
        if residue:
            report(
                "entry.unbalanced", f"entry {seq}: unbalanced in {code} by {residue} minor units"
            )
    base = sum(r.base_minor for r in lines)
    if base:
        report(
            "entry.unbalanced", f"entry {seq}: unbalanced in base currency by {base} minor units"
        )
    return problems


def _totals(conn: Connection) -> list[Problem]:
    p = t.journal_postings.c
    sums = {
        (a, c): (amt, base)
        for a, c, amt, base in conn.execute(
            select(
                p.account_id, p.currency, func.sum(p.amount_minor), func.sum(p.base_minor)
            ).group_by(p.account_id, p.currency)
        )
    }
    kept = {
        (r.account_id, r.currency): (r.amount_minor, r.base_minor)
        for r in conn.execute(select(t.account_totals))
    }
    problems = []
    for key in sorted(set(sums) | set(kept)):
        if sums.get(key, (0, 0)) != kept.get(key, (0, 0)):
            problems.append(
                Problem(
                    code="totals",
                    subject=f"account {key[0]} {key[1]}",
                    message=f"account {key[0]} {key[1]}: running total {kept.get(key)} differs "
                    f"from the postings {sums.get(key)}",
                )
            )
    return problems


def _receivables(conn: Connection) -> list[Problem]:
    pl, s = t.pledges.c, t.settlements.c
    posted = [st.value for st in PledgeStatus if st.posted]
    expected: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in conn.execute(
        select(
            pl.partner_id,
            pl.currency,
            func.sum(pl.amount_minor - pl.written_off_minor),
            func.sum(pl.base_minor - pl.written_off_base_minor),
        )
        .where(pl.status.in_(posted))
        .group_by(pl.partner_id, pl.currency)
    ):
        expected[(r[0], r[1])][0] += int(r[2])
        expected[(r[0], r[1])][1] += int(r[3])
    for r in conn.execute(
        select(
            pl.partner_id,
            pl.currency,
            func.sum(s.amount_minor),
            func.sum(s.carrying_base_minor),
        )
        .join(t.pledges, pl.id == s.pledge_id)
        .group_by(pl.partner_id, pl.currency)
    ):
        expected[(r[0], r[1])][0] -= int(r[2])
        expected[(r[0], r[1])][1] -= int(r[3])
    a, p = t.accounts.c, t.journal_postings.c
    booked: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in conn.execute(
        select(a.partner_id, p.currency, func.sum(p.amount_minor), func.sum(p.base_minor))
        .join(t.accounts, a.id == p.account_id)
        .where(a.kind == "receivable")
        .group_by(a.partner_id, p.currency)
    ):
        booked[(r[0], r[1])] = [int(r[2]), int(r[3])]
    problems = []
    for key in sorted(set(expected) | set(booked)):
        want, got = expected.get(key, [0, 0]), booked.get(key, [0, 0])
        if want != got:
            problems.append(
                Problem(
                    code="receivable",
                    subject=f"{receivable(key[0])} {key[1]}",
                    message=f"{receivable(key[0])} {key[1]}: journal holds {got[0]} minor units "
                    f"({got[1]} in base) but pledges minus settlements minus write-offs are "
                    f"{want[0]} ({want[1]} in base)",
                )
            )
    return problems
