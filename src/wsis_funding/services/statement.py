"""The partner statement of account: what the books say the partner owes, and why.

Per currency, in date order: the journal's movements on the partner's receivable (pledges
confirmed, amended, reduced, cancelled, written off; payments, with the invoices each paid;
recoveries) and on its unapplied credit (money kept as credit, credit applied), each with the
running balance owed and the running credit; and the documents (invoices, credit notes of
both kinds) with what each asks or credits. Documents move no money by themselves: the entry
a reduction or a cancellation posted does. The summary says what the invoices asked, what
credit notes credited, what payments paid of them, and so what is open on invoices.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping

import attrs
from moneyed import Money

from wsis_funding.documents.model import InvoiceSnapshot
from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.money import from_minor, to_minor, zero
from wsis_funding.services.checks import edition_of, partner_of
from wsis_funding.storage.balances import PartnerPosting
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Statement", "StatementLine", "StatementSummary", "partner_statement"]


class _Movement:
    """One entry's movements on a partner's receivable and credit in one currency."""

    def __init__(self, row: PartnerPosting) -> None:
        self.row = row
        self.owed = 0
        self.credit = 0
        self.pledges: set[int] = set()


_KINDS = {
    "pledge_confirmed": "pledge",
    "pledge_amended": "amendment",
    "pledge_reduced": "reduction",
    "pledge_cancelled": "cancellation",
    "pledge_written_off": "write-off",
    "payment": "payment",
    "credit_applied": "credit applied",
}


@attrs.frozen(kw_only=True)
class StatementLine:
    """One line of a statement, in one currency.

    ``amount`` is the change in what the partner owes (positive: owes more), ``credit`` the
    change in its unapplied credit (positive: credit kept); ``balance`` and ``credit_balance``
    are the running figures after the line. A document line moves neither (``document_amount``
    is what it asks for or credits). ``invoices`` names the invoices a payment paid.
    """

    on: dt.date
    kind: str
    reference: str
    description: str
    amount: Money
    credit: Money
    balance: Money
    credit_balance: Money
    document_amount: Money | None = None
    invoices: tuple[str, ...] = ()
    pledge_id: int | None = None
    entry_seq: int | None = None


@attrs.frozen(kw_only=True)
class StatementSummary:
    """A currency's totals: owed and credit now, and where the invoices stand."""

    currency: str
    owed: Money
    credit: Money
    invoiced: Money
    credited: Money
    paid_on_invoices: Money

    @property
    def open_on_invoices(self) -> Money:
        """What the invoices still ask for: invoiced less credited less paid on them."""
        return self.invoiced - self.credited - self.paid_on_invoices


@attrs.frozen(kw_only=True)
class Statement:
    """A partner's statement of account (of one edition's pledges, or all), per currency."""

    partner_id: int
    short_name: str
    name: str
    edition: str | None
    lines: Mapping[str, tuple[StatementLine, ...]]
    summary: Mapping[str, StatementSummary]


def partner_statement(
    uow: UnitOfWork, partner: Partner | int, edition: Edition | str | None = None
) -> Statement:
    """Return the partner's statement of account: every movement and document, per currency.

    With ``edition``, only the movements and documents of that edition's pledges, and the
    partner's unapplied credit (which belongs to no edition). Raises
    :class:`UnknownPartner` and :class:`UnknownEdition`.
    """
    p = partner_of(uow, partner)
    assert p.id is not None
    ed = None if edition is None else edition_of(uow, edition)
    pledges = {x.id: x for x in uow.pledges.for_partner(p.id)}
    wanted = {pid for pid, x in pledges.items() if ed is None or x.edition_code == ed.code}
    payments = {pay.entry_seq: pay for pay in uow.payments.of_partner(p.id)}
    paid_invoices = uow.payments.invoices_paid(p.id)

    docs = [d for d in uow.documents.of_partner(p.id) if d.pledge_id in wanted]
    # On one day, a document comes before the entry it posted (a reduction's reversal).
    doc_ids = {d.number: d.id for d in docs}
    events: dict[str, list[tuple[tuple[dt.date, int, int, int], StatementLine]]] = defaultdict(list)
    by_entry: dict[tuple[int, str], _Movement] = {}
    for row in uow.balances.partner_postings(p.id):
        if row.pledge_id is not None and row.pledge_id not in wanted:
            continue
        move = by_entry.setdefault((row.entry_seq, row.currency), _Movement(row))
        if row.account_kind == "receivable":
            move.owed += row.amount_minor
        else:
            move.credit -= row.amount_minor
        if row.pledge_id is not None:
            move.pledges.add(row.pledge_id)
    for (seq, cur), move in by_entry.items():
        row = move.row
        pay = payments.get(seq)
        refs = dict(json.loads(row.refs))
        invoices: tuple[str, ...] = ()
        reference = refs.get("document") or refs.get("reference") or ""
        if pay is not None:
            invoices = tuple(paid_invoices.get(pay.id, ()))
            reference = pay.reference
        pledge_ids = sorted(move.pledges)
        if not reference and pledge_ids:
            reference = f"PL-{pledge_ids[0]:06d}"
        line = StatementLine(
            on=row.entry_date,
            kind=_KINDS.get(row.kind, row.kind),
            reference=reference,
            description=row.memo,
            amount=from_minor(move.owed, cur),
            credit=from_minor(move.credit, cur),
            balance=zero(cur),
            credit_balance=zero(cur),
            invoices=invoices,
            pledge_id=pledge_ids[0] if pledge_ids else None,
            entry_seq=seq,
        )
        posted_by = doc_ids.get(refs.get("document", ""))
        if posted_by is None:
            events[cur].append(((row.entry_date, 0, seq, 0), line))
        else:
            events[cur].append(((row.entry_date, 1, posted_by, 1), line))
    invoiced: dict[str, int] = defaultdict(int)
    credited: dict[str, int] = defaultdict(int)
    paid_on: dict[str, int] = defaultdict(int)
    for doc in docs:
        if doc.kind in ("letter", "reminder"):  # they ask for and settle nothing
            continue
        snap = doc.snapshot
        assert isinstance(snap, InvoiceSnapshot)
        cur = doc.total.currency.code
        if doc.kind == "invoice":
            # What it asked for: its lines less the money it showed as already received.
            amount = sum(uow.documents.coverage(doc.id).values())
            invoiced[cur] += amount
            paid_on[cur] += sum(uow.documents.paid_on_invoice(doc.id).values())
            kind = "invoice"
        else:
            amount = to_minor(doc.total)
            credited[cur] += amount
            kind = f"credit note ({snap.credit_kind.value})" if snap.credit_kind else "credit note"
        events[cur].append(
            (
                (doc.issued_on, 1, doc.id, 0),
                StatementLine(
                    on=doc.issued_on,
                    kind=kind,
                    reference=doc.number,
                    description=snap.lines[0].description,
                    amount=zero(cur),
                    credit=zero(cur),
                    balance=zero(cur),
                    credit_balance=zero(cur),
                    document_amount=from_minor(amount, cur),
                    pledge_id=doc.pledge_id,
                ),
            )
        )
    lines: dict[str, tuple[StatementLine, ...]] = {}
    summary: dict[str, StatementSummary] = {}
    for cur in sorted(events):
        owed, credit = zero(cur), zero(cur)
        out = []
        for _, line in sorted(events[cur], key=lambda e: e[0]):
            owed, credit = owed + line.amount, credit + line.credit
            out.append(attrs.evolve(line, balance=owed, credit_balance=credit))
        lines[cur] = tuple(out)
        summary[cur] = StatementSummary(
            currency=cur,
            owed=owed,
            credit=credit,
            invoiced=from_minor(invoiced[cur], cur),
            credited=from_minor(credited[cur], cur),
            paid_on_invoices=from_minor(paid_on[cur], cur),
        )
    return Statement(
        partner_id=p.id,
        short_name=p.short_name,
        name=p.legal_name,
        edition=None if ed is None else ed.code,
        lines=lines,
        summary=summary,
    )
