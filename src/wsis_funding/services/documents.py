"""Invoice use cases, and looking documents up.

Credit notes are in :mod:`.credit_notes`, letters in :mod:`.letters`.

A document gets its number in the transaction that stores it (gapless per series and year);
before it is stored it is checked renderable (template, QR-bill, Factur-X XML, glyph check), so
a document that could not be rendered is never issued and takes no number. Each writing use
case has a ``prepare_*`` twin that drafts the same document in a read-only unit of work, so the
facade can do the slow check before taking the lock (see :mod:`.preparing`).

An invoice asks for what is due (:mod:`wsis_funding.documents.dues`) and records what it asks
on each instalment; a credit note records what it credits of each. Settlements record the
invoice they paid. So what an invoice still asks for is always known: asked, less credited,
less paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import attrs
from moneyed import Money

from wsis_funding.documents.building import (
    InstalmentLine,
    invoice_description,
    invoice_snapshot,
    recognition_title,
    what_title,
)
from wsis_funding.documents.dues import InstalmentState, what_is_due
from wsis_funding.documents.errors import NothingToInvoice
from wsis_funding.documents.model import (
    InvoiceSnapshot,
    IssuedDocument,
    ReceivedPayment,
)
from wsis_funding.documents.numbering import DocumentNumber, series_of
from wsis_funding.i18n import LANGUAGES, UnsupportedLanguage
from wsis_funding.ledger.errors import DatesOutOfOrder, UnknownPledge
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Instalment, Pledge, PledgeStatus
from wsis_funding.money import from_minor, to_minor
from wsis_funding.rendering.render import render_pdf as render_snapshot
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.services.preparing import ensure_renderable, warm
from wsis_funding.services.queries import earned_tier
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import parse_schedule

__all__ = [
    "InvoiceBalance",
    "draft_invoice",
    "get_document",
    "invoice_balance",
    "issue_invoice",
    "match_reference",
    "numbering",
    "open_on_invoice",
    "pledge_documents",
    "prepare_invoice",
    "render_pdf",
    "what_it_is_for",
]

_INVOICEABLE = frozenset(
    {PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID, PledgeStatus.FULFILLED}
)
NumberFor = Callable[[str, int], DocumentNumber]
"""Gives the number of a series for a year: taken (under the lock) or only peeked at."""


def numbering(uow: UnitOfWork) -> NumberFor:
    """Return how this unit of work numbers: take (writing) or only peek (drafting)."""
    return uow.documents.take_number if uow.writes else uow.documents.peek_number


def _language(requested: str | None, partner_language: str) -> str:
    language = partner_language if requested is None else requested
    if language not in LANGUAGES:
        raise UnsupportedLanguage(language, LANGUAGES)
    return language


def _resolve(
    uow: UnitOfWork, target: Pledge | Instalment | int
) -> tuple[Pledge, Instalment | None]:
    if isinstance(target, Instalment):
        if target.id is None:
            raise TypeError("the instalment has no id: read it from a stored pledge")
        owner = uow.pledges.pledge_of_instalment(target.id)
        if owner is None:
            raise UnknownPledge(target.id, "instalment")
        pledge = uow.pledges.get(owner[0])
        (instalment,) = [i for i in pledge.instalments if i.id == target.id]
        return pledge, instalment
    return uow.pledges.get(pledge_id_of(target)), None


def what_it_is_for(uow: UnitOfWork, pledge: Pledge, language: str) -> tuple[str, tuple[str, ...]]:
    """Return what a pledge is recognised as, in ``language``, and the benefits that go with it.

    Its activity package, or the tier the partner's counted standing earns now: never a
    typed label.
    """
    edition = edition_of(uow, pledge.edition_code)
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    if pledge.package is not None:
        package = schedule.package(pledge.package)
        return what_title(None, package, language), tuple(package.benefits)
    tier = earned_tier(uow, pledge.partner_id, edition)
    benefits = tuple(schedule.benefits.get(tier, ())) if tier else ()
    return recognition_title(tier, language), benefits


def _states(uow: UnitOfWork, pledge: Pledge) -> list[InstalmentState]:
    live = [i for i in pledge.instalments if not i.replaced]
    ids = [i.id for i in live if i.id is not None]
    open_on = uow.documents.open_on(ids)
    payments = uow.payments.settlements_by_instalment(ids)
    states = []
    for i in live:
        if i.written_off or i.id is None:
            continue
        states.append(
            InstalmentState(
                instalment_id=i.id,
                number=i.number or i.seq,
                count=len(live),
                due_on=i.due_on,
                amount=to_minor(i.amount),
                settled=to_minor(i.settled),
                open_on_invoices=sum(max(amount, 0) for _, amount in open_on.get(i.id, ())),
                payments=tuple(payments.get(i.id, ())),
            )
        )
    return states


def _invoice(
    uow: UnitOfWork,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    due_on: dt.date,
    language: str | None,
    number_for: NumberFor,
) -> tuple[InvoiceSnapshot, DocumentNumber, Pledge, Instalment | None, dict[int, int]]:
    issuer = uow.issuer
    require_date(issued_on, "issued_on")
    require_date(due_on, "due_on")
    pledge, instalment = _resolve(uow, target)
    if pledge.status not in _INVOICEABLE:
        raise NothingToInvoice(pledge.id, f"it is {pledge.status.value}")
    if issued_on < pledge.signed_on:
        raise DatesOutOfOrder(
            f"the invoice of pledge {pledge.id}", issued_on, "its signing", pledge.signed_on
        )
    if due_on < issued_on:
        raise DatesOutOfOrder("the invoice's due date", due_on, "its issue", issued_on)
    states = _states(uow, pledge)
    if instalment is not None:
        if instalment.replaced or instalment.written_off:
            raise NothingToInvoice(pledge.id, f"instalment {instalment.seq} is no longer due")
        states = [s for s in states if s.instalment_id == instalment.id]
    dues = what_is_due(states)
    if not dues:
        if instalment is not None and states and states[0].open_on_invoices:
            open_on = uow.documents.open_on([states[0].instalment_id]).get(
                states[0].instalment_id, []
            )
            if open_on:
                invoiced_by = uow.documents.by_id(open_on[0][0]).number
                raise NothingToInvoice(
                    pledge.id, f"instalment {states[0].number} is invoiced by {invoiced_by}"
                )
        raise NothingToInvoice(pledge.id, "nothing is due: it is already paid or invoiced")
    edition = edition_of(uow, pledge.edition_code)
    partner = partner_of(uow, pledge.partner_id)
    lang = _language(language, partner.language.value)
    what = what_it_is_for(uow, pledge, lang)[0]
    lines = []
    for d in dues:
        s = d.instalment
        line = InstalmentLine(
            number=s.number,
            count=s.count,
            due_on=s.due_on,
            amount=from_minor(d.line, pledge.currency),
        )
        lines.append(
            (invoice_description(what, edition, lang, line), from_minor(d.line, pledge.currency))
        )
    by_date: dict[dt.date, int] = {}
    for d in dues:
        for on, amount in d.received:
            by_date[on] = by_date.get(on, 0) + amount
    received = [
        ReceivedPayment(received_on=on, amount=from_minor(amount, pledge.currency))
        for on, amount in sorted(by_date.items())
    ]
    number = number_for(series_of(edition.invoice_prefix, "invoice"), issued_on.year)
    snapshot = invoice_snapshot(
        kind="invoice",
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        pledge=pledge,
        lines=lines,
        received=received,
        issued_on=issued_on,
        due_on=due_on,
        language=lang,
        base_currency=uow.base,
    )
    coverage = {d.instalment.instalment_id: d.due for d in dues}
    return snapshot, number, pledge, instalment, coverage


def issue_invoice(
    uow: UnitOfWork,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    *,
    due_on: dt.date,
    language: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue and number an invoice for what is due on a pledge, or on one of its instalments.

    ``target`` is the pledge (or its id) or one of its instalments; the invoice is dated
    ``issued_on`` and due ``due_on``. It asks for what is due: for each instalment,
    the part neither paid nor already asked for by an open invoice. Money already received on
    those instalments is shown (date, amount) and not asked for again; the QR-bill and the
    e-invoice carry the amount due. It is numbered in the edition's series for the year of
    ``issued_on`` (``WSIS-2024-0001``), in the partner's language unless ``language`` is given,
    and prints the tier the partner's counted standing earns now (or the activity package);
    ``template_dir`` holds templates that override the package's. Posts nothing. Raises
    :class:`UnknownPledge`, :class:`NothingToInvoice` (pledge draft, cancelled or written
    off, nothing due, or the instalment replaced or already invoiced), :class:`DatesOutOfOrder`
    (issued before signing, due before issue), :class:`UnsupportedLanguage`,
    :class:`IssuerNotConfigured`, and the rendering checks' errors (:class:`MissingIban`,
    :class:`MissingGlyphs`, :class:`TemplateVariableMissing`); nothing is written then.
    """
    snapshot, number, pledge, instalment, coverage = _invoice(
        uow, target, issued_on, due_on, language, numbering(uow)
    )
    ensure_renderable(snapshot, template_dir)
    return uow.documents.add(
        kind="invoice",
        number=number,
        pledge_id=pledge.id,
        instalment_id=None if instalment is None else instalment.id,
        snapshot=snapshot,
        coverage=coverage,
    )


def prepare_invoice(
    uow: UnitOfWork,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    *,
    due_on: dt.date,
    language: str | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`issue_invoice`'s document; return the check to run outside the lock."""
    snapshot = _invoice(uow, target, issued_on, due_on, language, numbering(uow))[0]
    return lambda: warm(snapshot, template_dir)


def draft_invoice(
    uow: UnitOfWork,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    *,
    due_on: dt.date,
    number_for: NumberFor,
    language: str | None = None,
) -> InvoiceSnapshot:
    """Build the invoice :func:`issue_invoice` would issue now, numbered by ``number_for``.

    Stores nothing and checks no rendering (a batch run renders drafts in other processes).
    Raises as :func:`issue_invoice`.
    """
    return _invoice(uow, target, issued_on, due_on, language, number_for)[0]


@attrs.frozen(kw_only=True)
class InvoiceBalance:
    """Where an invoice stands: what it asked, what was credited and paid, what is open.

    ``state`` is ``"open"``, ``"paid"``, ``"credited"`` (nothing left to pay because credit
    notes took it), or ``"written_off"`` (its pledge was written off with this still open:
    money received for it is a recovery).
    """

    number: str
    asked: Money
    credited: Money
    paid: Money
    open: Money
    state: str


def open_on_invoice(uow: UnitOfWork, invoice: IssuedDocument) -> dict[int, int]:
    """Return what ``invoice`` still asks of each instalment it covers (minor units, above 0)."""
    covered = uow.documents.coverage(invoice.id)
    open_on = uow.documents.open_on(covered)
    return {
        inst: amount
        for inst, rows in open_on.items()
        for invoice_id, amount in rows
        if invoice_id == invoice.id and amount > 0
    }


def invoice_balance(uow: UnitOfWork, number: str) -> InvoiceBalance:
    """Return where invoice ``number`` stands (by number or RF creditor reference).

    Raises :class:`UnknownDocument` (also for a document that is not an invoice).
    """
    compact = number.replace(" ", "").upper()
    invoice = (
        uow.documents.by_reference(compact)
        if compact.startswith("RF")
        else uow.documents.get(number)
    )
    if invoice.kind != "invoice":
        from wsis_funding.documents.errors import UnknownDocument

        raise UnknownDocument(f"{number} (a {invoice.kind.replace('_', ' ')}, not an invoice)")
    code = invoice.total.currency.code
    asked = sum(uow.documents.coverage(invoice.id).values())
    credited = sum(to_minor(c.total) for c in uow.documents.credit_notes_of(invoice.id))
    paid = sum(uow.documents.paid_on_invoice(invoice.id).values())
    still = sum(open_on_invoice(uow, invoice).values())
    pledge = uow.pledges.get(invoice.pledge_id)
    if still and pledge.status is PledgeStatus.WRITTEN_OFF:
        state = "written_off"
    elif still:
        state = "open"
    elif credited and not paid:
        state = "credited"
    else:
        state = "paid" if paid else "credited"
    return InvoiceBalance(
        number=invoice.number,
        asked=from_minor(asked, code),
        credited=from_minor(credited, code),
        paid=from_minor(paid, code),
        open=from_minor(still, code),
        state=state,
    )


def get_document(uow: UnitOfWork, number: str) -> IssuedDocument:
    """Return an issued document (invoice, credit note, letter) by its number.

    Raises :class:`UnknownDocument`.
    """
    return uow.documents.get(number)


def pledge_documents(uow: UnitOfWork, pledge: Pledge | int) -> list[IssuedDocument]:
    """Return every document issued for a pledge (invoices, credit notes, letters), in order.

    Raises :class:`UnknownPledge` for an unknown id, and ``TypeError`` for anything but a
    :class:`Pledge` or an int id.
    """
    found = uow.pledges.get(pledge_id_of(pledge))  # an unknown pledge is an error, not []
    return uow.documents.for_pledge(found.id)


def match_reference(uow: UnitOfWork, reference: str) -> IssuedDocument:
    """Return the invoice a bank statement's creditor reference (``RF...``) points to.

    Spaces and lower case are ignored. Raises :class:`UnknownDocument` if no invoice carries
    that reference. :func:`invoice_balance` says whether it is still open.
    """
    return uow.documents.by_reference(reference)


def render_pdf(uow: UnitOfWork, number: str, *, template_dir: Path | None = None) -> bytes:
    """Render an issued document to PDF bytes from its stored snapshot (same bytes each time).

    ``number`` is the document's number (``WSIS-2024-0001``). Invoices and credit notes are
    PDF/A-3b with the Factur-X XML embedded (and a Swiss QR-bill for CHF and EUR invoices to
    a Swiss IBAN). Raises :class:`UnknownDocument` and the
    rendering errors.
    """
    return render_snapshot(uow.documents.get(number).snapshot, template_dir=template_dir)
