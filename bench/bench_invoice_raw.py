"""The hand-written raw-SQL floor of a payment quoting an invoice: the same statements.

Each payment settles all of a 100.00 invoice of one instalment: in CHF, or (``cross``) with
CHF 88.00 stating USD 100.00 on a day the USD rate is 0.88, the pledge carried at 0.90.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from bench.bench_ledger_raw import append_entry
from wsis_funding.ledger.chain import canonical_refs
from wsis_funding.ledger.seals import payment_seal, settlements_seal

DAY = dt.date(2024, 3, 1)

_OPEN_ON = """
SELECT c.instalment_id, c.document_id,
       c.amount_minor - COALESCE(cr.amount, 0) - COALESCE(pd.amount, 0)
FROM invoice_coverage c JOIN documents d ON d.id = c.document_id
LEFT JOIN (SELECT cc.instalment_id, cn.refers_to_id AS invoice_id, SUM(cc.amount_minor) AS amount
           FROM invoice_coverage cc JOIN documents cn ON cn.id = cc.document_id
           WHERE cn.kind = 'credit_note' AND cc.instalment_id = {q}
           GROUP BY cc.instalment_id, cn.refers_to_id) cr
       ON cr.instalment_id = c.instalment_id AND cr.invoice_id = c.document_id
LEFT JOIN (SELECT instalment_id, invoice_id, SUM(amount_minor) AS amount FROM settlements
           WHERE invoice_id IS NOT NULL AND instalment_id = {q}
           GROUP BY instalment_id, invoice_id) pd
       ON pd.instalment_id = c.instalment_id AND pd.invoice_id = c.document_id
WHERE d.kind = 'invoice' AND c.instalment_id = {q} ORDER BY d.issued_on, d.id
"""
_INSTALMENTS = (
    "SELECT i.id, i.pledge_id, i.amount_minor, i.settled_minor, i.due_on, i.written_off, "
    "p.currency, p.amount_minor, p.base_minor, p.settled_minor, p.settled_base_minor, "
    "p.written_off_minor, p.written_off_base_minor, p.rate, p.rate_date, p.rate_source, "
    "p.signed_on, e.code, e.psc_rate FROM instalments i JOIN pledges p ON p.id = i.pledge_id "
    "JOIN editions e ON e.id = p.edition_id WHERE i.id = {q}"
)


class Invoice(NamedTuple):
    """An invoice to pay: its id, RF creditor reference and pledge."""

    id: int
    reference: str
    pledge_id: int


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def raw_invoice_payments(
    conn: Any, engine: str, partner_id: int, invoices: list[Invoice], *, cross: bool
) -> None:
    """Pay each invoice in full, one transaction each, as the library's statements do."""
    q = "?" if engine == "sqlite" else "%s"
    cur = conn.cursor()
    ids = dict(cur.execute("SELECT code, id FROM accounts").fetchall())
    if engine != "sqlite":
        conn.commit()
    lock = " FOR UPDATE" if engine == "postgresql" else ""
    day = DAY if engine != "sqlite" else DAY.isoformat()
    open_on = _OPEN_ON.format(q=q)
    for i, invoice in enumerate(invoices):
        if engine == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        seq, prev = cur.execute(
            f"SELECT seq, hash FROM journal_chain WHERE name = 'journal'{lock}"
        ).fetchone()
        cur.execute(f"SELECT id FROM partners WHERE id = {q}", (partner_id,)).fetchone()
        key = f"key-{i}"
        cur.execute(f"SELECT * FROM payments WHERE idempotency_key = {q}", (key,)).fetchone()
        doc_id, number, _kind, _pledge, _owner, code = cur.execute(
            "SELECT d.id, d.number, d.kind, d.pledge_id, p.partner_id, d.currency FROM documents "
            f"d JOIN pledges p ON p.id = d.pledge_id WHERE d.payment_reference = {q}",
            (invoice.reference,),
        ).fetchone()
        ((inst_id, covered),) = cur.execute(
            f"SELECT instalment_id, amount_minor FROM invoice_coverage WHERE document_id = {q}",
            (doc_id,),
        ).fetchall()
        row = cur.execute(_INSTALMENTS.format(q=q), (inst_id,)).fetchone()
        pledge_id, amount, base = row[1], row[7], row[8]
        rate, rate_date, source = row[13], row[14], row[15]
        open_rows = cur.execute(open_on, (inst_id, inst_id, inst_id)).fetchall()
        assert open_rows[0][2] == covered == amount
        psc = _cents(Decimal(amount) * Decimal(row[18]))
        memo = f"Payment {key} from partner {partner_id}"
        receivable = f"receivable:{partner_id}"
        if cross:
            usd_rate, usd_day, usd_source = cur.execute(
                "SELECT rate, effective, source FROM exchange_rates WHERE from_currency = 'USD' "
                f"AND to_currency = 'CHF' AND effective <= {q} ORDER BY effective DESC LIMIT 1",
                (day,),
            ).fetchone()
            usd_day = str(usd_day)
            paid = 8800
            psc_base = _cents(Decimal(psc) * Decimal(usd_rate))
            lines = [
                ("bank:CHF", "CHF", paid, paid, None, None, None, None),
                ("conversion:CHF", "CHF", -paid, -paid, None, None, None, None),
                ("conversion:USD", code, amount, paid, None, None, None, None),
                (receivable, code, -amount, -base, rate, str(rate_date), source, pledge_id),
                ("fx_gain_loss", "CHF", 0, base - paid, None, None, None, pledge_id),
                ("psc:WSIS2024", code, psc, psc_base, usd_rate, usd_day, usd_source, None),
                ("psc_income", code, -psc, -psc_base, usd_rate, usd_day, usd_source, None),
            ]
        else:
            paid = amount
            lines = [
                ("bank:CHF", "CHF", amount, amount, None, None, None, None),
                (receivable, "CHF", -amount, -amount, None, None, None, pledge_id),
                ("psc:WSIS2024", "CHF", psc, psc, None, None, None, None),
                ("psc_income", "CHF", -psc, -psc, None, None, None, None),
            ]
        # The seals of the payment row and its settlement, as the library writes them.
        target = ("USD", amount, "stated") if cross else (None, None, None)
        payment = (partner_id, "CHF", paid, 0, DAY, key, key, None, paid, 0, "bank", doc_id,
                   *target)  # fmt: skip
        settled = (inst_id, pledge_id, amount, base, paid, DAY, doc_id)
        refs = canonical_refs(
            [("partner", str(partner_id)), ("reference", key),
             ("payment_sha256", payment_seal(payment)),
             ("settlements_sha256", settlements_seal([settled]))]
        )  # fmt: skip
        seq, _ = append_entry(cur, q, ids, (seq, prev), day, memo, refs, lines)
        payment_id = cur.execute(
            "INSERT INTO payments (partner_id, currency, amount_minor, charges_minor, "
            "received_on, reference, idempotency_key, apply_to, settled_minor, unapplied_minor, "
            "entry_seq, source, invoice_id, target_currency, target_minor, target_basis) VALUES "
            f"({', '.join([q] * 16)}) RETURNING id",
            (partner_id, "CHF", paid, 0, day, key, key, None, paid, 0, seq, "bank", doc_id,
             *target),
        ).fetchone()[0]  # fmt: skip
        cur.execute(
            "INSERT INTO settlements (payment_id, instalment_id, pledge_id, amount_minor, "
            "carrying_base_minor, paid_base_minor, received_on, invoice_id) VALUES "
            f"({', '.join([q] * 8)})",
            (payment_id, inst_id, pledge_id, amount, base, paid, day, doc_id),
        )
        cur.execute(
            f"UPDATE instalments SET settled_minor = settled_minor + {q} WHERE id = {q}",
            (amount, inst_id),
        )
        cur.execute(
            f"UPDATE pledges SET settled_minor = settled_minor + {q}, "
            f"settled_base_minor = settled_base_minor + {q}, status = {q} WHERE id = {q}",
            (amount, base, "fulfilled", pledge_id),
        )
        if engine == "sqlite":
            cur.execute("COMMIT")
        else:
            conn.commit()
        assert number
