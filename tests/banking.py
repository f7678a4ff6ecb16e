"""Builders for the bank statement tests: invoices to pay, and what the books hold of lines.

Every statement file is built by tests/statements.py and validated against the schema of its
version; these helpers only issue the invoices that the statements pay and read rows back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.factories import DUE, ISSUED, Books
from wsis_funding.documents.model import IssuedDocument
from wsis_funding.services import Tracker
from wsis_funding.storage import tables

__all__ = ["invoice", "payments_by_key", "rows"]


def invoice(
    books: Books, amount: str, currency: str = "CHF", partner: int | None = None
) -> IssuedDocument:
    """Confirm a one-instalment pledge of ``amount`` and issue its invoice."""
    pledge = books.confirmed_pledge(amount, currency, partner=partner)
    return books.tracker.issue_invoice(pledge, ISSUED, due_on=DUE)


def rows(tracker: Tracker, table: str) -> list[dict[str, Any]]:
    """Every row of one of the books' tables, by id (or primary key) order."""
    t = tables.metadata.tables[table]
    with tracker.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key))]


def payments_by_key(tracker: Tracker) -> dict[str, dict[str, Any]]:
    """The payments recorded, by idempotency key."""
    return {str(r["idempotency_key"]): r for r in rows(tracker, "payments")}
