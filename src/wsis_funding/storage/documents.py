"""The documents repository: issued documents, their number counters and the images they use.

A document row keeps the snapshot as canonical JSON (:mod:`wsis_funding.documents.codec`) plus
the columns queries need (kind, number, pledge, total, reference). Numbers are taken from a
counter row in the same transaction that stores the document: the UPDATE locks the row
(PostgreSQL), or ``BEGIN IMMEDIATE`` serialises the writers (SQLite), and a rollback gives the
number back, so a failed issue leaves no hole. Documents are frozen by triggers once inserted,
and each is sealed in the journal's hash chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from wsis_funding.documents.codec import decode_snapshot, encode_snapshot
from wsis_funding.documents.errors import UnknownDocument
from wsis_funding.documents.model import (
    DocumentKind,
    InvoiceSnapshot,
    IssuedDocument,
    LetterSnapshot,
    Logo,
    Snapshot,
)
from wsis_funding.documents.numbering import DocumentNumber
from wsis_funding.ledger.model import Entry
from wsis_funding.ledger.seals import (
    DOCUMENT_COLUMNS,
    DOCUMENT_ID,
    DOCUMENT_KIND,
    DOCUMENT_NUMBER,
    DOCUMENT_SEAL,
    document_seal,
)
from wsis_funding.money import Money, from_minor, to_minor
from wsis_funding.storage.invoice_open import (
    COVERAGE,
    OPEN_ON_INVOICE,
    OPEN_ON_PARTNER,
    REF_BY_NUMBER,
    REF_BY_REFERENCE,
    InvoiceRef,
    open_by_instalment,
    open_on_query,
)
from wsis_funding.storage.tables import (
    document_assets,
    document_counters,
    documents,
    invoice_coverage,
    pledges,
    settlements,
)

_LABELS = {
    "invoice": "Invoice",
    "credit_note": "Credit note",
    "letter": "Letter",
    "reminder": "Reminder",
}

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Documents", "InvoiceRef"]


def _total(snapshot: Snapshot) -> Money:
    if isinstance(snapshot, LetterSnapshot):
        return snapshot.amount_received
    return snapshot.total


class Documents:
    """Documents in the ``documents`` table, numbered from ``document_counters``."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def _asset(self, sha256: str) -> Logo | None:
        row = self._uow.conn.execute(
            select(document_assets.c.media_type, document_assets.c.data).where(
                document_assets.c.sha256 == sha256
            )
        ).first()
        return None if row is None else Logo(row.media_type, bytes(row.data))

    def _from_row(self, r: Any) -> IssuedDocument:
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
            snapshot=decode_snapshot(r.snapshot, self._asset),
        )

    def take_number(self, series: str, year: int) -> DocumentNumber:
        """Take the next number of ``series`` for ``year`` inside this transaction."""
        c = document_counters.c
        bump = (
            update(document_counters)
            .where(c.series == series, c.year == year)
            .values(last_seq=c.last_seq + 1)
            .returning(c.last_seq)
        )
        conn = self._uow.conn
        bumped = conn.execute(bump).scalar_one_or_none()
        if bumped is None:
            # Insert the counter at zero unless a concurrent transaction just did.
            maker = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            values = {"series": series, "year": year, "last_seq": 0}
            conn.execute(maker(document_counters).values(values).on_conflict_do_nothing())
            bumped = conn.execute(bump).scalar_one()
        return DocumentNumber(series, year, int(bumped))

    def peek_number(self, series: str, year: int) -> DocumentNumber:
        """Return the number the series would give next (nothing is taken or locked)."""
        c = document_counters.c
        last = self._uow.conn.execute(
            select(c.last_seq).where(c.series == series, c.year == year)
        ).scalar()
        return DocumentNumber(series, year, int(last or 0) + 1)

    def add(
        self,
        *,
        kind: DocumentKind,
        number: DocumentNumber,
        pledge_id: int,
        snapshot: Snapshot,
        instalment_id: int | None = None,
        payment_id: int | None = None,
        refers_to_id: int | None = None,
        coverage: Mapping[int, int] | None = None,
    ) -> IssuedDocument:
        """Insert a numbered document (and any image it uses, once); return it.

        ``coverage`` is what an invoice asks for on each instalment it covers, or what a
        credit note credits of each (minor units by instalment id). The document's seal (see
        :mod:`wsis_funding.ledger.seals`) is appended to the hash chain in an entry without
        postings, dated as the document, so that ``verify()`` sees any later change to it.
        """
        conn = self._uow.conn
        total = _total(snapshot)
        reference = snapshot.payment_reference if kind == "invoice" else None
        encoded = encode_snapshot(snapshot)
        for logo in encoded.assets:
            if self._asset(logo.sha256) is None:
                conn.execute(
                    document_assets.insert().values(
                        sha256=logo.sha256, media_type=logo.media_type, data=logo.data
                    )
                )
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
            "due_on": snapshot.due_on if isinstance(snapshot, InvoiceSnapshot) else None,
            "currency": total.currency.code,
            "total_minor": to_minor(total),
            "payment_reference": reference,
            "language": snapshot.language,
            "snapshot": encoded.text,
            "credit_kind": (
                snapshot.credit_kind.value
                if isinstance(snapshot, InvoiceSnapshot) and snapshot.credit_kind
                else None
            ),
        }
        new_id = conn.execute(
            documents.insert().values(values).returning(documents.c.id)
        ).scalar_one()
        covered = sorted((k, v) for k, v in (coverage or {}).items() if v)
        if covered:
            conn.execute(
                invoice_coverage.insert(),
                [
                    {"document_id": new_id, "instalment_id": k, "amount_minor": v}
                    for k, v in covered
                ],
            )
        values["id"] = new_id
        seal = document_seal([values[c] for c in DOCUMENT_COLUMNS], encoded.text, covered)
        self._uow.post(
            [
                Entry(
                    entry_date=snapshot.issued_on,
                    kind=DOCUMENT_KIND,
                    memo=f"{_LABELS[kind]} {number.text} issued",
                    references=(
                        (DOCUMENT_NUMBER, number.text),
                        (DOCUMENT_ID, str(new_id)),
                        (DOCUMENT_SEAL, seal),
                    ),
                    postings=(),
                )
            ]
        )
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
        row = self._uow.conn.execute(select(documents).where(documents.c.number == number)).first()
        if row is None:
            raise UnknownDocument(number)
        return self._from_row(row)

    def by_id(self, document_id: int) -> IssuedDocument:
        """Return the document with this id; raise :class:`UnknownDocument`."""
        row = self._uow.conn.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            raise UnknownDocument(f"#{document_id}")
        return self._from_row(row)

    def by_reference(self, reference: str) -> IssuedDocument:
        """Return the invoice whose creditor reference is ``reference`` (spaces ignored).

        This is how a bank statement line is matched. Raises :class:`UnknownDocument`.
        """
        compact = reference.replace(" ", "").upper()
        row = self._uow.conn.execute(
            select(documents).where(documents.c.payment_reference == compact)
        ).first()
        if row is None:
            raise UnknownDocument(compact)
        return self._from_row(row)

    def ref(self, number: str | None = None, *, reference: str | None = None) -> InvoiceRef:
        """Return a document by number, or by creditor reference (compact, upper case).

        Raises :class:`UnknownDocument`.
        """
        key = str(number if reference is None else reference)
        row = self._uow.driver.one(REF_BY_NUMBER if reference is None else REF_BY_REFERENCE,
                                   (key,))  # fmt: skip
        if row is None:
            raise UnknownDocument(key)
        return InvoiceRef(
            id=row[0], number=row[1], kind=row[2], pledge_id=row[3], partner_id=row[4],
            currency=row[5],
        )  # fmt: skip

    def of_partner(self, partner_id: int) -> list[IssuedDocument]:
        """Return every document of a partner's pledges, in issue order."""
        rows = self._uow.conn.execute(
            select(documents)
            .join(pledges, pledges.c.id == documents.c.pledge_id)
            .where(pledges.c.partner_id == partner_id)
            .order_by(documents.c.id)
        )
        return [self._from_row(r) for r in rows]

    def for_pledge(self, pledge_id: int) -> list[IssuedDocument]:
        """Return the documents of a pledge, in issue order."""
        rows = self._uow.conn.execute(
            select(documents).where(documents.c.pledge_id == pledge_id).order_by(documents.c.id)
        )
        return [self._from_row(r) for r in rows]

    def credited(self, invoice_id: int) -> int:
        """Return the minor units credited so far against an invoice."""
        total = self._uow.conn.execute(
            select(func.coalesce(func.sum(documents.c.total_minor), 0)).where(
                documents.c.refers_to_id == invoice_id, documents.c.kind == "credit_note"
            )
        ).scalar_one()
        return int(total)

    def open_on(self, instalment_ids: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
        """Return, for each instalment, the invoices still open on it and how much is open.

        Open on an instalment: what the invoice asked there, less what credit notes credited
        there and what settlements paid of that invoice there. Oldest invoice first.
        """
        ids = sorted(set(instalment_ids))
        if not ids:
            return {}
        c = COVERAGE.c
        query = open_on_query().where(c.instalment_id.in_(ids))
        return open_by_instalment(self._uow.conn.execute(query).all())

    def open_on_invoice(self, document_id: int) -> dict[int, list[tuple[int, int]]]:
        """Return what invoice ``document_id`` is still open for, per instalment it covers."""
        rows = self._uow.driver.all(OPEN_ON_INVOICE, {"document_id": document_id})
        return open_by_instalment(rows)

    def open_on_partner(self, partner_id: int) -> dict[int, list[tuple[int, int]]]:
        """Return, for each open instalment of a partner, the invoices still open on it."""
        rows = self._uow.driver.all(OPEN_ON_PARTNER, {"partner_id": partner_id})
        return open_by_instalment(rows)

    def covering_invoices(
        self, instalment_ids: Iterable[int], as_of: dt.date
    ) -> dict[int, tuple[str, dt.date]]:
        """Return, per instalment, the latest invoice covering it by ``as_of``: number, due date.

        Instalments on no invoice issued by then are left out.
        """
        ids = sorted(set(instalment_ids))
        c, d = invoice_coverage.c, documents.c
        out: dict[int, tuple[str, dt.date]] = {}
        for chunk in range(0, len(ids), 500):
            for instalment_id, number, due_on in self._uow.conn.execute(
                select(c.instalment_id, d.number, d.due_on)
                .join(documents, d.id == c.document_id)
                .where(
                    d.kind == "invoice",
                    d.issued_on <= as_of,
                    c.instalment_id.in_(ids[chunk : chunk + 500]),
                )
                .order_by(d.issued_on, d.id)
            ):
                out[int(instalment_id)] = (str(number), due_on)
        return out

    def coverage(self, document_id: int) -> dict[int, int]:
        """Return what a document covers: minor units by instalment id."""
        c = invoice_coverage.c
        rows = self._uow.conn.execute(
            select(c.instalment_id, c.amount_minor).where(c.document_id == document_id)
        )
        return {int(i): int(a) for i, a in rows}

    def paid_on_invoice(self, invoice_id: int) -> dict[int, int]:
        """Return what settlements paid of an invoice, by instalment (minor units)."""
        s = settlements.c
        rows = self._uow.conn.execute(
            select(s.instalment_id, func.sum(s.amount_minor))
            .where(s.invoice_id == invoice_id)
            .group_by(s.instalment_id)
        )
        return {int(i): int(a) for i, a in rows}

    def credit_notes_of(self, invoice_id: int) -> list[IssuedDocument]:
        """Return the credit notes issued against an invoice, in issue order."""
        rows = self._uow.conn.execute(
            select(documents)
            .where(documents.c.refers_to_id == invoice_id, documents.c.kind == "credit_note")
            .order_by(documents.c.id)
        )
        return [self._from_row(r) for r in rows]

    def invoices_of_pledge(self, pledge_id: int) -> list[IssuedDocument]:
        """Return a pledge's invoices (not credit notes or letters), in issue order."""
        rows = self._uow.conn.execute(
            select(documents)
            .where(documents.c.pledge_id == pledge_id, documents.c.kind == "invoice")
            .order_by(documents.c.id)
        )
        return [self._from_row(r) for r in rows]

    def count(self) -> int:
        """Return how many documents are stored (all kinds)."""
        return int(self._uow.conn.execute(select(func.count()).select_from(documents)).scalar_one())
