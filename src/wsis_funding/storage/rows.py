"""Explicit conversions between table rows and the frozen domain types of the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

from wsis_funding.ledger.history import PartnerVersion
from wsis_funding.ledger.model import (
    Address,
    Edition,
    Instalment,
    Language,
    Partner,
    Payment,
    Pledge,
    PledgeStatus,
    StakeholderType,
)
from wsis_funding.money import RecordedRate, from_minor, to_minor

__all__ = [
    "edition_from_row",
    "edition_to_row",
    "instalment_from_row",
    "partner_from_row",
    "partner_to_row",
    "partner_version_from_row",
    "payment_from_row",
    "pledge_from_row",
    "rate_from_row",
    "rate_to_row",
]

Row = Mapping[Any, Any]
T = TypeVar("T", bound=AttrsInstance)


def _stored(cls: type[T], **values: Any) -> T:
    """Return a frozen value of ``cls`` holding ``values`` as stored, without checking them.

    Rows were checked when they were written. Checking them again on every read would cost
    time on the payment path (each payment reads its partner), and would make a partner or an
    edition stored before a rule existed unreadable, so that it could not even be corrected
    (``update_partner`` checks the corrected partner whole).
    """
    value = object.__new__(cls)
    names = {f.name for f in attrs.fields(cls)}
    assert names == values.keys(), names ^ values.keys()
    for name, field in values.items():
        object.__setattr__(value, name, field)
    return value


def partner_to_row(p: Partner) -> dict[str, Any]:
    """Return the ``partners`` row of a partner (without its id and identity key)."""
    a = p.billing_address
    return {
        "legal_name": p.legal_name,
        "short_name": p.short_name,
        "country": p.country,
        "stakeholder_type": p.stakeholder_type.value,
        "language": p.language.value,
        "street": a.street,
        "building_number": a.building_number,
        "postcode": a.postcode,
        "town": a.town,
        "address_country": a.country,
        "tax_id": p.tax_id,
        "contact_email": p.contact_email,
    }


def partner_from_row(r: Row) -> Partner:
    """Return the partner stored in a ``partners`` (or ``partner_history``) row, as stored."""
    return _stored(
        Partner,
        id=r["partner_id"] if "partner_id" in r else r["id"],
        legal_name=r["legal_name"],
        short_name=r["short_name"],
        country=r["country"],
        stakeholder_type=StakeholderType(r["stakeholder_type"]),
        language=Language(r["language"]),
        billing_address=_stored(
            Address,
            street=r["street"],
            building_number=r["building_number"],
            postcode=r["postcode"],
            town=r["town"],
            country=r["address_country"],
        ),
        tax_id=r["tax_id"],
        contact_email=r["contact_email"],
    )


def partner_version_from_row(r: Row) -> PartnerVersion:
    """Return the earlier version of a partner kept in a ``partner_history`` row."""
    changed = r["changed"]
    replaced_on = r["replaced_on"]
    return PartnerVersion(
        partner=partner_from_row(r),
        version=r["version"],
        replaced_on=(
            replaced_on if isinstance(replaced_on, dt.date) else dt.date.fromisoformat(replaced_on)
        ),
        changed=tuple(changed.split(",")) if changed else (),
    )


def edition_to_row(e: Edition) -> dict[str, Any]:
    """Return the ``editions`` row of an edition (without its id and identity key).

    The PSC rate is kept as exact text. The funding target (migration 0011) is in the row
    only when there is one: the column's NULL says none, and an edition without a target
    still fits the tables of books written before 0011.
    """
    row = {
        "code": e.code,
        "title": e.title,
        "start_on": e.start,
        "end_on": e.end,
        "base_currency": e.base_currency,
        "schedule_toml": e.schedule_toml,
        "psc_rate": format(e.psc_rate, "f"),
        "invoice_prefix": e.invoice_prefix,
    }
    if e.funding_target is not None:
        row["funding_target_minor"] = to_minor(e.funding_target)
    return row


def edition_from_row(r: Row) -> Edition:
    """Return the edition stored in an ``editions`` row, as stored."""
    return _stored(
        Edition,
        id=r["id"],
        code=r["code"],
        title=r["title"],
        start=r["start_on"],
        end=r["end_on"],
        base_currency=r["base_currency"],
        schedule_toml=r["schedule_toml"],
        psc_rate=Decimal(r["psc_rate"]),
        invoice_prefix=r["invoice_prefix"],
        funding_target=(
            None
            if r["funding_target_minor"] is None
            else from_minor(r["funding_target_minor"], r["base_currency"])
        ),
    )


def instalment_from_row(r: Row, currency: str, number: int | None = None) -> Instalment:
    """Return the instalment stored in an ``instalments`` row of a pledge in ``currency``.

    ``number`` is its place in the pledge's current schedule (None once replaced).
    """
    return Instalment(
        id=r["id"],
        seq=r["seq"],
        due_on=r["due_on"],
        amount=from_minor(r["amount_minor"], currency),
        settled=from_minor(r["settled_minor"], currency),
        replaced=bool(r["replaced"]),
        written_off=bool(r["written_off"]),
        number=number,
    )


def _numbered(instalments: Sequence[Row], currency: str) -> tuple[Instalment, ...]:
    """Instalments in ``seq`` order, the live ones numbered 1..n as the partner sees them."""
    out, n = [], 0
    for row in sorted(instalments, key=lambda i: i["seq"]):
        number = None
        if not row["replaced"]:
            n += 1
            number = n
        out.append(instalment_from_row(row, currency, number))
    return tuple(out)


def rate_from_row(rate: str | None, rate_date: Any, source: str | None) -> RecordedRate | None:
    """Return the recorded rate kept in a row's rate, rate date and source columns, if any."""
    if rate is None:
        return None
    assert source is not None
    day = rate_date if isinstance(rate_date, dt.date) else dt.date.fromisoformat(rate_date)
    return RecordedRate(rate=Decimal(rate), effective=day, source=source)


def rate_to_row(rate: RecordedRate | None) -> dict[str, Any]:
    """Return the rate, rate date and source columns of a recorded rate (all None without)."""
    if rate is None:
        return {"rate": None, "rate_date": None, "rate_source": None}
    return {"rate": rate.text, "rate_date": rate.effective, "rate_source": rate.source}


def pledge_from_row(r: Row, edition_code: str, base: str, instalments: Sequence[Row]) -> Pledge:
    """Return the pledge stored in a ``pledges`` row with its instalment rows."""
    cur = r["currency"]
    return Pledge(
        id=r["id"],
        partner_id=r["partner_id"],
        edition_code=edition_code,
        amount=from_minor(r["amount_minor"], cur),
        base_amount=from_minor(r["base_minor"], base),
        signed_on=r["signed_on"],
        status=PledgeStatus(r["status"]),
        settled=from_minor(r["settled_minor"], cur),
        written_off=from_minor(r["written_off_minor"], cur),
        settled_base=from_minor(r["settled_base_minor"], base),
        written_off_base=from_minor(r["written_off_base_minor"], base),
        rate=rate_from_row(r["rate"], r["rate_date"], r["rate_source"]),
        instalments=_numbered(instalments, cur),
        tier=r["tier"],
        package=r["package"],
        write_off_reason=r["write_off_reason"],
        discount_reason=r["discount_reason"],
        recovered=from_minor(r["recovered_minor"], cur) if r["recovered_minor"] else None,
        recovered_base=(
            from_minor(r["recovered_base_minor"], base) if r["recovered_minor"] else None
        ),
    )


def payment_from_row(r: Row, invoice: str | None = None) -> Payment:
    """Return the payment stored in a ``payments`` row (``invoice``: the number it named)."""
    cur = r["currency"]
    apply_to = r["apply_to"]
    target = r["target_currency"]
    return Payment(
        id=r["id"],
        partner_id=r["partner_id"],
        amount=from_minor(r["amount_minor"], cur),
        bank_charges=from_minor(r["charges_minor"], cur),
        received_on=r["received_on"],
        reference=r["reference"],
        idempotency_key=r["idempotency_key"],
        settled=from_minor(r["settled_minor"], cur),
        unapplied=from_minor(r["unapplied_minor"], cur),
        entry_seq=r["entry_seq"],
        apply_to=(
            tuple(int(x) for x in apply_to.split(",") if x) if apply_to is not None else None
        ),
        source=r["source"],
        invoice=invoice,
        settles=from_minor(r["target_minor"], target) if target is not None else None,
        settles_basis=r["target_basis"],
    )
