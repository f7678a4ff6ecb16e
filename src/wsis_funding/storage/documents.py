"""Issued documents in the database: store once, read back, never change.

:class:`SqlDocuments` works inside the caller's transaction. A document row keeps the snapshot
as canonical JSON plus the columns queries need (kind, number, pledge, total, reference).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Protocol

import attrs
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from wsis_funding.documents.codec import decode_snapshot, encode_snapshot
from wsis_funding.documents.errors import UnknownDocument
from wsis_funding.documents.model import InvoiceSnapshot, LetterSnapshot
from wsis_funding.documents.numbering import DocumentNumber
from wsis_funding.storage.document_tables import documents
from wsis_funding.money import Money, from_minor, to_minor

__all__ = ["DocumentKind", "Documents", "IssuedDocument", "SqlDocuments"]

DocumentKind = Literal["invoice", "credit_note", "letter"]


@attrs.frozen(kw_only=True)
class IssuedDocument:
    """A stored, numbered document and the snapshot it was issued with."""

    id: int
    kind: DocumentKind
    number: str
    pledge_id: int
    instalment_id: int | None
    payment_id: int | None
    refers_to_id: int | None
    issued_on: dt.date
    total: Money
    payment_reference: str | None
    snapshot: InvoiceSnapshot | LetterSnapshot


class Documents(Protocol):
    """What the document use cases need from storage."""

    def add(
        self,
        *,
        kind: DocumentKind,
        number: DocumentNumber,
        pledge_id: int,
        snapshot: InvoiceSnapshot | LetterSnapshot,
        instalment_id: int | None = None,
        payment_id: int | None = None,
        refers_to_id: int | None = None,
    ) -> IssuedDocument:
        """Store a newly numbered document."""

    def get(self, number: str) -> IssuedDocument:
        """Return the document with this number; raise :class:`UnknownDocument`."""

    def for_pledge(self, pledge_id: int) -> list[IssuedDocument]:
        """Return the documents of a pledge, in issue order."""

    def credited(self, invoice_id: int) -> int:
        """Return the minor units credited so far against an invoice."""


def _total(snapshot: InvoiceSnapshot | LetterSnapshot) -> Money:
    if isinstance(snapshot, LetterSnapshot):
        return snapshot.amount_received
    return snapshot.total


def _from_row(r: Any) -> IssuedDocument:
    return IssuedDocument(
        id=r.id,
        kind=r.kind,
        number=r.number,
        pledge_id=r.pledge_id,
        instalment_id=r.instalment_id,
        payment_id=r.payment_id,
        refers_to_id=r.refers_to_id,
        issued_on=r.issued_on,
        total=from_minor(r.total_minor, r.currency),
        payment_reference=r.payment_reference,
        snapshot=decode_snapshot(r.snapshot),
    )


class SqlDocuments:
    """Documents in the ``documents`` table (frozen by triggers once inserted)."""

    def __init__(self, conn: Connection) -> None:
        """Work inside the transaction of ``conn``."""
        self.conn = conn

    def add(
        self,
        *,
        kind: DocumentKind,
        number: DocumentNumber,
        pledge_id: int,
        snapshot: InvoiceSnapshot | LetterSnapshot,
        instalment_id: int | None = None,
        payment_id: int | None = None,
        refers_to_id: int | None = None,
    ) -> IssuedDocument:
        """Insert a document with its number; the invoice's creditor reference is indexed."""
        total = _total(snapshot)
        reference = snapshot.payment_reference if kind == "invoice" else None
        values = {
            "kind": kind,
            "series": number.series,
            "year": number.year,
            "seq": number.seq,
            "number": number.text,
            "pledge_id": pledge_id,
            "instalment_id": instalment_id,
            "payment_id": payment_id,
            "refers_to_id": refers_to_id,
            "issued_on": snapshot.issued_on,
            "due_on": getattr(snapshot, "due_on", None),
            "currency": total.currency.code,
            "total_minor": to_minor(total),
            "payment_reference": reference,
            "language": snapshot.language,
            "snapshot": encode_snapshot(snapshot),
        }
        new_id = self.conn.execute(
            documents.insert().values(values).returning(documents.c.id)
        ).scalar_one()
        return IssuedDocument(
            id=new_id,
            kind=kind,
            number=number.text,
            pledge_id=pledge_id,
            instalment_id=instalment_id,
            payment_id=payment_id,
            refers_to_id=refers_to_id,
            issued_on=snapshot.issued_on,
            total=total,
            payment_reference=reference,
            snapshot=snapshot,
        )

    def get(self, number: str) -> IssuedDocument:
        """Return the document with this number; raise :class:`UnknownDocument`."""
        row = self.conn.execute(select(documents).where(documents.c.number == number)).first()
        if row is None:
            raise UnknownDocument(number)
        return _from_row(row)

    def by_id(self, document_id: int) -> IssuedDocument:
        """Return the document with this id; raise :class:`UnknownDocument`."""
        row = self.conn.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            raise UnknownDocument(f"#{document_id}")
        return _from_row(row)

    def by_reference(self, reference: str) -> IssuedDocument:
        """Return the invoice whose creditor reference is ``reference`` (spaces ignored).

        This is how a bank statement line is matched. Raises :class:`UnknownDocument`.
        """
        compact = reference.replace(" ", "").upper()
        row = self.conn.execute(
            select(documents).where(documents.c.payment_reference == compact)
        ).first()
        if row is None:
            raise UnknownDocument(compact)
        return _from_row(row)

    def for_pledge(self, pledge_id: int) -> list[IssuedDocument]:
        """Return the documents of a pledge, in issue order."""
        rows = self.conn.execute(
            select(documents).where(documents.c.pledge_id == pledge_id).order_by(documents.c.id)
        )
        return [_from_row(r) for r in rows]

    def credited(self, invoice_id: int) -> int:
        """Return the minor units credited so far against an invoice."""
        total = self.conn.execute(
            select(func.coalesce(func.sum(documents.c.total_minor), 0)).where(
                documents.c.refers_to_id == invoice_id, documents.c.kind == "credit_note"
            )
        ).scalar_one()
        return int(total)

    def count(self) -> int:
        """Return how many documents are stored (all kinds)."""
        return int(self.conn.execute(select(func.count()).select_from(documents)).scalar_one())
