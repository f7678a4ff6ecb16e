"""Bulk paths for imports: many rows written in a few statements, look-ups of a whole edition.

A spreadsheet import of 10,000 pledges cannot afford a round trip per row and per look-up:
here ids are reserved in one statement (PostgreSQL's sequence, or the next free ids under
SQLite's write lock, which ``BEGIN IMMEDIATE`` already holds), rows go to the driver's
``executemany`` as tuples in the hot statements' declared order, and the look-ups an import
needs for every row (the partners' identity keys, what each partner has committed, how many
of each package are sold) are one query each. Everything runs in the unit of work's
transaction; nothing commits here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
from sqlalchemy import Table, bindparam, func, insert, select

from wsis_funding.ledger.model import Partner, PledgeStatus
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import RecordedRate
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import partner_to_row
from wsis_funding.storage.statements import Statement

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Bulk", "NewPledge", "PostedTotals"]

_PARTNER_COLUMNS = (
    "id",
    "legal_name",
    "short_name",
    "country",
    "stakeholder_type",
    "language",
    "street",
    "building_number",
    "postcode",
    "town",
    "address_country",
    "tax_id",
    "contact_email",
    "short_name_key",
)
_PLEDGE_COLUMNS = (
    "id",
    "partner_id",
    "edition_id",
    "tier",
    "package",
    "currency",
    "amount_minor",
    "base_minor",
    "signed_on",
    "status",
    "settled_minor",
    "settled_base_minor",
    "written_off_minor",
    "written_off_base_minor",
    "posted_on",
    "rate",
    "rate_date",
    "rate_source",
    "discount_reason",
    "recovered_minor",
    "recovered_base_minor",
)
_INSTALMENT_COLUMNS = (
    "pledge_id",
    "seq",
    "due_on",
    "amount_minor",
    "settled_minor",
    "replaced",
    "written_off",
)


def _inserting(table: Table, columns: tuple[str, ...], name: str) -> Statement:
    return Statement(
        name,
        lambda _: insert(table).values({c: bindparam(c) for c in columns}),
        order=columns,
    )


_INSERT_PARTNER = _inserting(t.partners, _PARTNER_COLUMNS, "bulk insert partner")
_INSERT_PLEDGE = _inserting(t.pledges, _PLEDGE_COLUMNS, "bulk insert pledge")
_INSERT_INSTALMENT = _inserting(t.instalments, _INSTALMENT_COLUMNS, "bulk insert instalment")


class NewPledge(NamedTuple):
    """A pledge to store in bulk: a draft (``base_minor`` None), or confirmed on signing.

    Amounts are minor units: ``amount_minor`` of ``currency``, ``base_minor`` its carrying
    value in the base currency at ``rate`` (None for a base-currency pledge); ``instalments``
    are (due date, minor units) pairs that sum to the amount. A named tuple, not a frozen
    class: an import makes ten thousand of them.
    """

    id: int
    partner_id: int
    edition_id: int
    currency: str
    amount_minor: int
    signed_on: dt.date
    instalments: tuple[tuple[dt.date, int], ...]
    base_minor: int | None = None
    rate: RecordedRate | None = None
    tier: str | None = None
    package: str | None = None
    discount_reason: str | None = None


PostedTotals = Mapping[int, tuple[int, int]]
"""Per partner id: base minor units of its posted tier pledges and of its package pledges
(each less what is written off) in one edition."""


class Bulk:
    """Bulk writes and whole-edition look-ups for imports, inside the unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow`` (a writing one, for the writes)."""
        self._uow = uow

    def new_pledge_ids(self, count: int) -> list[int]:
        """Return ``count`` new pledge ids, in increasing order (see :meth:`add_pledges`)."""
        return self._reserve(t.pledges, count)

    def _reserve(self, table: Table, count: int) -> list[int]:
        """Return ``count`` new ids of ``table`` (whose ``id`` is its serial primary key).

        PostgreSQL draws them from the column's sequence; SQLite takes the next ones after the
        largest id, which is safe because the unit of work holds the database's write lock.
        """
        if count <= 0:
            return []
        conn = self._uow.conn
        if conn.dialect.name == "postgresql":
            sequence = func.pg_get_serial_sequence(table.name, "id")
            rows = conn.execute(
                select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            )
            return sorted(int(r[0]) for r in rows)
        last = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        return list(range(int(last) + 1, int(last) + 1 + count))

    def add_partners(self, partners: Sequence[Partner]) -> list[Partner]:
        """Store new partners (checked by the caller, ids None) and return them with ids.

        The caller has checked that no two of them, and none of them and a stored partner,
        share an identity key (the unique index would refuse it).
        """
        ids = self._reserve(t.partners, len(partners))
        rows = []
        stored = []
        for new_id, p in zip(ids, partners, strict=True):
            row = partner_to_row(p)
            row["id"] = new_id
            row["short_name_key"] = identity_key(p.short_name)
            rows.append(tuple(row[c] for c in _PARTNER_COLUMNS))
            stored.append(attrs.evolve(p, id=new_id))
        self._uow.driver.many(_INSERT_PARTNER, rows)
        return stored

    def add_pledges(self, pledges: Sequence[NewPledge]) -> None:
        """Store new pledges as they are given, with their instalments numbered from 1.

        Drafts, or confirmed on their signing date at their carrying value and rate; nothing
        is paid or written off. The journal entries of the confirmed ones are the caller's to
        post in the same transaction.
        """
        day = self._uow.driver.day
        pledge_rows: list[tuple[Any, ...]] = []
        instalment_rows: list[tuple[Any, ...]] = []
        rates: dict[int, tuple[str, Any, str]] = {}
        draft, confirmed = PledgeStatus.DRAFT.value, PledgeStatus.CONFIRMED.value
        for p in pledges:
            signed = day(p.signed_on)
            rate = p.rate
            stored: tuple[Any, Any, Any] = (None, None, None)
            if rate is not None:
                # Rows share a handful of rates: each is turned into text once.
                stored = rates.get(id(rate)) or rates.setdefault(
                    id(rate), (rate.text, day(rate.effective), rate.source)
                )
            posted = p.base_minor is not None
            pledge_rows.append(
                (
                    p.id,
                    p.partner_id,
                    p.edition_id,
                    p.tier,
                    p.package,
                    p.currency,
                    p.amount_minor,
                    p.base_minor if posted else 0,
                    signed,
                    confirmed if posted else draft,
                    0,
                    0,
                    0,
                    0,
                    signed if posted else None,
                    *stored,
                    p.discount_reason,
                    0,
                    0,
                )
            )
            for seq, (due_on, amount_minor) in enumerate(p.instalments, start=1):
                instalment_rows.append((p.id, seq, day(due_on), amount_minor, 0, False, False))
        self._insert(_INSERT_PLEDGE, t.pledges, _PLEDGE_COLUMNS, pledge_rows)
        self._insert(_INSERT_INSTALMENT, t.instalments, _INSTALMENT_COLUMNS, instalment_rows)

    def _insert(
        self,
        statement: Statement,
        table: Table,
        columns: tuple[str, ...],
        rows: Sequence[tuple[Any, ...]],
    ) -> None:
        """Insert ``rows`` (tuples in ``columns`` order): COPY on PostgreSQL, else executemany.

        PostgreSQL's COPY takes the rows in one stream, several times faster than one INSERT
        per row even pipelined; the statement is spelled from the table by the dialect's own
        quoting. Constraints and triggers apply to it as to an INSERT.
        """
        driver = self._uow.driver
        if not rows:
            return
        if driver.sqlite:
            driver.many(statement, rows)
            return
        quote = self._uow.conn.dialect.identifier_preparer
        sql = (
            f"COPY {quote.format_table(table)} ({', '.join(quote.quote(c) for c in columns)}) "
            "FROM STDIN"
        )
        with driver.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def posted_totals(self, edition_id: int) -> dict[int, tuple[int, int]]:
        """Return :data:`PostedTotals` of every partner with a posted pledge in the edition."""
        c = t.pledges.c
        posted = [s.value for s in PledgeStatus if s.posted]
        value = func.sum(c.base_minor - c.written_off_base_minor)
        rows = self._uow.conn.execute(
            select(c.partner_id, c.package.is_(None), value)
            .where(c.edition_id == edition_id, c.status.in_(posted))
            .group_by(c.partner_id, c.package.is_(None))
        )
        totals: dict[int, tuple[int, int]] = {}
        for partner_id, for_tier, amount in rows:
            tier_base, package_base = totals.get(int(partner_id), (0, 0))
            if for_tier:
                tier_base += int(amount)
            else:
                package_base += int(amount)
            totals[int(partner_id)] = (tier_base, package_base)
        return totals

    def packages_sold(self, edition_id: int) -> dict[str, int]:
        """Return how many posted pledges of the edition bought each package."""
        c = t.pledges.c
        posted = [s.value for s in PledgeStatus if s.posted]
        rows = self._uow.conn.execute(
            select(c.package, func.count())
            .where(c.edition_id == edition_id, c.package.is_not(None), c.status.in_(posted))
            .group_by(c.package)
        )
        return {str(package): int(count) for package, count in rows}

    def partner_keys(self) -> dict[str, list[Partner]]:
        """Return every stored partner by the identity key of its short name.

        A key normally names one partner; books written before duplicates were refused may
        hold several under one key.
        """
        found: dict[str, list[Partner]] = {}
        for p in self._uow.partners.all():
            found.setdefault(identity_key(p.short_name), []).append(p)
        return found
