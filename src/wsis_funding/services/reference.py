"""Use cases on reference data: partners (added, corrected, looked up), editions and rates.

Partners and editions are checked field by field when their values are built (see
:class:`~wsis_funding.ledger.model.Partner`); these use cases add what needs more than the
value: whether the document fonts can draw every printed field, duplicates in the books, the
schedule against its edition. Everything is checked before anything is written, so SQLite
and PostgreSQL answer the same input with the same error.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

from wsis_funding.documents.model import IssuedDocument
from wsis_funding.ledger.errors import InvalidField
from wsis_funding.ledger.history import PartnerVersion, changed_fields
from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import (
    Address,
    Edition,
    Language,
    Partner,
    Payment,
    StakeholderType,
)
from wsis_funding.ledger.validation import clean_text, search_key
from wsis_funding.money import ExchangeRate, minor_unit_exponent
from wsis_funding.money.errors import CurrencyMismatch, InvalidAmount
from wsis_funding.rendering.fonts import missing_characters
from wsis_funding.services.checks import partner_of
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import TierSchedule, parse_schedule
from wsis_funding.tiers.errors import InvalidSchedule

__all__ = [
    "UNCHANGED",
    "Unchanged",
    "add_edition",
    "add_partner",
    "add_rates",
    "check_printable",
    "get_partner",
    "partner_by_short_name",
    "partner_documents",
    "partner_history",
    "partner_payments",
    "partners",
    "update_partner",
]


class Unchanged(enum.Enum):
    """The default of :func:`update_partner`'s fields: the field is not changed."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def _drawable(field: str, text: str | None) -> None:
    """Raise :class:`InvalidField` if the document fonts cannot draw ``text``."""
    if text:
        clean_text(text, field, max_length=len(text), missing_glyphs=missing_characters)


def check_printable(partner: Partner) -> None:
    """Check that every field of ``partner`` that documents print can be drawn.

    Raises :class:`InvalidField` naming the field and the characters no font draws.
    """
    a = partner.billing_address
    _drawable("legal_name", partner.legal_name)
    _drawable("billing_address.street", a.street)
    _drawable("billing_address.building_number", a.building_number)
    _drawable("billing_address.postcode", a.postcode)
    _drawable("billing_address.town", a.town)
    _drawable("tax_id", partner.tax_id)
    _drawable("contact_email", partner.contact_email)


def add_partner(uow: UnitOfWork, partner: Partner) -> Partner:
    """Store a new partner and return it with its id.

    ``partner`` was checked field by field when it was built (see :class:`Partner`); this
    also checks that the document fonts can draw each printed field (legal name, address,
    tax id, e-mail). Raises ``TypeError`` if ``partner`` is not a :class:`Partner`,
    :class:`InvalidField` for a partner that already has an ``id`` (a stored partner is
    changed with :func:`update_partner`) or a character no font draws, and
    :class:`AlreadyExists` naming the partner whose short name is the same once case,
    spacing and width are ignored (``ACME``, ``acme``, ``ＡＣＭＥ``).
    """
    if not isinstance(partner, Partner):
        raise TypeError(f"expected a Partner, not {type(partner).__name__}")
    if partner.id is not None:
        raise InvalidField(
            "id",
            partner.id,
            "a new partner gets its id when it is stored; expected None (to correct a stored "
            "partner, use update_partner)",
        )
    check_printable(partner)
    return uow.partners.add(partner)


def get_partner(uow: UnitOfWork, partner: Partner | int) -> Partner:
    """Return a stored partner, by id (or a stored Partner, as it is stored now).

    A short name is not an id: look it up with :func:`partner_by_short_name`. Raises
    :class:`UnknownPartner` for an id the books do not hold, and ``TypeError`` for anything
    but an int or a Partner (a str, a bool).
    """
    if isinstance(partner, str):
        raise TypeError(
            f"partner must be a Partner or an int id, not str ({partner!r}): "
            "look a partner up by short name with partner_by_short_name"
        )
    return partner_of(uow, partner)


def partner_by_short_name(uow: UnitOfWork, short_name: str) -> Partner:
    """Return the partner with this short name, ignoring case, spacing and width.

    ``short_name`` as ``"acme"``, ``"ACME "`` and ``"ＡＣＭＥ"`` all find the partner
    ``ACME``. Raises ``TypeError`` for a non-str, :class:`UnknownPartner` if no partner has it, and
    :class:`InvalidField` if it names several partners (duplicates that books written before
    duplicates were refused may hold; give one another short name with
    :func:`update_partner`).
    """
    if not isinstance(short_name, str):
        raise TypeError(f"short_name must be a str, not {type(short_name).__name__}")
    return uow.partners.by_short_name(short_name)


def partners(uow: UnitOfWork, *, search: str | None = None) -> list[Partner]:
    """Return the partners, by id; with ``search``, those whose legal or short name holds it.

    The search ignores case, accents, width and spacing: ``"geneve"`` finds ``"Genève"``,
    ``"telecom sa"`` finds ``"Acme  Télécom SA"``. A blank search finds every partner. Raises
    ``TypeError`` if ``search`` is neither None nor a str.
    """
    if search is not None and not isinstance(search, str):
        raise TypeError(f"search must be a str or None, not {type(search).__name__}")
    everyone = uow.partners.all()
    needle = search_key(search) if search is not None else ""
    if not needle:
        return everyone
    return [
        p
        for p in everyone
        if needle in search_key(p.legal_name) or needle in search_key(p.short_name)
    ]


def update_partner(
    uow: UnitOfWork,
    partner: Partner | int,
    *,
    on: dt.date,
    legal_name: str | Unchanged = UNCHANGED,
    short_name: str | Unchanged = UNCHANGED,
    country: str | Unchanged = UNCHANGED,
    language: Language | str | Unchanged = UNCHANGED,
    billing_address: Address | Unchanged = UNCHANGED,
    contact_email: str | Unchanged | None = UNCHANGED,
    tax_id: str | Unchanged | None = UNCHANGED,
    stakeholder_type: StakeholderType | str | Unchanged = UNCHANGED,
) -> Partner:
    """Correct a stored partner; only the fields given change. Return it as now stored.

    ``on`` is the date of the correction; ``legal_name``, ``short_name``, ``country``, ``language``,
    ``billing_address``, ``contact_email``, ``tax_id`` and ``stakeholder_type`` are the fields that
    may change (``None`` removes a tax id or e-mail). The partner as it was is kept in its history
    (:func:`partner_history`) with that date and the fields that changed; documents already issued
    keep the copy of the partner they were issued with. The corrected partner is checked whole, as
    :func:`add_partner` checks a new one (so a partner stored before a rule existed must be
    corrected to today's rules in the same call). Giving the values the partner already has changes
    nothing and keeps no history. ``tax_id`` and ``contact_email`` may be set to None to remove
    them.

    Raises :class:`UnknownPartner`; ``TypeError`` for a value of the wrong type (naming the
    field) or an ``on`` that is not a date; :class:`InvalidField` for a value that breaks a
    rule, or an ``on`` before the partner's latest correction; :class:`AlreadyExists` for a
    short name another partner has (ignoring case, spacing and width).
    """
    on = require_date(on, "on")
    current = partner_of(uow, partner)
    assert current.id is not None
    given = {
        "legal_name": legal_name,
        "short_name": short_name,
        "country": country,
        "language": language,
        "billing_address": billing_address,
        "contact_email": contact_email,
        "tax_id": tax_id,
        "stakeholder_type": stakeholder_type,
    }
    changes = {name: value for name, value in given.items() if value is not UNCHANGED}
    # Building the new value runs every field's rule again, on the values kept too.
    corrected = attrs.evolve(current, **changes)
    last = uow.partners.last_change(current.id)
    if last is not None and on < last:
        raise InvalidField(
            "on",
            on,
            f"is before partner {current.id}'s latest correction, on {last.isoformat()}; "
            "expected a date on or after it",
        )
    changed = changed_fields(current, corrected)
    if not changed:
        return current
    check_printable(corrected)
    return uow.partners.update(current, corrected, on=on, changed=changed)


def partner_history(uow: UnitOfWork, partner: Partner | int) -> list[PartnerVersion]:
    """Return the earlier versions of a partner, oldest first (empty if never corrected).

    Version 1 is the partner as first stored; each says when it was replaced and which fields
    that correction changed. The current version is :func:`get_partner`'s. Raises
    :class:`UnknownPartner` for an unknown id, and ``TypeError`` for anything but a
    :class:`Partner` or an int id (a short name: use :func:`partner_by_short_name`).
    """
    p = get_partner(uow, partner)
    assert p.id is not None
    return uow.partners.history(p.id)


def partner_payments(uow: UnitOfWork, partner: Partner | int) -> list[Payment]:
    """Return a partner's payments by value date: money received and credit applied.

    Raises :class:`UnknownPartner` for an unknown id, and ``TypeError`` for anything but a
    :class:`Partner` or an int id (a short name: use :func:`partner_by_short_name`).
    """
    p = get_partner(uow, partner)
    assert p.id is not None
    return uow.payments.of_partner(p.id)


def partner_documents(uow: UnitOfWork, partner: Partner | int) -> list[IssuedDocument]:
    """Return the documents issued to a partner (invoices, credit notes, letters), in order.

    Each is as issued: its snapshot holds the partner as it was then. Raises
    :class:`UnknownPartner` for an unknown id, and ``TypeError`` for anything but a
    :class:`Partner` or an int id (a short name: use :func:`partner_by_short_name`).
    """
    p = get_partner(uow, partner)
    assert p.id is not None
    return uow.documents.of_partner(p.id)


def _check_printable_edition(edition: Edition) -> None:
    _drawable("code", edition.code)
    _drawable("title", edition.title)


def _schedule_of(edition: Edition) -> TierSchedule:
    """Parse an edition's schedule, which must name the edition unless it is illustrative.

    The illustrative schedule shipped for demos and tests (``illustrative = true``) is a
    template that any edition may use as it is; every other schedule is for one edition.
    """
    source = f"edition {edition.code}"
    try:
        return parse_schedule(edition.schedule_toml, source=source, edition=edition.code)
    except InvalidSchedule:
        try:
            template = parse_schedule(edition.schedule_toml, source=source)
        except InvalidSchedule:
            template = None
        if template is None or not template.illustrative:
            raise
        return template


def add_edition(uow: UnitOfWork, edition: Edition) -> Edition:
    """Store a new edition; its tier schedule TOML is parsed and kept in the database.

    ``edition`` was checked field by field when it was built (see :class:`Edition`); this
    also checks that the fonts can draw its code and title, its schedule, currency and PSC
    rate. Raises ``TypeError`` if ``edition`` is not an :class:`Edition` or for a float PSC
    rate; :class:`InvalidField` for an edition that already has an ``id`` or a character no
    font draws; :class:`InvalidSchedule` for a bad schedule, or one whose
    ``[edition].code`` names another edition (the illustrative schedule excepted: it is a
    template for any edition); :class:`CurrencyMismatch` if the schedule or the edition is
    not in the books' base currency; :class:`InvalidAmount` for a PSC rate outside 0..1; and
    :class:`AlreadyExists` naming the edition whose code is the same once case, spacing and
    width are ignored (``WSIS2025``, ``wsis2025``), or whose different invoice prefix gives
    the same RF creditor references (``WSIS``, ``WS-IS``).
    """
    if not isinstance(edition, Edition):
        raise TypeError(f"expected an Edition, not {type(edition).__name__}")
    if edition.id is not None:
        raise InvalidField(
            "id", edition.id, "a new edition gets its id when it is stored; expected None"
        )
    if isinstance(edition.psc_rate, float) or not isinstance(edition.psc_rate, Decimal):
        raise TypeError(f"psc_rate must be a Decimal, not {type(edition.psc_rate).__name__}")
    if not edition.psc_rate.is_finite() or not 0 <= edition.psc_rate < 1:
        raise InvalidAmount(edition.psc_rate, "a PSC rate must be at least 0 and below 1")
    minor_unit_exponent(edition.base_currency)
    _check_printable_edition(edition)
    schedule = _schedule_of(edition)
    if schedule.base_currency != edition.base_currency:
        raise CurrencyMismatch(
            edition.base_currency, schedule.base_currency, f"tier schedule of {edition.code}"
        )
    if edition.base_currency != uow.base:
        raise CurrencyMismatch(uow.base, edition.base_currency, f"base currency of {edition.code}")
    return uow.editions.add(edition)


def add_rates(uow: UnitOfWork, rates: Iterable[ExchangeRate]) -> int:
    """Store exchange rates in bulk and return how many were new (exact repeats are skipped).

    Raises ``TypeError`` for anything but :class:`ExchangeRate` and :class:`ConflictingRate`
    for a pair and date given two different rates.
    """
    batch = list(rates)
    for r in batch:
        if not isinstance(r, ExchangeRate):
            raise TypeError(f"expected ExchangeRate values, not {type(r).__name__}")
    return uow.rates.add_all(batch)
