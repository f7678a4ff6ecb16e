"""Document use cases: issue invoices, credit them, acknowledge payments, render PDFs.

A document gets its number in the transaction that stores it (gapless per series and year);
before it is stored it is fully prepared for rendering (template, QR-bill, Factur-X XML, glyph
check), so a document that could not be rendered is never issued and takes no number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from moneyed import Money
from sqlalchemy import select

from wsis_funding.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.documents.building import (
    RecordedRate,
    credit_description,
    invoice_description,
    invoice_snapshot,
    letter_snapshot,
    recognition_title,
)
from wsis_funding.documents.errors import (
    NothingToAcknowledge,
    NothingToCredit,
    NothingToInvoice,
    UnsupportedLanguage,
)
from wsis_funding.documents.model import LANGUAGES, InvoiceSnapshot, Issuer
from wsis_funding.documents.numbering import take_number
from wsis_funding.rendering.render import prepare
from wsis_funding.storage.documents import IssuedDocument, SqlDocuments
from wsis_funding.storage import tables as t
from wsis_funding.ledger.model import Instalment, Pledge, PledgeStatus
from wsis_funding.storage.repository import SqlPledges
from wsis_funding.money import from_minor, to_minor
from wsis_funding.services.checks import edition_of, partner_of, pledge_id_of, require_date
from wsis_funding.services.queries import partner_standing
from wsis_funding.storage.unit_of_work import Tx
from wsis_funding.tiers import parse_schedule

__all__ = ["acknowledge", "cancel_invoice", "credit_invoice", "issue_invoice"]

_INVOICEABLE = frozenset(
    {PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID, PledgeStatus.FULFILLED}
)


def _language(requested: str | None, partner_language: str) -> str:
    language = partner_language if requested is None else requested
    if language not in LANGUAGES:
        raise UnsupportedLanguage(language, LANGUAGES)
    return language


def _recorded_rate(tx: Tx, pledge_id: int) -> RecordedRate | None:
    row = tx.conn.execute(
        select(t.pledges.c.rate, t.pledges.c.rate_date, t.pledges.c.rate_source).where(
            t.pledges.c.id == pledge_id
        )
    ).one()
    if row.rate is None:
        return None
    return RecordedRate(
        base_currency=tx.base,
        rate=Decimal(row.rate),
        rate_date=row.rate_date,
        source=row.rate_source,
    )


def _net_invoiced(docs: list[IssuedDocument], credited_ids: dict[int, int]) -> int:
    invoiced = sum(to_minor(d.total) for d in docs if d.kind == "invoice")
    return invoiced - sum(credited_ids.values())


def _resolve(tx: Tx, target: Pledge | Instalment | int) -> tuple[Pledge, Instalment | None]:
    if isinstance(target, Instalment):
        if target.id is None:
            raise TypeError("the instalment has no id: read it from a stored pledge")
        pledge_id = tx.conn.execute(
            select(t.instalments.c.pledge_id).where(t.instalments.c.id == target.id)
        ).scalar_one()
        pledge = SqlPledges(tx.conn, tx.base).get(int(pledge_id))
        (instalment,) = [i for i in pledge.instalments if i.id == target.id]
        return pledge, instalment
    return SqlPledges(tx.conn, tx.base).get(pledge_id_of(target)), None


def issue_invoice(
    tx: Tx,
    issuer: Issuer,
    target: Pledge | Instalment | int,
    issued_on: dt.date,
    due_on: dt.date,
    *,
    language: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue and number an invoice for what is left to invoice on a pledge, or one instalment.

    The invoice is in the partner's language unless ``language`` is given. Raises
    :class:`UnknownPledge`, :class:`NothingToInvoice` (pledge draft, cancelled or written off,
    already fully invoiced, or instalment replaced or already invoiced),
    :class:`UnsupportedLanguage`, and the rendering checks' errors (:class:`MissingIban`,
    :class:`MissingGlyphs`, :class:`TemplateVariableMissing`); nothing is written then.
    """
    require_date(issued_on, "issued_on")
    require_date(due_on, "due_on")
    pledge, instalment = _resolve(tx, target)
    if pledge.status not in _INVOICEABLE:
        raise NothingToInvoice(pledge.id, f"it is {pledge.status.value}")
    store = SqlDocuments(tx.conn)
    docs = store.for_pledge(pledge.id)
    credited = {d.id: store.credited(d.id) for d in docs if d.kind == "invoice"}
    left = to_minor(pledge.amount) - to_minor(pledge.written_off) - _net_invoiced(docs, credited)
    edition = edition_of(tx, pledge.edition_code)
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    partner = partner_of(tx, pledge.partner_id)
    lang = _language(language, partner.language.value)
    description = invoice_description(pledge, schedule, edition, lang, instalment)
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
    number = take_number(tx.conn, edition.invoice_prefix, issued_on.year)
    snapshot = invoice_snapshot(
        kind="invoice",
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        pledge=pledge,
        description=description,
        amount=from_minor(amount, pledge.currency),
        issued_on=issued_on,
        due_on=due_on,
        language=lang,
        recorded_rate=_recorded_rate(tx, pledge.id),
    )
    prepare(snapshot, template_dir=template_dir)
    return store.add(
        kind="invoice",
        number=number,
        pledge_id=pledge.id,
        instalment_id=None if instalment is None else instalment.id,
        snapshot=snapshot,
    )


def credit_invoice(
    tx: Tx,
    issuer: Issuer,
    number: str,
    issued_on: dt.date,
    amount: Money | None = None,
    *,
    reason: str | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue a credit note against invoice ``number``: for ``amount``, or all that is left.

    Credit notes have their own series (``{prefix}-CN``). Raises :class:`UnknownDocument`,
    :class:`NothingToCredit` (not an invoice, already fully credited, or more than is left),
    :class:`CurrencyMismatch` and :class:`InvalidAmount`; nothing is written then.
    """
    require_date(issued_on, "issued_on")
    store = SqlDocuments(tx.conn)
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
    pledge = SqlPledges(tx.conn, tx.base).get(invoice.pledge_id)
    edition = edition_of(tx, pledge.edition_code)
    cn_number = take_number(tx.conn, f"{edition.invoice_prefix}-CN", issued_on.year)
    original = invoice.snapshot
    snapshot = invoice_snapshot(
        kind="credit_note",
        number=cn_number.text,
        issuer=issuer,
        partner=partner_of(tx, pledge.partner_id),
        edition=edition,
        pledge=pledge,
        description=credit_description(
            number,
            original.lines[0].description,
            original.language,
            cancels=amount is None,
            reason=reason,
        ),
        amount=from_minor(credit, invoice.total.currency.code),
        issued_on=issued_on,
        due_on=None,
        language=original.language,
        recorded_rate=_recorded_rate(tx, pledge.id),
        refers_to=number,
    )
    prepare(snapshot, template_dir=template_dir)
    return store.add(
        kind="credit_note",
        number=cn_number,
        pledge_id=pledge.id,
        instalment_id=invoice.instalment_id,
        refers_to_id=invoice.id,
        snapshot=snapshot,
    )


def cancel_invoice(
    tx: Tx, issuer: Issuer, number: str, issued_on: dt.date, *, reason: str | None = None
) -> IssuedDocument:
    """Cancel invoice ``number`` by a credit note for everything not yet credited.

    An issued invoice is never changed or deleted. Raises as :func:`credit_invoice`; cancelling
    twice raises :class:`NothingToCredit`.
    """
    return credit_invoice(tx, issuer, number, issued_on, None, reason=reason)


def acknowledge(
    tx: Tx,
    issuer: Issuer,
    payment_id: int,
    issued_on: dt.date,
    *,
    pledge: Pledge | int | None = None,
    template_dir: Path | None = None,
) -> IssuedDocument:
    """Issue an acknowledgement letter for payment ``payment_id`` towards one of its pledges.

    The letter states the amount received, the pledge's remaining balance and the tier (or
    activity package) recognised with its benefits. Letters have their own series
    (``{prefix}-ACK``). Raises :class:`NothingToAcknowledge` for an unknown payment, one that
    settled no pledge, applied earlier credit rather than money received, or several pledges
    when ``pledge`` does not say which.
    """
    require_date(issued_on, "issued_on")
    payment = tx.conn.execute(select(t.payments).where(t.payments.c.id == payment_id)).first()
    if payment is None:
        raise NothingToAcknowledge(payment_id, "no such payment")
    if payment.source != "bank":
        raise NothingToAcknowledge(
            payment_id, "it applied unapplied credit; acknowledge the payment that brought it"
        )
    settled = tx.conn.execute(
        select(t.settlements.c.pledge_id, t.settlements.c.amount_minor)
        .where(t.settlements.c.payment_id == payment_id)
        .order_by(t.settlements.c.id)
    ).all()
    per_pledge: dict[int, int] = {}
    for row in settled:
        per_pledge[row.pledge_id] = per_pledge.get(row.pledge_id, 0) + row.amount_minor
    if pledge is not None:
        wanted = pledge_id_of(pledge)
        if wanted not in per_pledge:
            raise NothingToAcknowledge(payment_id, f"it settled nothing of pledge {wanted}")
    elif len(per_pledge) == 1:
        (wanted,) = per_pledge
    else:
        found = ", ".join(str(p) for p in per_pledge) or "none"
        raise NothingToAcknowledge(payment_id, f"say which pledge (it settled: {found})")
    p = SqlPledges(tx.conn, tx.base).get(wanted)
    edition = edition_of(tx, p.edition_code)
    partner = partner_of(tx, p.partner_id)
    schedule = parse_schedule(edition.schedule_toml, source=f"edition {edition.code}")
    if p.package is not None:
        package = schedule.package(p.package)
        recognition, benefits = package.title, package.benefits
    else:
        tier = partner_standing(tx, partner.id or 0, edition.code).tier
        recognition = recognition_title(tier, partner.language.value)
        benefits = schedule.benefits.get(tier, ()) if tier else ()
    invoices = [d for d in SqlDocuments(tx.conn).for_pledge(p.id) if d.kind == "invoice"]
    number = take_number(tx.conn, f"{edition.invoice_prefix}-ACK", issued_on.year)
    snapshot = letter_snapshot(
        number=number.text,
        issuer=issuer,
        partner=partner,
        edition=edition,
        pledge=p,
        amount_received=from_minor(per_pledge[wanted], p.currency),
        received_on=payment.received_on,
        issued_on=issued_on,
        language=partner.language.value,
        recognition=recognition,
        benefits=tuple(benefits),
        payment_reference=invoices[-1].payment_reference if invoices else None,
    )
    prepare(snapshot, template_dir=template_dir)
    return SqlDocuments(tx.conn).add(
        kind="letter", number=number, pledge_id=p.id, payment_id=payment_id, snapshot=snapshot
    )
