"""Rows to records for each kind, with the checks that look across rows.

Each builder reads every row, records every bad cell, and makes a record only of a row with
no problem. Across rows: a short name or pledge ref given twice, an instalment naming no
pledge, instalments that do not sum to their pledge, an instalment due before signing, and an
exchange rate given twice for the same pair and date. Checks that need the books (does the
partner exist, the edition, the package) are the caller's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from moneyed import Money

from wsis_funding.imports.sheets import cells
from wsis_funding.imports.sheets.model import InstalmentRow, PartnerRow, PledgeRow, RateRow
from wsis_funding.imports.sheets.table import Cells, Table
from wsis_funding.ledger.errors import InvalidField
from wsis_funding.ledger.model import Address, Language, StakeholderType
from wsis_funding.money.core import currency
from wsis_funding.tiers.model import Tier

__all__ = ["partners", "pledges", "rates"]

T = TypeVar("T")


def _must(value: T | None) -> T:
    """Narrow a required value of a row already known to have no problem."""
    assert value is not None
    return value


def _money(amount: Decimal, code: str) -> Money:
    """Wrap an amount :func:`cells.amount` already made exact for ``code`` (no second check)."""
    return Money(amount, currency(code))


def _stakeholder(value: object) -> StakeholderType | None:
    return cells.choice(value, StakeholderType)


def _language(value: object) -> Language | None:
    return cells.choice(value, Language)


def _tier(value: object) -> Tier | None:
    return cells.choice(value, Tier)


def partners(table: Table) -> list[PartnerRow]:
    """Return a record for each good row of a partners sheet; problems go to ``table``."""
    records: list[PartnerRow] = []
    first_row: dict[str, int] = {}
    for c in table:
        legal_name = c.need("legal_name", cells.text)
        short_name = c.need("short_name", cells.text)
        if short_name is not None:
            # "ITU" and "itu" would be two partners no one can tell apart.
            first = first_row.setdefault(short_name.casefold(), c.row)
            if first != c.row:
                c.flag("short_name", f"short name already used on row {first}")
        country = c.need("country", cells.country)
        stakeholder_type = c.need("stakeholder_type", _stakeholder)
        language = c.need("language", _language)
        street = c.need("street", cells.text)
        building_number = c.need("building_number", cells.text)
        postcode = c.need("postcode", cells.text)
        town = c.need("town", cells.text)
        address_country = c.need("address_country", cells.country)
        tax_id = c.get("tax_id", cells.text)
        contact_email = c.get("contact_email", cells.email)
        if c.failed:
            continue
        try:
            record = PartnerRow(
                row=c.row,
                legal_name=_must(legal_name),
                short_name=_must(short_name),
                country=_must(country),
                stakeholder_type=_must(stakeholder_type),
                language=_must(language),
                address=Address(
                    street=_must(street),
                    building_number=_must(building_number),
                    postcode=_must(postcode),
                    town=_must(town),
                    country=_must(address_country),
                ),
                tax_id=tax_id,
                contact_email=contact_email,
            )
            record.to_partner()  # the ledger's rules of every field: lengths, characters
        except InvalidField as problem:
            c.flag(_PARTNER_COLUMNS.get(problem.field, problem.field), problem.reason)
            continue
        records.append(record)
    return records


# The sheet column of each partner field the ledger names differently.
_PARTNER_COLUMNS = {
    "billing_address.street": "street",
    "billing_address.building_number": "building_number",
    "billing_address.postcode": "postcode",
    "billing_address.town": "town",
    "billing_address.country": "address_country",
}


@attrs.define
class _Draft:
    """A pledge row waiting for its instalments; ``fields`` is None if the row is bad.

    ``fields`` holds the record's values but its instalments: the record is made once, when
    they are known (an import of 10,000 pledges makes each record once, not twice).
    """

    row: int
    currency: str | None
    signed_on: dt.date | None
    amount_cell: object
    fields: dict[str, Any] | None
    instalments: list[InstalmentRow] = attrs.Factory(list)
    instalments_failed: bool = False


def _quiet_currency(c: Cells) -> str | None:
    """Return the pledge currency if its cell is good (its problem is recorded in order)."""
    try:
        return cells.currency_code(c.raw("currency"))
    except cells.CellError:
        return None


def _pledge(c: Cells, drafts: dict[str, _Draft]) -> None:
    ref = c.need("ref", cells.text)
    first = drafts.get(ref) if ref is not None else None
    if first is not None:
        c.flag("ref", f"ref already used on row {first.row}")
    partner = c.need("partner", cells.text)
    edition = c.need("edition", cells.text)
    code = _quiet_currency(c)
    amount = c.need("amount", lambda v: cells.amount(v, code))
    # A good currency cell is read once; a bad or missing one is reported here, in order.
    currency = code if code is not None else c.need("currency", cells.currency_code)
    signed_on = c.need("signed_on", cells.date)
    tier = c.get("tier", _tier)
    package = c.get("package", cells.text)
    discount_reason = c.get("discount_reason", cells.text)
    confirm = c.get("confirm", cells.yes_no)
    has_tier = not cells.is_blank(c.raw("tier"))
    has_package = not cells.is_blank(c.raw("package"))
    if has_tier and has_package:
        c.flag("package", "a pledge is for a tier or for one activity package, never both")
    elif not has_tier and not has_package:
        c.flag("tier", "give the tier or the activity package of the pledge", "")
    elif has_tier and not cells.is_blank(c.raw("discount_reason")):
        c.flag("discount_reason", "a discount reason applies to an activity package pledge only")
    fields = None
    if not c.failed:
        fields = {
            "row": c.row,
            "ref": _must(ref),
            "partner": _must(partner),
            "edition": _must(edition),
            "amount": _money(_must(amount), _must(currency)),
            "signed_on": _must(signed_on),
            "tier": tier,
            "package": package,
            "discount_reason": discount_reason,
            "confirm": True if confirm is None else confirm,
        }
    if ref is not None and first is None:
        drafts[ref] = _Draft(c.row, currency, signed_on, c.raw("amount"), fields)


def _instalment(c: Cells, drafts: dict[str, _Draft]) -> None:
    ref = c.need("pledge_ref", cells.text)
    draft = drafts.get(ref) if ref is not None else None
    if ref is not None and draft is None:
        c.flag("pledge_ref", "no pledge has this ref")
    code = draft.currency if draft is not None else None
    due_on = c.need("due_on", cells.date)
    signed_on = draft.signed_on if draft is not None else None
    if draft is not None and signed_on is not None and due_on is not None and due_on < signed_on:
        c.flag(
            "due_on",
            f"due before the pledge was signed ({signed_on.isoformat()}, pledges row {draft.row})",
        )
    amount = c.need("amount", lambda v: cells.amount(v, code))
    if draft is None:
        return
    if c.failed or draft.fields is None:
        draft.instalments_failed = True
        return
    draft.instalments.append(
        InstalmentRow(row=c.row, due_on=_must(due_on), amount=_money(_must(amount), _must(code)))
    )


def pledges(table: Table, instalments: Table | None) -> list[PledgeRow]:
    """Return each good pledge with its instalments; problems go to the tables.

    A pledge with no instalment row gets one instalment of its whole amount on its signing
    date; one whose instalments do not sum exactly to its amount is a problem on its row.
    """
    drafts: dict[str, _Draft] = {}
    for c in table:
        _pledge(c, drafts)
    if instalments is not None:
        for c in instalments:
            _instalment(c, drafts)
    records: list[PledgeRow] = []
    for draft in drafts.values():
        fields = draft.fields
        if fields is None or draft.instalments_failed:
            continue
        amount: Money = fields["amount"]
        if not draft.instalments:
            implied = InstalmentRow(row=None, due_on=fields["signed_on"], amount=amount)
            records.append(PledgeRow(instalments=(implied,), **fields))
            continue
        total = sum((i.amount.amount for i in draft.instalments), Decimal(0))
        if total != amount.amount:
            code = str(amount.currency.code)
            rows = ", ".join(str(i.row) for i in draft.instalments)
            plural = "s" if len(draft.instalments) > 1 else ""
            table.problem(
                draft.row,
                table.headers.get("amount", "amount"),
                draft.amount_cell,
                f"its instalments (instalment row{plural} {rows}) sum to {total} {code}, "
                f"not {amount.amount} {code}",
            )
            continue
        records.append(PledgeRow(instalments=tuple(draft.instalments), **fields))
    return records


def rates(table: Table) -> list[RateRow]:
    """Return a record for each good row of a rates sheet; problems go to ``table``."""
    records: list[RateRow] = []
    first_row: dict[tuple[str, str, dt.date], int] = {}
    for c in table:
        from_currency = c.need("from_currency", cells.currency_code)
        to_currency = c.need("to_currency", cells.currency_code)
        if from_currency is not None and from_currency == to_currency:
            c.flag("to_currency", "the same currency as from_currency: a rate needs two")
        rate = c.need("rate", cells.rate)
        effective = c.need("effective", cells.date)
        if from_currency is not None and to_currency is not None and effective is not None:
            key = (from_currency, to_currency, effective)
            first = first_row.setdefault(key, c.row)
            if first != c.row:
                c.flag(
                    "effective",
                    f"a {from_currency}->{to_currency} rate effective {effective.isoformat()} "
                    f"is already given on row {first}",
                )
        source = c.need("source", cells.text)
        if c.failed:
            continue
        records.append(
            RateRow(
                row=c.row,
                from_currency=_must(from_currency),
                to_currency=_must(to_currency),
                rate=_must(rate),
                effective=_must(effective),
                source=_must(source),
            )
        )
    return records
