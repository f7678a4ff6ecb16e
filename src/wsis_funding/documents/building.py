"""Building document snapshots from the books: partner, edition, pledge, payment.

Pure functions: every value printed on a document is copied from the ledger's values here, so
that the snapshot is complete and the renderer looks nothing up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

import attrs

from wsis_funding.documents.errors import InvalidSnapshot
from wsis_funding.documents.model import (
    CreditKind,
    DocumentLine,
    InvoiceSnapshot,
    Issuer,
    LetterSnapshot,
    Party,
    PostalAddress,
    ReceivedPayment,
)
from wsis_funding.documents.reference import creditor_reference
from wsis_funding.documents.reminders import OverdueItem, ReminderSnapshot
from wsis_funding.i18n import format_day, translations
from wsis_funding.ledger.model import Edition, Partner, Pledge
from wsis_funding.money import Money
from wsis_funding.tiers import ActivityPackage, Tier

__all__ = [
    "InstalmentLine",
    "credit_description",
    "invoice_description",
    "invoice_snapshot",
    "letter_snapshot",
    "party_of",
    "recognition_title",
    "reminder_snapshot",
    "what_title",
]


def party_of(partner: Partner) -> Party:
    """Return the document party (legal name, structured billing address) of a partner."""
    a = partner.billing_address
    return Party(
        name=partner.legal_name,
        address=PostalAddress(
            street=a.street,
            building_number=a.building_number,
            postcode=a.postcode,
            town=a.town,
            country=a.country,
        ),
        tax_id=partner.tax_id,
        email=partner.contact_email,
    )


def recognition_title(tier: Tier | None, language: str) -> str:
    """Return the tier's official title in ``language``, or the generic contributor title."""
    _ = translations(language).gettext
    return str(_(tier.title if tier else "Contribution to the WSIS Fund in Trust"))


def what_title(tier: Tier | None, package: ActivityPackage | None, language: str) -> str:
    """Return what a pledge is for, in ``language``: its activity package or the tier earned.

    Activity package titles come from the edition's schedule as configured; a tier is the one
    the partner's counted standing earns when the document is issued, never a typed label.
    """
    if package is not None:
        return package.title
    return recognition_title(tier, language)


@attrs.frozen(kw_only=True)
class InstalmentLine:
    """An instalment an invoice covers, numbered as the partner sees the current schedule.

    ``number`` of ``count``, its due date, and the amount invoiced (what no earlier invoice
    asked for).
    """

    number: int
    count: int
    due_on: dt.date
    amount: Money


def invoice_description(
    what: str, edition: Edition, language: str, instalment: InstalmentLine | None = None
) -> str:
    """Return an invoice line text in ``language``: what, for which edition, which instalment.

    An instalment is named as the partner sees the schedule: "instalment 2 of 3 due ...".
    A schedule of one instalment is not numbered.
    """
    text = f"{what}, {edition.title}"
    if instalment is None or instalment.count == 1:
        return text
    template = translations(language).gettext(
        "%(what)s, instalment %(seq)s of %(count)s due %(date)s"
    )
    return str(template) % {
        "what": text,
        "seq": instalment.number,
        "count": instalment.count,
        "date": format_day(instalment.due_on, language),
    }


def credit_description(
    invoice_number: str,
    line: str,
    language: str,
    *,
    kind: CreditKind,
    cancels: bool,
    reason: str | None,
) -> str:
    """Return the credit note line text in ``language``, with the user's reason if given.

    A correction credits the document; a reduction reduces the pledge; ``cancels`` when the
    credit note takes all that is left of the invoice.
    """
    _ = translations(language).gettext
    if kind is CreditKind.CORRECTION:
        text = _(
            "Correction (cancellation) of invoice %(number)s: %(line)s"
            if cancels
            else "Correction of invoice %(number)s: %(line)s"
        )
    else:
        text = _(
            "Cancellation of invoice %(number)s: %(line)s"
            if cancels
            else "Reduction of invoice %(number)s: %(line)s"
        )
    described = str(text) % {"number": invoice_number, "line": line}
    return f"{described} ({reason})" if reason else described


def pledge_reference(pledge: Pledge) -> str:
    """Return the printed reference of a pledge, such as ``PL-000017``."""
    return f"PL-{pledge.id:06d}"


def invoice_snapshot(
    *,
    kind: Literal["invoice", "credit_note"],
    number: str,
    issuer: Issuer,
    partner: Partner,
    edition: Edition,
    pledge: Pledge,
    lines: Sequence[tuple[str, Money]],
    issued_on: dt.date,
    due_on: dt.date | None,
    language: str,
    base_currency: str,
    received: Sequence[ReceivedPayment] = (),
    refers_to: str | None = None,
    credit_kind: CreditKind | None = None,
) -> InvoiceSnapshot:
    """Return the snapshot of an invoice or credit note of a pledge.

    ``lines`` are (text, amount) pairs; ``received`` the money already received on what an
    invoice covers, which it shows and does not ask for again. The base-currency equivalent of
    the amount due is printed with the pledge's recorded (signing-date) rate when the pledge is
    not in ``base_currency``. Raises the snapshot's validation errors
    (:class:`UnsupportedLanguage`, :class:`InvalidSnapshot`).
    """
    printed = tuple(
        DocumentLine(description=text, quantity=Decimal(1), unit_price=amount, amount=amount)
        for text, amount in lines
    )
    total = printed[0].amount if printed else None
    for line in printed[1:]:
        assert total is not None
        total = total + line.amount
    if total is None:
        raise InvalidSnapshot("lines", "a document needs at least one line")
    due = total
    for paid in received:
        due = due - paid.amount
    # A base-currency document shows no equivalent: there is nothing to convert.
    shown = pledge.rate if total.currency.code != base_currency else None
    return InvoiceSnapshot(
        kind=kind,
        number=number,
        issued_on=issued_on,
        due_on=due_on,
        language=language,
        issuer=issuer,
        partner=party_of(partner),
        edition_code=edition.code,
        edition_title=edition.title,
        lines=printed,
        total=total,
        received=tuple(received),
        base_equivalent=shown.apply(due, base_currency) if shown else None,
        rate=shown,
        payment_reference=creditor_reference(number),
        refers_to=refers_to,
        pledge_reference=pledge_reference(pledge),
        credit_kind=credit_kind,
    )


def letter_snapshot(
    *,
    number: str,
    issuer: Issuer,
    partner: Partner,
    edition: Edition,
    settled: Money,
    balance_after: Money,
    received_on: dt.date,
    amount_credited: Money,
    bank_charges: Money,
    kept_as_credit: Money,
    paid_invoice: str | None,
    payment_reference: str | None,
    bank_reference: str,
    issued_on: dt.date,
    language: str,
    recognition: str,
    benefits: tuple[str, ...],
) -> LetterSnapshot:
    """Return the snapshot of an acknowledgement letter stating the facts of one payment.

    ``settled`` is what the payment settled on the pledge and ``balance_after`` the pledge's
    balance right after it (both in the pledge currency); ``amount_credited`` what the bank
    credited, ``bank_charges`` what banks deducted and ``kept_as_credit`` what became the
    partner's credit (in the payment currency). The letter names the invoice the payment paid
    (``paid_invoice`` and its RF ``payment_reference``), or the ``bank_reference`` when it paid
    none.
    """
    return LetterSnapshot(
        number=number,
        issued_on=issued_on,
        language=language,
        issuer=issuer,
        partner=party_of(partner),
        edition_code=edition.code,
        edition_title=edition.title,
        amount_received=settled,
        received_on=received_on,
        remaining_balance=balance_after,
        recognition=recognition,
        benefits=benefits,
        payment_reference=payment_reference,
        amount_credited=amount_credited,
        bank_charges=bank_charges,
        kept_as_credit=kept_as_credit,
        paid_invoice=paid_invoice,
        bank_reference=bank_reference,
    )


def reminder_snapshot(
    *,
    number: str,
    issuer: Issuer,
    partner: Partner,
    edition: Edition,
    pledge: Pledge,
    items: Sequence[OverdueItem],
    issued_on: dt.date,
    language: str,
) -> ReminderSnapshot:
    """Return the snapshot of a reminder letter for the overdue ``items`` of a pledge.

    Items are listed oldest due date first (then by invoice and instalment); the total is
    their sum. Raises the snapshot's validation errors (:class:`InvalidSnapshot`,
    :class:`UnsupportedLanguage`, :class:`CurrencyMismatch`).
    """
    ordered = sorted(items, key=lambda i: (i.due_on, i.invoice, i.instalment))
    if not ordered:
        raise InvalidSnapshot("items", "a reminder states at least one overdue amount")
    total = ordered[0].open
    for item in ordered[1:]:
        total = total + item.open
    return ReminderSnapshot(
        number=number,
        issued_on=issued_on,
        language=language,
        issuer=issuer,
        partner=party_of(partner),
        edition_code=edition.code,
        edition_title=edition.title,
        pledge_reference=pledge_reference(pledge),
        items=tuple(ordered),
        total=total,
    )
