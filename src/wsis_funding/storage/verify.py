"""Verification of the books: every problem found, or an empty list when they are sound.

Checks: the hash chain (sequence without gaps, each previous-hash link, each recomputed hash,
the chain head), every entry balancing per currency and in base currency, postings dated as
their entry, the running account totals against the postings, and each partner's receivable
against pledges minus settlements minus write-offs, per currency and in base currency.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from wsis_funding.ledger.accounts import receivable
from wsis_funding.ledger.chain import GENESIS, PostingKey, entry_hash
from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.ledger.problems import Problem
from wsis_funding.storage import tables as t
from wsis_funding.storage.journal import CHAIN

__all__ = ["verify_books"]

_BATCH = 5000


Sums = dict[tuple[int, str], list[int]]
"""Per (account id, currency): [amount, base] added up from the postings, in Python (exact
whatever the size: a SQL SUM of 64-bit values may overflow on SQLite)."""


def verify_books(conn: Connection) -> list[Problem]:
    """Return every problem found in the books; empty when they are sound."""
    problems: list[Problem] = []
    sums: Sums = defaultdict(lambda: [0, 0])
    problems += _chain(conn, sums)
    problems += _totals(conn, sums)
    problems += _receivables(conn, sums)
    problems += _dates(conn)
    return problems


def _chain(conn: Connection, sums: Sums) -> list[Problem]:
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
            rows = lines.get(entry.seq, [])
            problems += _entry(entry, rows, codes, prev_seq, prev_hash)
            for r in rows:
                total = sums[(r.account_id, r.currency)]
                total[0] += r.amount_minor
                total[1] += r.base_minor
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


def _totals(conn: Connection, sums: Sums) -> list[Problem]:
    kept = {
        (r.account_id, r.currency): (int(r.amount_minor), int(r.base_minor))
        for r in conn.execute(select(t.account_totals))
    }
    found = {k: (v[0], v[1]) for k, v in sums.items()}
    problems = []
    for key in sorted(set(found) | set(kept)):
        if found.get(key, (0, 0)) != kept.get(key, (0, 0)):
            problems.append(
                Problem(
                    code="totals",
                    subject=f"account {key[0]} {key[1]}",
                    message=f"account {key[0]} {key[1]}: running total {kept.get(key)} differs "
                    f"from the postings {found.get(key)}",
                )
            )
    return problems


def _receivables(conn: Connection, sums: Sums) -> list[Problem]:
    pl, s = t.pledges.c, t.settlements.c
    posted = [st.value for st in PledgeStatus if st.posted]
    expected: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    partner_of: dict[int, tuple[int, str]] = {}
    for pid, partner, cur, status, amount, written_off, base, written_off_base in conn.execute(
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
            expected[(partner, cur)][1] += base - written_off_base
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
    for (account_id, cur), (amount, base) in sums.items():
        if account_id in receivables:
            booked[(receivables[account_id], cur)] = [amount, base]
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


def _dates(conn: Connection) -> list[Problem]:
    """Report what is dated before the date it must follow (books written before the rule)."""
    problems = []
    pl, jp, d, pay = t.pledges.c, t.journal_postings.c, t.documents.c, t.payments.c
    signed = dict(conn.execute(select(pl.id, pl.signed_on)).all())
    early_entries = conn.execute(
        select(jp.entry_seq, jp.pledge_id, jp.entry_date)
        .join(t.pledges, pl.id == jp.pledge_id)
        .where(jp.entry_date < pl.signed_on)
        .distinct()
        .order_by(jp.entry_seq)
    ).all()
    for seq, pledge_id, on in early_entries:
        problems.append(
            Problem(
                code="dates.entry",
                subject=f"entry {seq}",
                message=f"entry {seq} is dated {on}, before pledge {pledge_id} was signed on "
                f"{signed[pledge_id]}",
            )
        )
    invoice = t.documents.alias("invoice")
    for number, kind, on, pledge_id, refers_on, paid_on in conn.execute(
        select(d.number, d.kind, d.issued_on, d.pledge_id, invoice.c.issued_on, pay.received_on)
        .outerjoin(invoice, invoice.c.id == d.refers_to_id)
        .outerjoin(t.payments, pay.id == d.payment_id)
        .order_by(d.id)
    ):
        if kind != "letter" and on < signed[pledge_id]:
            problems.append(
                Problem(
                    code="dates.document",
                    subject=number,
                    message=f"{number} is dated {on}, before pledge {pledge_id} was signed on "
                    f"{signed[pledge_id]}",
                )
            )
        if refers_on is not None and on < refers_on:
            problems.append(
                Problem(
                    code="dates.document",
                    subject=number,
                    message=f"{number} is dated {on}, before the invoice it credits ({refers_on})",
                )
            )
        if paid_on is not None and on < paid_on:
            problems.append(
                Problem(
                    code="dates.document",
                    subject=number,
                    message=f"{number} is dated {on}, before the payment it acknowledges "
                    f"({paid_on})",
                )
            )
    s = t.settlements.c
    for payment_id, pledge_id, on in conn.execute(
        select(s.payment_id, s.pledge_id, s.received_on)
        .join(t.pledges, pl.id == s.pledge_id)
        .where(s.received_on < pl.signed_on)
        .distinct()
        .order_by(s.payment_id)
    ):
        problems.append(
            Problem(
                code="dates.settlement",
                subject=f"payment {payment_id}",
                message=f"payment {payment_id} received on {on} settled pledge {pledge_id}, "
                f"signed only on {signed[pledge_id]}",
            )
        )
    return problems
