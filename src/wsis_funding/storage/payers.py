"""The payers repository: IBANs and aliases known to pay for a partner (``partner_payers``).

A payer is stored with its key (a compact upper-case IBAN, or an alias's identity key), under
a unique constraint: one payer pays for one partner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import insert, select

from wsis_funding.storage import tables as t

if TYPE_CHECKING:
    from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["PayerRow", "Payers"]

_c = t.partner_payers.c


class PayerRow(NamedTuple):
    """A stored payer: id, partner, kind (``iban`` or ``alias``), value as given, key, line."""

    id: int
    partner_id: int
    kind: str
    value: str
    value_key: str
    line_id: int | None


def _row(r: tuple[object, ...]) -> PayerRow:
    pid, partner, kind, value, key, line = r
    return PayerRow(int(str(pid)), int(str(partner)), str(kind), str(value), str(key),
                    None if line is None else int(str(line)))  # fmt: skip


_COLUMNS = (_c.id, _c.partner_id, _c.kind, _c.value, _c.value_key, _c.line_id)


class Payers:
    """Payers of partners in ``partner_payers``."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Work inside the transaction of ``uow``."""
        self._uow = uow

    def find(self, kind: str, key: str) -> PayerRow | None:
        """Return the payer of this kind with this key, if any."""
        row = self._uow.conn.execute(
            select(*_COLUMNS).where(_c.kind == kind, _c.value_key == key)
        ).first()
        return None if row is None else _row(tuple(row))

    def add(
        self, partner_id: int, kind: str, value: str, key: str, line_id: int | None = None
    ) -> PayerRow:
        """Store a payer of ``partner_id``; the caller has checked that the key is free."""
        new_id = self._uow.conn.execute(
            insert(t.partner_payers)
            .values(partner_id=partner_id, kind=kind, value=value, value_key=key, line_id=line_id)
            .returning(_c.id)
        ).scalar_one()
        return PayerRow(int(new_id), partner_id, kind, value, key, line_id)

    def of_partner(self, partner_id: int) -> list[PayerRow]:
        """Return a partner's payers, in the order they were added."""
        rows = self._uow.conn.execute(
            select(*_COLUMNS).where(_c.partner_id == partner_id).order_by(_c.id)
        )
        return [_row(tuple(r)) for r in rows]

    def all(self) -> list[PayerRow]:
        """Return every payer of every partner."""
        rows = self._uow.conn.execute(select(*_COLUMNS).order_by(_c.id))
        return [_row(tuple(r)) for r in rows]
