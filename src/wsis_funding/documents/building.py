"""Building document snapshots from the books: partner, edition, pledge, payment.

Pure functions: every value printed on a document is copied from the ledger's values here, so
that the snapshot is complete and the renderer looks nothing up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from wsis_funding.documents.model import (
    DocumentLine,
    InvoiceSnapshot,
    Issuer,
    LetterSnapshot,
    Party,
    PostalAddress,
)
from wsis_funding.documents.reference import creditor_reference
from wsis_funding.i18n import format_day, translations
from wsis_funding.ledger.model import Edition, Instalment, Partner, Pledge
from wsis_funding.money import Money
from wsis_funding.tiers import Tier, TierSchedule

__all__ = [
    "credit_description",
    "invoice_description",
    "invoice_snapshot",
    "letter_snapshot",
    "party_of",
    "pledge_title",
    "recognition_title",
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


def pledge_title(pledge: Pledge, schedule: TierSchedule, language: str) -> str:
    """Return what the pledge buys, in ``language``: the tier's title or the package's title.

    Activity package titles come from the edition's schedule as configured.
    """
    if pledge.package is not None:
        return schedule.package(pledge.package).title
    return recognition_title(Tier(pledge.tier) if pledge.tier else None, language)


def invoice_description(
    pledge: Pledge,
    schedule: TierSchedule,
    edition: Edition,
    language: str,
    instalment: Instalment | None = None,
) -> str:
    """Return the invoice line text in ``language``: what, for which edition, which instalment."""
    what = f"{pledge_title(pledge, schedule, language)}, {edition.title}"
    if instalment is None:
        return what
    text = translations(language).gettext("%(what)s, instalment %(seq)s due %(date)s")
    return str(text) % {
        "what": what,
        "seq": instalment.seq,
        "date": format_day(instalment.due_on, language),
    }


def credit_description(
    invoice_number: str, line: str, language: str, *, cancels: bool, reason: str | None
) -> str:
    """Return the credit note line text in ``language``, with the user's reason if given."""
    _ = translations(language).gettext
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
    description: str,
    amount: Money,
    issued_on: dt.date,
    due_on: dt.date | None,
    language: str,
    base_currency: str,
    refers_to: str | None = None,
) -> InvoiceSnapshot:
    """Return the snapshot of a one-line invoice or credit note for ``amount`` of a pledge.

    The base-currency equivalent is printed with the pledge's recorded (signing-date) rate
    when the pledge is not in ``base_currency``. Raises the snapshot's validation errors
    (:class:`UnsupportedLanguage`, :class:`InvalidSnapshot`).
    """
    line = DocumentLine(
        description=description, quantity=Decimal(1), unit_price=amount, amount=amount
    )
    # A base-currency document shows no equivalent: there is nothing to convert.
    shown = pledge.rate if amount.currency.code != base_currency else None
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
        lines=(line,),
        total=amount,
        base_equivalent=shown.apply(amount, base_currency) if shown else None,
        rate=shown,
        payment_reference=creditor_reference(number),
        refers_to=refers_to,
        pledge_reference=pledge_reference(pledge),
    )


def letter_snapshot(
    *,
    number: str,
    issuer: Issuer,
    partner: Partner,
    edition: Edition,
    pledge: Pledge,
    amount_received: Money,
    received_on: dt.date,
    issued_on: dt.date,
    language: str,
    recognition: str,
    benefits: tuple[str, ...],
    payment_reference: str | None,
) -> LetterSnapshot:
    """Return the snapshot of an acknowledgement letter for a payment towards ``pledge``.

    The remaining balance is the pledge's outstanding amount after the payment. The payment
    reference is the pledge's invoice reference when there is one, else the letter's own.
    """
    return LetterSnapshot(
        number=number,
        issued_on=issued_on,
        language=language,
        issuer=issuer,
        partner=party_of(partner),
        edition_code=edition.code,
        edition_title=edition.title,
        amount_received=amount_received,
        received_on=received_on,
        remaining_balance=pledge.outstanding,
        recognition=recognition,
        benefits=benefits,
        payment_reference=payment_reference or creditor_reference(number),
    )
