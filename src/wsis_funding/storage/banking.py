"""The bank statements repository: files imported, statements, entries, lines and sightings.

An import writes one row per file, one per statement, one per new entry shape (with its raw
XML), one per new line and one sighting per line seen again. The inserts of the import path
are hot statements (see :mod:`.statements`); lines and sightings go in by ``executemany``.
Look-ups that recognise what was imported before take a list of keys, so that an import asks
once per chunk of lines rather than once per line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import and_, bindparam, insert, literal, or_, select, union_all, update

from wsis_funding.ledger.model import PledgeStatus
from wsis_funding.storage import tables as t
from wsis_funding.storage.statements import Statement

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["LINE_COLUMNS", "Bank", "EntryFound", "InvoiceRef", "OpenInstalment"]

_l, _e, _s = t.bank_lines.c, t.bank_entries.c, t.bank_statements.c

_ENTRY_COLUMNS = (
    "entry_key", "shape", "statement_id", "position", "credit", "reversal", "currency",
    "amount_minor", "charges_minor", "booking_date", "value_date", "reference",
    "transaction_count", "declared_batch_size", "raw_xml",
)  # fmt: skip
_INSERT_ENTRY = Statement(
    "insert bank entry",
    lambda _: (
        insert(t.bank_entries)
        .values({c: bindparam(c) for c in _ENTRY_COLUMNS})
        .returning(t.bank_entries.c.id)
    ),
    order=_ENTRY_COLUMNS,
)
LINE_COLUMNS = (
    "line_key", "entry_id", "statement_id", "transaction_position", "kind", "currency",
    "amount_minor", "charges_minor", "instructed_currency", "instructed_minor", "exchange_rate",
    "rf", "qr", "end_to_end_id", "servicer_reference", "remittance", "debtor_name",
    "debtor_account", "ultimate_debtor_name", "status", "rule", "reason", "partner_id",
    "payment_id", "original_line_id",
)  # fmt: skip
"""The columns of a new line, in the order :meth:`Bank.add_lines` takes them."""
_INSERT_LINE = Statement(
    "insert bank line",
    lambda _: insert(t.bank_lines).values({c: bindparam(c) for c in LINE_COLUMNS}),
    order=LINE_COLUMNS,
)
_SIGHTING_COLUMNS = ("statement_id", "line_id", "entry_position")
_INSERT_SIGHTING = Statement(
    "insert bank line sighting",
    lambda _: insert(t.bank_line_sightings).values({c: bindparam(c) for c in _SIGHTING_COLUMNS}),
    order=_SIGHTING_COLUMNS,
)


class EntryFound(NamedTuple):
    """An entry stored before, in one shape; for a summary, its one line's id and status."""

    id: int
    shape: str
    line_id: int | None
    line_status: str | None


class InvoiceRef(NamedTuple):
    """An invoice named by its creditor reference: number, id, partner and currency."""

    number: str
    id: int
    partner_id: int
    currency: str


class OpenInstalment(NamedTuple):
    """An open instalment of a partner: what is open on it, in the pledge's currency."""

    id: int
    partner_id: int
    currency: str
    open_minor: int


class Bank:
    """Bank statement files, statements, entries and lines, in the ``bank_*`` tables."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    # --- writing an import -------------------------------------------------------------

    def add_import(self, file_name: str, message: str, version: str, message_id: str) -> int:
        """Store a file being imported; its SHA-256 and size follow with :meth:`finish_import`."""
        return int(
            self._uow.conn.execute(
                insert(t.bank_imports)
                .values(
                    file_name=file_name,
                    sha256="",
                    size=0,
                    message=message,
                    version=version,
                    message_id=message_id,
                )
                .returning(t.bank_imports.c.id)
            ).scalar_one()
        )

    def finish_import(self, import_id: int, sha256: str, size: int) -> None:
        """Record the SHA-256 and size of a file once it has been read to the end."""
        self._uow.conn.execute(
            update(t.bank_imports)
            .where(t.bank_imports.c.id == import_id)
            .values(sha256=sha256, size=size)
        )

    def imports_of_file(self, sha256: str, besides: int) -> list[int]:
        """Return the ids of earlier imports of the file with this SHA-256."""
        c = t.bank_imports.c
        rows = self._uow.conn.execute(
            select(c.id).where(c.sha256 == sha256, c.id != besides).order_by(c.id)
        )
        return [int(r[0]) for r in rows]

    def add_statement(self, values: Mapping[str, Any]) -> int:
        """Store a statement's header (``bank_statements`` columns); return its id."""
        return int(
            self._uow.conn.execute(
                insert(t.bank_statements).values(dict(values)).returning(_s.id)
            ).scalar_one()
        )

    def finish_statement(self, statement_id: int, values: Mapping[str, Any]) -> None:
        """Record what a statement held, once its last entry has been read."""
        self._uow.conn.execute(
            update(t.bank_statements).where(_s.id == statement_id).values(dict(values))
        )

    def add_entry(self, values: tuple[Any, ...]) -> int:
        """Store an entry (values in the columns' order, dates as the driver takes them)."""
        row = self._uow.driver.one(_INSERT_ENTRY, values)
        return int(row[0])

    def add_lines(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Store new lines, each a tuple in the order of :data:`LINE_COLUMNS`."""
        self._uow.driver.many(_INSERT_LINE, rows)

    def add_sightings(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """Store lines seen again: (statement id, line id, entry position in the statement)."""
        self._uow.driver.many(_INSERT_SIGHTING, rows)

    def set_line(self, line_id: int, **values: Any) -> None:
        """Change what became of a line (status, rule, reason, partner, payment)."""
        self._uow.conn.execute(update(t.bank_lines).where(_l.id == line_id).values(**values))

    # --- recognising what was imported before ------------------------------------------

    def entries(self, keys: Sequence[str]) -> dict[str, list[EntryFound]]:
        """Return the entries stored under these keys, in each shape they were stored in."""
        if not keys:
            return {}
        summary_line = and_(_l.entry_id == _e.id, _e.shape == "summary")
        rows = self._uow.conn.execute(
            select(_e.entry_key, _e.id, _e.shape, _l.id, _l.status)
            .outerjoin(t.bank_lines, summary_line)
            .where(_e.entry_key.in_(list(set(keys))))
        )
        found: dict[str, list[EntryFound]] = {}
        for key, entry_id, shape, line_id, status in rows:
            found.setdefault(key, []).append(EntryFound(entry_id, shape, line_id, status))
        return found

    def lines(self, keys: Sequence[str]) -> dict[str, int]:
        """Return the ids of the lines stored under these keys."""
        if not keys:
            return {}
        rows = self._uow.conn.execute(
            select(_l.line_key, _l.id).where(_l.line_key.in_(list(set(keys))))
        )
        return {str(k): int(i) for k, i in rows}

    def invoices(self, references: Sequence[str]) -> dict[str, InvoiceRef]:
        """Return the invoices whose creditor references (compact) are among ``references``."""
        if not references:
            return {}
        d, p = t.documents.c, t.pledges.c
        rows = self._uow.conn.execute(
            select(d.payment_reference, d.number, d.id, p.partner_id, d.currency)
            .join(t.pledges, p.id == d.pledge_id)
            .where(d.kind == "invoice", d.payment_reference.in_(list(set(references))))
        )
        return {str(r[0]): InvoiceRef(str(r[1]), int(r[2]), int(r[3]), str(r[4])) for r in rows}

    def open_instalments(self) -> list[OpenInstalment]:
        """Return every open instalment of a confirmed or partly paid pledge, by partner."""
        i, p = t.instalments.c, t.pledges.c
        rows = self._uow.conn.execute(
            select(i.id, p.partner_id, p.currency, i.amount_minor - i.settled_minor)
            .join(t.pledges, p.id == i.pledge_id)
            .where(
                or_(
                    p.status == PledgeStatus.CONFIRMED.value,
                    p.status == PledgeStatus.PARTIALLY_PAID.value,
                ),
                i.replaced.is_(False),
                i.written_off.is_(False),
                i.settled_minor < i.amount_minor,
            )
            .order_by(p.partner_id, i.id)
        )
        return [OpenInstalment(int(a), int(b), str(c), int(d)) for a, b, c, d in rows]

    def invoice_numbers(self, ids: Sequence[int]) -> dict[int, str]:
        """Return the numbers of the documents with these ids."""
        if not ids:
            return {}
        d = t.documents.c
        rows = self._uow.conn.execute(select(d.id, d.number).where(d.id.in_(list(set(ids)))))
        return {int(i): str(n) for i, n in rows}

    def credit_candidates(self, currency: str, amount_minor: int) -> list[Mapping[str, Any]]:
        """Return the credit lines of this amount (gross or received) that a reversal may undo."""
        rows = self._uow.conn.execute(
            select(
                _l.id,
                _l.amount_minor,
                _l.charges_minor,
                _l.currency,
                _e.booking_date,
                _l.end_to_end_id,
                _l.servicer_reference,
                _l.rf,
                _l.debtor_account,
                _l.payment_id,
            )
            .join(t.bank_entries, _e.id == _l.entry_id)
            .where(
                _l.kind == "credit",
                _l.currency == currency,
                or_(
                    _l.amount_minor == amount_minor,
                    _l.amount_minor - _l.charges_minor == amount_minor,
                ),
            )
            .order_by(_l.id)
            .limit(100)
        )
        return [dict(r._mapping) for r in rows]

    # --- reading lines and statements --------------------------------------------------

    def _line_query(self) -> Any:
        pay, doc, part = t.payments.c, t.documents.c, t.partners.c
        return (
            select(
                t.bank_lines,
                _e.booking_date,
                _e.value_date,
                _e.shape,
                _e.reversal.label("entry_reversal"),
                _e.position.label("entry_position"),
                part.short_name.label("partner_short_name"),
                doc.number.label("invoice_number"),
                pay.amount_minor.label("payment_minor"),
            )
            .join(t.bank_entries, _e.id == _l.entry_id)
            .outerjoin(t.payments, pay.id == _l.payment_id)
            .outerjoin(t.documents, doc.id == pay.invoice_id)
            .outerjoin(t.partners, part.id == _l.partner_id)
        )

    def line(self, line_id: int) -> Mapping[str, Any] | None:
        """Return one line with its entry's dates and what it became, or None."""
        row = self._uow.conn.execute(self._line_query().where(_l.id == line_id)).first()
        return None if row is None else dict(row._mapping)

    def waiting(self) -> list[Mapping[str, Any]]:
        """Return the lines that wait for a person (queued or refused), oldest first."""
        rows = self._uow.conn.execute(
            self._line_query()
            .where(or_(_l.status == "queued", _l.status == "refused"))
            .order_by(_l.id)
        )
        return [dict(r._mapping) for r in rows]

    def statement(self, statement_id: int) -> Mapping[str, Any] | None:
        """Return a statement with the file it came in, or None."""
        i = t.bank_imports.c
        row = self._uow.conn.execute(
            select(t.bank_statements, i.file_name, i.sha256, i.message, i.version)
            .join(t.bank_imports, i.id == _s.import_id)
            .where(_s.id == statement_id)
        ).first()
        return None if row is None else dict(row._mapping)

    def statements(self) -> list[Mapping[str, Any]]:
        """Return every statement imported, in import order."""
        i = t.bank_imports.c
        rows = self._uow.conn.execute(
            select(t.bank_statements, i.file_name, i.sha256, i.message, i.version)
            .join(t.bank_imports, i.id == _s.import_id)
            .order_by(_s.id)
        )
        return [dict(r._mapping) for r in rows]

    def statement_lines(self, statement_id: int) -> list[Mapping[str, Any]]:
        """Return every line of a statement: those it brought first, then those seen again.

        Each row has ``seen_before`` (a line another statement brought first) and
        ``position`` (the entry's position in this statement).
        """
        first = (
            self._line_query()
            .add_columns(literal(False).label("seen_before"), _e.position.label("position"))
            .where(_l.statement_id == statement_id)
        )
        g = t.bank_line_sightings.c
        again = (
            self._line_query()
            .add_columns(literal(True).label("seen_before"), g.entry_position.label("position"))
            .join(t.bank_line_sightings, g.line_id == _l.id)
            .where(g.statement_id == statement_id)
        )
        both = union_all(first, again).subquery()
        rows = self._uow.conn.execute(
            select(both).order_by(both.c.position, both.c.transaction_position, both.c.id)
        )
        return [dict(r._mapping) for r in rows]


def day(value: Any) -> dt.date | None:
    """Return a date column as a date (SQLite may hand back ISO text through raw SQL)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
