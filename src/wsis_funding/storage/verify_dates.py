"""What ``verify()`` reports about dates: what is dated before the date it must follow.

Books written before the rule that dates are in order (DOMAIN.md, "Dates in order") may hold
entries, documents and settlements dated before the pledge they concern was signed, credit
notes before their invoice, letters before their payment: each is reported.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from wsis_funding.ledger.problems import Problem
from wsis_funding.storage import tables as t

__all__ = ["dated_out_of_order"]


def dated_out_of_order(conn: Connection) -> list[Problem]:
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
