"""Checking partner and rate rows of a spreadsheet against the books, row by row.

The rules are those of :func:`~wsis_funding.services.reference.add_partner` and of stored
rates, applied to every row so that each row the books would refuse is reported where the
user finds it: a short name another partner has (a row equal to the stored partner is only
skipped), a short name twice in the file once case, spacing and width are ignored, a
character the document fonts cannot draw, a rate contradicting a stored one.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from wsis_funding.imports.sheets import (
    PartnerRow,
    Problem,
    RateRow,
    Source,
    SpreadsheetRejected,
)
from wsis_funding.ledger.errors import InvalidField
from wsis_funding.ledger.history import changed_fields
from wsis_funding.ledger.model import Partner
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import ExchangeRate
from wsis_funding.services.reference import check_printable
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["check_partner", "check_rates"]


# The sheet column of each partner field the ledger names differently.
_PARTNER_COLUMNS = {
    "billing_address.street": "street",
    "billing_address.building_number": "building_number",
    "billing_address.postcode": "postcode",
    "billing_address.town": "town",
    "billing_address.country": "address_country",
}


def check_partner(
    r: PartnerRow,
    source: Source,
    stored: dict[str, list[Partner]],
    seen: dict[str, int],
    problems: list[Problem],
) -> tuple[Partner | None, bool]:
    """Return the row's new partner (None if bad or already stored) and whether it is stored."""
    partner = r.to_partner()
    key = identity_key(r.short_name)
    first = seen.setdefault(key, r.row)
    if first != r.row:
        problems.append(
            source.problem(
                r.row,
                "short_name",
                r.short_name,
                f"short name already used on row {first} (the same once case, spacing and "
                "width are ignored)",
            )
        )
        return None, False
    found = stored.get(key, [])
    if found:
        known = found[0]
        if len(found) == 1 and not changed_fields(known, attrs.evolve(partner, id=known.id)):
            return None, True
        fields = ", ".join(changed_fields(known, attrs.evolve(partner, id=known.id)))
        problems.append(
            source.problem(
                r.row,
                "short_name",
                r.short_name,
                f"partner {known.id} {known.short_name!r} ({known.legal_name}) in the books "
                f"has this short name, with other {fields or 'details'}; correct a stored "
                "partner with update_partner",
            )
        )
        return None, False
    try:
        check_printable(partner)
    except InvalidField as e:
        column = _PARTNER_COLUMNS.get(e.field, e.field)
        problems.append(source.problem(r.row, column, str(e.value), e.reason))
        return None, False
    return partner, False


def check_rates(
    uow: UnitOfWork, records: Sequence[RateRow], source: Source
) -> tuple[list[ExchangeRate], int]:
    """Return the rates the books do not hold yet and how many they hold already."""
    stored = uow.rates.table({c for r in records for c in (r.from_currency, r.to_currency)})
    known = {(x.from_currency, x.to_currency, x.effective): x for x in stored}
    problems: list[Problem] = []
    new: list[ExchangeRate] = []
    skipped = 0
    for r in records:
        held = known.get((r.from_currency, r.to_currency, r.effective))
        if held is None:
            new.append(r.to_exchange_rate())
        elif held.rate == r.rate:
            skipped += 1
        else:
            problems.append(
                source.problem(
                    r.row,
                    "rate",
                    format(r.rate, "f"),
                    f"the books hold {format(held.rate, 'f')} for {r.from_currency}->"
                    f"{r.to_currency} effective {r.effective.isoformat()} "
                    f"({held.source}); a stored rate is never changed",
                )
            )
    if problems:
        raise SpreadsheetRejected(problems)
    return new, skipped
