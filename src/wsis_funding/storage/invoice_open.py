"""What invoices still ask for, and invoices looked up for paying: the hot statements.

An invoice is open on an instalment for what it asked there, less what credit notes credited
there and what settlements paid of that invoice there. The sums are correlated subqueries
that read only the rows of the instalment at hand (through the indexes on ``instalment_id``),
so paying an invoice costs the same in books of any size. :class:`InvoiceRef` is what paying
a document needs of it, read without decoding its snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
from sqlalchemy import bindparam, func, literal_column, select

from wsis_funding.storage.statements import Statement
from wsis_funding.storage.tables import (
    documents,
    instalments,
    invoice_coverage,
    pledges,
    settlements,
)

__all__ = [
    "COVERAGE",
    "OPEN_ON_INVOICE",
    "OPEN_ON_PARTNER",
    "REF_BY_NUMBER",
    "REF_BY_REFERENCE",
    "InvoiceRef",
    "open_by_instalment",
    "open_on_query",
]


@attrs.frozen(kw_only=True)
class InvoiceRef:
    """What paying a document needs of it, without decoding its snapshot."""

    id: int
    number: str
    kind: str
    pledge_id: int
    partner_id: int
    currency: str


COVERAGE = invoice_coverage.alias("c")
_CN_COVERAGE = invoice_coverage.alias("cc")
_CREDIT_NOTES = documents.alias("cn")


def open_on_query() -> Any:
    """Select what each invoice is still open for on each instalment it covers, oldest first.

    Correlated sums (credited by credit notes, paid through the invoice) read only the rows of
    the instalment at hand, through the indexes on ``instalment_id``.
    """
    c, cc, cn, s, d = COVERAGE.c, _CN_COVERAGE.c, _CREDIT_NOTES.c, settlements.c, documents.c
    credited = (
        select(func.coalesce(func.sum(cc.amount_minor), 0))
        .select_from(_CN_COVERAGE.join(_CREDIT_NOTES, cn.id == cc.document_id))
        .where(
            cc.instalment_id == c.instalment_id,
            cn.refers_to_id == c.document_id,
            cn.kind == literal_column("'credit_note'"),
        )
        .scalar_subquery()
    )
    paid = (
        select(func.coalesce(func.sum(s.amount_minor), 0))
        .where(s.instalment_id == c.instalment_id, s.invoice_id == c.document_id)
        .scalar_subquery()
    )
    return (
        select(c.instalment_id, c.document_id, c.amount_minor - credited - paid)
        .select_from(COVERAGE.join(documents, d.id == c.document_id))
        .where(d.kind == literal_column("'invoice'"))
        .order_by(d.issued_on, d.id)
    )


def open_by_instalment(rows: Iterable[Any]) -> dict[int, list[tuple[int, int]]]:
    """Group (instalment, invoice, open) rows by instalment, keeping what is still open."""
    out: dict[int, list[tuple[int, int]]] = {}
    for instalment_id, invoice_id, open_minor in rows:
        if int(open_minor) > 0:
            out.setdefault(int(instalment_id), []).append((int(invoice_id), int(open_minor)))
    return out


OPEN_ON_INVOICE = Statement(
    "what an invoice is open for",
    lambda _: open_on_query().where(COVERAGE.c.document_id == bindparam("document_id")),
)
OPEN_ON_PARTNER = Statement(
    "invoices open on a partner's open instalments",
    lambda _: (
        open_on_query()
        .join(instalments, instalments.c.id == COVERAGE.c.instalment_id)
        .join(pledges, pledges.c.id == documents.c.pledge_id)
        .where(
            pledges.c.partner_id == bindparam("partner_id"),
            instalments.c.settled_minor < instalments.c.amount_minor,
            instalments.c.replaced.is_(False),
        )
    ),
)
_REF_COLUMNS = (
    documents.c.id, documents.c.number, documents.c.kind, documents.c.pledge_id,
    pledges.c.partner_id, documents.c.currency,
)  # fmt: skip
REF_BY_NUMBER = Statement(
    "document by number",
    lambda _: (
        select(*_REF_COLUMNS)
        .join(pledges, pledges.c.id == documents.c.pledge_id)
        .where(documents.c.number == bindparam("key"))
    ),
    order=("key",),
)
REF_BY_REFERENCE = Statement(
    "document by creditor reference",
    lambda _: (
        select(*_REF_COLUMNS)
        .join(pledges, pledges.c.id == documents.c.pledge_id)
        .where(documents.c.payment_reference == bindparam("key"))
    ),
    order=("key",),
)
