"""The hand-written raw-SQL floor of record_payment: the same statements, no library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wsis_funding.ledger.chain import canonical_refs, entry_hash
from wsis_funding.ledger.seals import payment_seal, settlements_seal

DAY = dt.date(2024, 3, 1)

UPSERT = (
    "INSERT INTO account_totals (account_id, currency, amount_minor, base_minor) "
    "VALUES ({q}, {q}, {q}, {q}) ON CONFLICT (account_id, currency) DO UPDATE SET "
    "amount_minor = account_totals.amount_minor + excluded.amount_minor, "
    "base_minor = account_totals.base_minor + excluded.base_minor"
)
"""Adding an entry's postings to the running totals (``{q}``: the driver's placeholder)."""

Line = tuple[str, str, int, int, str | None, str | None, str | None, int | None]
"""A posting as the floors write it: account code, currency, amount, base, rate, rate date,
rate source, pledge id."""


def append_entry(
    cur: Any, q: str, ids: dict[str, int], head: tuple[int, str], day: object,
    memo: str, refs: str, lines: Sequence[Line],
) -> tuple[int, str]:  # fmt: skip
    """Append one payment entry after ``head`` (its postings and totals); return the new head.

    ``day`` is the entry date as the driver takes it; the hash is of ``DAY``.
    """
    seq, prev = head[0] + 1, head[1]
    digest = entry_hash(seq, prev, DAY, "payment", memo, refs, lines)
    cur.execute(
        "INSERT INTO journal_entries (seq, entry_date, kind, memo, refs, prev_hash, hash) "
        f"VALUES ({q}, {q}, {q}, {q}, {q}, {q}, {q})",
        (seq, day, "payment", memo, refs, prev, digest),
    )
    cur.executemany(
        "INSERT INTO journal_postings (entry_seq, line_no, account_id, currency, "
        "amount_minor, base_minor, rate, rate_date, rate_source, pledge_id, entry_date) "
        f"VALUES ({q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q})",
        [
            (seq, n + 1, ids[a], c, m, b, r, rd, rs, pl, day)
            for n, (a, c, m, b, r, rd, rs, pl) in enumerate(lines)
        ],
    )
    cur.executemany(UPSERT.format(q=q), sorted((ids[a], c, m, b) for a, c, m, b, *_ in lines))
    cur.execute(
        f"UPDATE journal_chain SET seq = {q}, hash = {q} WHERE name = 'journal'", (seq, digest)
    )
    return seq, digest


def raw_payments(conn: Any, engine: str, partner_id: int, n: int) -> None:
    """Record ``n`` CHF payments of 10.00 for ``partner_id``, one transaction each."""
    q = "?" if engine == "sqlite" else "%s"
    cur = conn.cursor()
    ids = dict(cur.execute("SELECT code, id FROM accounts").fetchall())
    if engine != "sqlite":
        conn.commit()
    for code in ("bank:CHF", "psc:WSIS2024", "psc_income"):
        if code not in ids:
            kind = code.split(":")[0]
            cur.execute(f"INSERT INTO accounts (code, kind) VALUES ({q}, {q})", (code, kind))
            ids[code] = cur.execute(
                f"SELECT id FROM accounts WHERE code = {q}", (code,)
            ).fetchone()[0]
    if engine != "sqlite":
        conn.commit()
    lock = " FOR UPDATE" if engine == "postgresql" else ""
    day = DAY if engine != "sqlite" else DAY.isoformat()
    for i in range(n):
        if engine == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        seq, prev = cur.execute(
            f"SELECT seq, hash FROM journal_chain WHERE name = 'journal'{lock}"
        ).fetchone()
        cur.execute(f"SELECT id FROM partners WHERE id = {q}", (partner_id,)).fetchone()
        key = f"key-{i}"
        cur.execute(f"SELECT * FROM payments WHERE idempotency_key = {q}", (key,)).fetchone()
        inst = cur.execute(
            "SELECT i.id, i.pledge_id, i.amount_minor, i.settled_minor, p.currency, "
            "p.amount_minor, p.base_minor, p.settled_minor, p.settled_base_minor, p.rate, "
            "p.rate_date, p.rate_source, e.code, e.psc_rate FROM instalments i "
            "JOIN pledges p ON p.id = i.pledge_id JOIN editions e ON e.id = p.edition_id "
            f"WHERE p.partner_id = {q} AND p.status IN ('confirmed', 'partially_paid') "
            "AND i.replaced = false AND i.written_off = false "
            "AND i.settled_minor < i.amount_minor "
            "ORDER BY i.due_on, p.signed_on, p.id, i.seq",
            (partner_id,),
        ).fetchall()
        inst_id, pledge_id = inst[0][0], inst[0][1]
        amount = 1000
        psc = (amount * 7 + 50) // 100
        lines = [
            ("bank:CHF", "CHF", amount, amount, None, None, None, None),
            (f"receivable:{partner_id}", "CHF", -amount, -amount, None, None, None, pledge_id),
            ("psc:WSIS2024", "CHF", psc, psc, None, None, None, None),
            ("psc_income", "CHF", -psc, -psc, None, None, None, None),
        ]
        # The seals of the payment row and its settlement, as the library writes them.
        row = (partner_id, "CHF", amount, 0, DAY, f"REF{i}", key, None, amount, 0, "bank", None,
               None, None, None)  # fmt: skip
        settled = [(inst_id, pledge_id, amount, amount, amount, DAY, None)]
        refs = canonical_refs(
            [("partner", str(partner_id)), ("reference", f"REF{i}"),
             ("payment_sha256", payment_seal(row)),
             ("settlements_sha256", settlements_seal(settled))]
        )  # fmt: skip
        memo = f"Payment REF{i} from partner {partner_id}"
        seq, _ = append_entry(cur, q, ids, (seq, prev), day, memo, refs, lines)
        payment_id = cur.execute(
            "INSERT INTO payments (partner_id, currency, amount_minor, charges_minor, "
            "received_on, reference, idempotency_key, apply_to, settled_minor, unapplied_minor, "
            f"entry_seq) VALUES ({q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}) "
            "RETURNING id",
            (partner_id, "CHF", amount, 0, day, f"REF{i}", key, None, amount, 0, seq),
        ).fetchone()[0]
        cur.execute(
            "INSERT INTO settlements (payment_id, instalment_id, pledge_id, amount_minor, "
            f"carrying_base_minor, paid_base_minor, received_on) VALUES ({q}, {q}, {q}, {q}, "
            f"{q}, {q}, {q})",
            (payment_id, inst_id, pledge_id, amount, amount, amount, day),
        )
        cur.execute(
            f"UPDATE instalments SET settled_minor = settled_minor + {q} WHERE id = {q}",
            (amount, inst_id),
        )
        cur.execute(
            f"UPDATE pledges SET settled_minor = settled_minor + {q}, "
            f"settled_base_minor = settled_base_minor + {q}, status = {q} WHERE id = {q}",
            (amount, amount, "partially_paid", pledge_id),
        )
        if engine == "sqlite":
            cur.execute("COMMIT")
        else:
            conn.commit()
