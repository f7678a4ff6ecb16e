"""What ``verify()`` checks besides the journal: the rows the chain seals, and what they imply.

- Each payment and its settlements against the seals in its entry; a sealed payment that is
  gone, a payment the chain never sealed, settlements left without their payment.
- Each document (its columns, snapshot text and coverage) against its seal; a sealed
  document that is gone, one never sealed; the numbers of each series and year against
  their counter (a deleted document leaves a gap); images against their SHA-256.
- Instalments and pledges: what they say was settled against their settlements.

Full checks read every row. From an exported head (``since``) only what the chain appended
after it is checked: the payments of those entries and the documents they seal, and any
payment or document stored after the newest one sealed before the head.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Any

from sqlalchemy import Connection, func, or_, select, true

from wsis_funding.documents.numbering import format_number
from wsis_funding.ledger.problems import Problem
from wsis_funding.ledger.seals import (
    DOCUMENT_COLUMNS,
    DOCUMENT_ID,
    DOCUMENT_KIND,
    PAYMENT_COLUMNS,
    SETTLEMENT_COLUMNS,
    document_seal,
    payment_seal,
    settlements_seal,
)
from wsis_funding.storage import tables as t
from wsis_funding.storage.verify_chain import DocumentSeal, PaymentSeal, money_text

__all__ = ["check_documents", "check_payments", "check_settled"]

_CHUNK = 500
_pay, _set, _doc = t.payments.c, t.settlements.c, t.documents.c


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def check_payments(
    conn: Connection, seals: dict[int, PaymentSeal], since: int | None = None
) -> list[Problem]:
    """Check payments and settlements against the seals found in the chain (by entry seq).

    ``since`` limits the check to payments of entries after it (and those sealed after it).
    """
    columns = (_pay.id, _pay.entry_seq, *(_pay[c] for c in PAYMENT_COLUMNS))
    payments: list[Any]
    if since is None:
        payments = list(conn.execute(select(*columns).order_by(_pay.id)))
    else:
        payments = list(conn.execute(select(*columns).where(_pay.entry_seq > since)))
        older = sorted(s for s in seals if s <= since)
        for chunk in _chunks(older):
            payments += conn.execute(select(*columns).where(_pay.entry_seq.in_(chunk))).all()
    settled: dict[int, list[Any]] = defaultdict(list)
    query = select(_set.payment_id, *(_set[c] for c in SETTLEMENT_COLUMNS))
    if since is None:
        for row in conn.execute(query):
            settled[row[0]].append(row[1:])
    else:
        for chunk in _chunks([p[0] for p in payments]):
            for row in conn.execute(query.where(_set.payment_id.in_(chunk))):
                settled[row[0]].append(row[1:])
    problems: list[Problem] = []
    left = dict(seals)
    for row in payments:
        payment_id, entry_seq = row[0], row[1]
        subject = f"payment {payment_id}"
        seal = left.pop(entry_seq, None)
        if seal is None:
            problems.append(
                Problem(
                    code="payment.unsealed",
                    subject=subject,
                    message=f"payment {payment_id} (bank reference {row[7]!r}) is sealed by no "
                    f"chain entry: its entry {entry_seq} seals no payment, or another one "
                    "(stored or re-pointed behind the use cases)",
                )
            )
            continue
        if payment_seal(row[2:]) != seal.payment:
            problems.append(
                Problem(
                    code="payment.seal",
                    subject=subject,
                    message=f"payment {payment_id} (bank reference {row[7]!r}) does not match "
                    f"what entry {seal.seq} sealed: changed behind the use cases",
                )
            )
        if settlements_seal(settled.pop(payment_id, [])) != seal.settlements:
            problems.append(
                Problem(
                    code="payment.settlements",
                    subject=subject,
                    message=f"the settlements of payment {payment_id} do not match what entry "
                    f"{seal.seq} sealed: changed, added or deleted behind the use cases",
                )
            )
    for entry_seq, seal in sorted(left.items()):
        if since is not None and entry_seq <= since and seal.seq <= since:
            continue
        problems.append(
            Problem(
                code="payment.missing",
                subject=f"entry {entry_seq}",
                message=f"entry {entry_seq} ({seal.memo}) records a payment that is gone: "
                "deleted behind the use cases",
            )
        )
    for payment_id in sorted(settled):
        problems.append(
            Problem(
                code="payment.missing",
                subject=f"payment {payment_id}",
                message=f"settlements of payment {payment_id} remain, but the payment is gone",
            )
        )
    return problems


def _last_sealed_document(conn: Connection, since: int) -> int:
    """Return the id of the newest document sealed at or before entry ``since`` (0: none)."""
    e = t.journal_entries.c
    refs = conn.execute(
        select(e.refs)
        .where(e.kind == DOCUMENT_KIND, e.seq <= since)
        .order_by(e.seq.desc())
        .limit(1)
    ).scalar()
    if refs is None:
        return 0
    return int(dict(json.loads(refs)).get(DOCUMENT_ID, 0))


def check_documents(
    conn: Connection, seals: dict[str, DocumentSeal], since: int | None = None
) -> list[Problem]:
    """Check documents against their seals, and (in full) numbers against their counters.

    ``since`` limits the check to documents sealed after that entry and those stored after
    the newest one sealed before it.
    """
    columns = (*(_doc[c] for c in DOCUMENT_COLUMNS), _doc.snapshot)
    if since is None:
        where: Any = true()
    else:
        where = or_(_doc.number.in_(sorted(seals)), _doc.id > _last_sealed_document(conn, since))
    documents = conn.execute(select(*columns).where(where).order_by(_doc.id)).all()
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    c = t.invoice_coverage.c
    for chunk in _chunks([d[0] for d in documents]):
        for doc_id, inst_id, amount in conn.execute(
            select(c.document_id, c.instalment_id, c.amount_minor).where(c.document_id.in_(chunk))
        ):
            covered[doc_id].append((inst_id, amount))
    problems: list[Problem] = []
    left = dict(seals)
    for row in documents:
        number = row[5]
        seal = left.pop(number, None)
        if seal is None:
            problems.append(
                Problem(
                    code="document.unsealed",
                    subject=number,
                    message=f"{number} is sealed by no chain entry: stored behind the use cases",
                )
            )
        elif seal.document_id != row[0] or seal.seal != document_seal(
            row[: len(DOCUMENT_COLUMNS)], row[-1], covered.get(row[0], [])
        ):
            problems.append(
                Problem(
                    code="document.seal",
                    subject=number,
                    message=f"{number} does not match what entry {seal.seq} sealed when it was "
                    "issued: changed behind the use cases (its PDF would show the change)",
                )
            )
    for number, seal in sorted(left.items(), key=lambda kv: kv[1].seq):
        problems.append(
            Problem(
                code="document.missing",
                subject=number,
                message=f"{number}, sealed by entry {seal.seq}, is gone: deleted behind the "
                "use cases",
            )
        )
    if since is None:
        problems += _numbers(conn, [(r[2], r[3], r[4]) for r in documents])
        problems += _assets(conn)
    return problems


def _numbers(conn: Connection, taken: list[tuple[str, int, int]]) -> list[Problem]:
    """Check each series and year's numbers are exactly 1 to what its counter gave."""
    seqs: dict[tuple[str, int], set[int]] = defaultdict(set)
    for series, year, seq in taken:
        seqs[(series, year)].add(seq)
    c = t.document_counters.c
    counters = {(s, y): int(n) for s, y, n in conn.execute(select(c.series, c.year, c.last_seq))}
    problems = []
    for series, year in sorted(set(seqs) | set(counters)):
        have = seqs.get((series, year), set())
        given = counters.get((series, year), 0)
        for seq in range(1, given + 1):
            if seq not in have:
                number = format_number(series, year, seq)
                problems.append(
                    Problem(
                        code="document.gap",
                        subject=number,
                        message=f"{number} is missing: the counter of {series} {year} gave "
                        f"numbers 1 to {given}, and no document has this one",
                    )
                )
        beyond = sorted(s for s in have if s > given)
        if beyond:
            number = format_number(series, year, beyond[0])
            problems.append(
                Problem(
                    code="document.counter",
                    subject=number,
                    message=f"{number} exists, but the counter of {series} {year} gave only "
                    f"numbers 1 to {given}",
                )
            )
    return problems


def _assets(conn: Connection) -> list[Problem]:
    a = t.document_assets.c
    return [
        Problem(
            code="document.asset",
            subject=f"image {key[:12]}",
            message=f"the image {key[:12]} documents show does not match its SHA-256: changed",
        )
        for key, data in conn.execute(select(a.sha256, a.data))
        if sha256(bytes(data)).hexdigest() != key
    ]


def check_settled(conn: Connection, base: str) -> list[Problem]:
    """Check instalments and pledges say what their settlements add up to (``base``: CHF)."""
    s, i, p = _set, t.instalments.c, t.pledges.c
    per_instalment: dict[int, int] = {
        int(inst): int(total)
        for inst, total in conn.execute(
            select(s.instalment_id, func.sum(s.amount_minor)).group_by(s.instalment_id)
        )
    }
    per_pledge = {
        pid: (int(a), int(b))
        for pid, a, b in conn.execute(
            select(s.pledge_id, func.sum(s.amount_minor), func.sum(s.carrying_base_minor))
            .group_by(s.pledge_id)
        )
    }  # fmt: skip
    currency: dict[int, str] = {int(k): str(v) for k, v in conn.execute(select(p.id, p.currency))}
    problems = []
    for inst_id, pledge_id, settled in conn.execute(
        select(i.id, i.pledge_id, i.settled_minor).order_by(i.id)
    ):
        want = int(per_instalment.get(inst_id, 0))
        if int(settled) != want:
            code = currency.get(pledge_id, "")
            problems.append(
                Problem(
                    code="instalment.settled",
                    subject=f"instalment {inst_id}",
                    message=f"instalment {inst_id} of pledge {pledge_id} says "
                    f"{money_text(settled, code)} was paid, its settlements add up to "
                    f"{money_text(want, code)}",
                )
            )
    for pledge_id, settled, settled_base in conn.execute(
        select(p.id, p.settled_minor, p.settled_base_minor).order_by(p.id)
    ):
        want, want_base = per_pledge.get(pledge_id, (0, 0))
        if (int(settled), int(settled_base)) != (want, want_base):
            code = currency[pledge_id]
            said, added = money_text(settled, code), money_text(want, code)
            if int(settled) == want:
                said, added = money_text(settled_base, base), money_text(want_base, base)
            problems.append(
                Problem(
                    code="pledge.settled",
                    subject=f"pledge {pledge_id}",
                    message=f"pledge {pledge_id} says {said} was paid, its settlements add up "
                    f"to {added}",
                )
            )
    return problems
