"""Invoice and credit note use cases, and looking documents up (letters: :mod:`.letters`).

A document gets its number in the transaction that stores it (gapless per series and year);
before it is stored it is checked renderable (template, QR-bill, Factur-X XML, glyph check), so
a document that could not be rendered is never issued and takes no number. Each writing use
case has a ``prepare_*`` twin that drafts the same document in a read-only unit of work, so the
facade can do the slow check before taking the lock (see :mod:`.preparing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from moneyed import Money

from wsis_funding.documents.building import (
    InstalmentLine,
    credit_description,
    invoice_description,
    invoice_snapshot,
    what_title,
)
from wsis_funding.documents.errors import NothingToCredit, NothingToInvoice
from wsis_funding.documents.model import CreditKind, InvoiceSnapshot, IssuedDocument
from wsis_funding.documents.numbering import DocumentNumber, series_of
from wsis_funding.i18n import LANGUAGES, UnsupportedLanguage
from wsis_funding.ledger.errors import UnknownPledge
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Instalment, Pledge, PledgeStatus
from wsis_funding.money import from_minor, to_minor
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.rendering.render import render_pdf as render_snapshot
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of
from wsis_funding.services.preparing import ensure_renderable, warm
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier, parse_schedule

__all__ = [
    "cancel_invoice",
    "credit_invoice",
    "get_document",
    "issue_invoice",
    "match_reference",
    "pledge_documents",
    "prepare_cancel_invoice",
    "prepare_credit_invoice",
    "prepare_invoice",
    "render_pdf",
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


def _invoice(
    uow: UnitOfWork,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    due_on: dt.date,
    language: str | None,
    number_for: NumberFor,
) -> tuple[InvoiceSnapshot, DocumentNumber, Pledge, Instalment | None]:
    issuer = uow.issuer
    require_date(issued_on, "issued_on")
    require_date(due_on, "due_on")
    pledge, instalment = _resolve(uow, target)
    if pledge.status not in _INVOICEABLE:
        raise NothingToInvoice(pledge.id, f"it is {pledge.status.value}")
    store = uow.documents
    docs = store.for_pledge(pledge.id)
    credited = {d.id: store.credited(d.id) for d in docs if d.kind == "invoice"}
    invoiced = sum(to_minor(d.total) for d in docs if d.kind == "invoice")
    left = (
        to_minor(pledge.amount) - to_minor(pledge.written_off) - invoiced + sum(credited.values())
    )
    edition = edition_of(uow, pledge.edition_code)
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    partner = partner_of(uow, pledge.partner_id)
    lang = _language(language, partner.language.value)
    tier = None if pledge.package else (Tier(pledge.tier) if pledge.tier else None)
    package = schedule.package(pledge.package) if pledge.package else None
    line = None
    if instalment is not None:
        live = [i for i in pledge.instalments if not i.replaced]
        line = InstalmentLine(
            number=live.index(instalment) + 1 if instalment in live else instalment.seq,
            count=len(live),
            due_on=instalment.due_on,
            amount=instalment.amount,
        )
    description = invoice_description(what_title(tier, package, lang), edition, lang, line)
    if instalment is None:
        amount = left
    else:
        if instalment.replaced or instalment.written_off:
            raise NothingToInvoice(pledge.id, f"instalment {instalment.seq} is no longer due")
        open_invoices = [
            d for d in docs
            if d.kind == "invoice" and d.instalment_id == instalment.id
            and credited[d.id] < to_minor(d.total)
        ]  # fmt: skip
        if open_invoices:
            raise NothingToInvoice(
                pledge.id, f"instalment {instalment.seq} is invoiced by {open_invoices[0].number}"
            )
        amount = min(to_minor(instalment.amount), left)
    if amount <= 0:
        raise NothingToInvoice(pledge.id, "it is already fully invoiced")
    number = number_for(series_of(edition.invoice_prefix, "invoice"), issued_on.year)
    snapshot = invoice_snapshot(
        kind="invoice",
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        pledge=pledge,
        lines=[(description, from_minor(amount, pledge.currency))],
        issued_on=issued_on,
        due_on=due_on,
        language=lang,
        base_currency=uow.base,
    )
    return snapshot, number, pledge, instalment


def issue_invoice(
    uow: UnitOfWork,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    *,
    due_on: dt.date,
    language: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue and number an invoice for what is left to invoice on a pledge, or one instalment.

    ``target`` is a pledge (or its id): the invoice asks for the pledge amount less any
    write-off and less what is already invoiced net of credit notes; or an instalment, not
    already on an open invoice. Numbered in the edition's series for the year of
    ``issued_on`` (``WSIS-2024-0001``), in the partner's language unless ``language`` is
    given; ``template_dir`` holds templates that override the package's. Posts nothing.
    Raises :class:`UnknownPledge`, :class:`NothingToInvoice` (pledge draft, cancelled or
    written off, already fully invoiced, or instalment replaced or already invoiced),
    :class:`UnsupportedLanguage`, :class:`IssuerNotConfigured`, and the rendering checks'
    errors (:class:`MissingIban`, :class:`MissingGlyphs`, :class:`TemplateVariableMissing`);
    nothing is written then.
    """
    snapshot, number, pledge, instalment = _invoice(
        uow, target, issued_on, due_on, language, numbering(uow)
    )
    ensure_renderable(snapshot, template_dir)
    return uow.documents.add(
        kind="invoice",
        number=number,
        pledge_id=pledge.id,
        instalment_id=None if instalment is None else instalment.id,
        snapshot=snapshot,
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


def _credit(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    amount: Money | None,
    reason: str | None,
    number_for: NumberFor,
) -> tuple[InvoiceSnapshot, DocumentNumber, IssuedDocument]:
    issuer = uow.issuer
    require_date(issued_on, "issued_on")
    store = uow.documents
    invoice = store.get(number)
    if invoice.kind != "invoice" or not isinstance(invoice.snapshot, InvoiceSnapshot):
        raise NothingToCredit(number, f"it is a {invoice.kind.replace('_', ' ')}")
    left = to_minor(invoice.total) - store.credited(invoice.id)
    if left <= 0:
        raise NothingToCredit(number, "it is already fully credited")
    if amount is None:
        credit = left
    else:
        if amount.currency.code != invoice.total.currency.code:
            raise CurrencyMismatch(invoice.total.currency.code, amount.currency.code, "credit")
        credit = to_minor(amount)
        if credit <= 0:
            raise InvalidAmount(amount.amount, "a credit note must be above zero")
        if credit > left:
            raise NothingToCredit(
                number, f"{amount.amount} is more than the {left} minor units left"
            )
    pledge = uow.pledges.get(invoice.pledge_id)
    edition = edition_of(uow, pledge.edition_code)
    cn_number = number_for(series_of(edition.invoice_prefix, "credit_note"), issued_on.year)
    original = invoice.snapshot
    snapshot = invoice_snapshot(
        kind="credit_note",
        number=cn_number.text,
        issuer=issuer,
        partner=partner_of(uow, pledge.partner_id),
        edition=edition,
        pledge=pledge,
        lines=[
            (
                credit_description(
                    number,
                    original.lines[0].description,
                    original.language,
                    kind=CreditKind.REDUCTION,
                    cancels=amount is None,
                    reason=reason,
                ),
                from_minor(credit, invoice.total.currency.code),
            )
        ],
        issued_on=issued_on,
        due_on=None,
        language=original.language,
        base_currency=uow.base,
        refers_to=number,
    )
    return snapshot, cn_number, invoice


def credit_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    amount: Money | None = None,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue a credit note against invoice ``number``: for ``amount``, or all that is left.

    Credit notes have their own series (``WSIS-CN-2024-0001``) and are in the invoice's
    language; ``reason`` is printed on the line. Posts nothing. Raises
    :class:`UnknownDocument`, :class:`NothingToCredit` (not an invoice, already fully
    credited, or more than is left), :class:`CurrencyMismatch`, :class:`InvalidAmount` and
    the rendering checks' errors; nothing is written then.
    """
    snapshot, cn_number, invoice = _credit(uow, number, issued_on, amount, reason, numbering(uow))
    ensure_renderable(snapshot, template_dir)
    return uow.documents.add(
        kind="credit_note",
        number=cn_number,
        pledge_id=invoice.pledge_id,
        instalment_id=invoice.instalment_id,
        refers_to_id=invoice.id,
        snapshot=snapshot,
    )


def prepare_credit_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    amount: Money | None = None,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`credit_invoice`'s document; return the check to run outside the lock."""
    snapshot = _credit(uow, number, issued_on, amount, reason, numbering(uow))[0]
    return lambda: warm(snapshot, template_dir)


def cancel_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Cancel invoice ``number`` by a credit note for everything not yet credited.

    An issued invoice is never changed or deleted. Raises as :func:`credit_invoice`;
    cancelling twice raises :class:`NothingToCredit`.
    """
    return credit_invoice(uow, number, issued_on, reason=reason, template_dir=template_dir)


def prepare_cancel_invoice(
    uow: UnitOfWork,
    number: str,
    issued_on: dt.date,
    *,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> Callable[[], None]:
    """Draft :func:`cancel_invoice`'s document; return the check to run outside the lock."""
    return prepare_credit_invoice(uow, number, issued_on, reason=reason, template_dir=template_dir)


def get_document(uow: UnitOfWork, number: str) -> IssuedDocument:
    """Return an issued document (invoice, credit note, letter) by its number.

    Raises :class:`UnknownDocument`.
    """
    return uow.documents.get(number)


def pledge_documents(uow: UnitOfWork, pledge: Pledge | int) -> list[IssuedDocument]:
    """Return every document issued for a pledge, in issue order."""
    return uow.documents.for_pledge(pledge_id_of(pledge))


def match_reference(uow: UnitOfWork, reference: str) -> IssuedDocument:
    """Return the invoice a bank statement's creditor reference (``RF...``) points to.

    Spaces and lower case are ignored. Raises :class:`UnknownDocument` if no invoice carries
    that reference.
    """
    return uow.documents.by_reference(reference)


def render_pdf(uow: UnitOfWork, number: str, *, template_dir: Path | None = None) -> bytes:
    """Render an issued document to PDF bytes from its stored snapshot (same bytes each time).

    Invoices and credit notes are PDF/A-3b with the Factur-X XML embedded (and a Swiss QR-bill
    for CHF and EUR invoices to a Swiss IBAN). Raises :class:`UnknownDocument` and the
    rendering errors.
    """
    return render_snapshot(uow.documents.get(number).snapshot, template_dir=template_dir)
