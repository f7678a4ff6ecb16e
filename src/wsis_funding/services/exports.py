"""The books' reference data and pledges written back as import files (CSV or XLSX).

An export holds what the import format can hold, so that importing it into empty books
(after the editions) gives the same partners, rates and pledges: every partner as stored
now; every rate; every pledge that is not cancelled, as agreed now (its current amount and
schedule, its tier or package and discount reason, ``confirm`` yes once posted). Payments,
write-offs, credit notes and the journal are not in it: the ledger keeps those, and a
pledge's ``ref`` is its id in these books. The same books give byte-identical files.
"""

from __future__ import annotations

import os
from pathlib import Path

from wsis_funding.imports.sheets import (
    InstalmentRow,
    PartnerRow,
    PledgeRow,
    RateRow,
    write_partners,
    write_pledges,
    write_rates,
)
from wsis_funding.ledger.model import Partner, Pledge, PledgeStatus
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier

__all__ = ["export_partners", "export_pledges", "export_rates"]

PathLike = str | os.PathLike[str]


def _partner_row(row: int, p: Partner) -> PartnerRow:
    return PartnerRow(
        row=row,
        legal_name=p.legal_name,
        short_name=p.short_name,
        country=p.country,
        stakeholder_type=p.stakeholder_type,
        language=p.language,
        address=p.billing_address,
        tax_id=p.tax_id,
        contact_email=p.contact_email,
    )


def export_partners(uow: UnitOfWork, path: PathLike) -> Path:
    """Write every partner, by id, to ``path`` (.xlsx or .csv) as an import file; return it.

    Raises ``ValueError`` for another suffix and ``OSError`` if it cannot be written.
    """
    partners = uow.partners.all()
    return write_partners((_partner_row(n, p) for n, p in enumerate(partners, start=2)), Path(path))


def export_rates(uow: UnitOfWork, path: PathLike) -> Path:
    """Write every exchange rate, by pair and date, to ``path`` (.xlsx or .csv); return it.

    Raises ``ValueError`` for another suffix, :class:`InvalidAmount` for a rate of more
    significant digits than a spreadsheet number holds (XLSX), ``OSError`` if it cannot be
    written.
    """
    rows = [
        RateRow(
            row=n,
            from_currency=r.from_currency,
            to_currency=r.to_currency,
            rate=r.rate,
            effective=r.effective,
            source=r.source,
        )
        for n, r in enumerate(uow.rates.all(), start=2)
    ]
    return write_rates(rows, Path(path))


def _pledge_row(row: int, p: Pledge, short_name: str, first_instalment_row: int) -> PledgeRow:
    current = [i for i in p.instalments if not i.replaced]
    return PledgeRow(
        row=row,
        ref=str(p.id),
        partner=short_name,
        edition=p.edition_code,
        amount=p.amount,
        signed_on=p.signed_on,
        instalments=tuple(
            InstalmentRow(row=first_instalment_row + k, due_on=i.due_on, amount=i.amount)
            for k, i in enumerate(current)
        ),
        tier=None if p.tier is None else Tier(p.tier),
        package=p.package,
        discount_reason=p.discount_reason,
        confirm=p.status is not PledgeStatus.DRAFT,
    )


def export_pledges(
    uow: UnitOfWork, path: PathLike, instalments: PathLike | None = None
) -> tuple[Path, ...]:
    """Write every pledge that is not cancelled, by id, with its current instalments.

    To an .xlsx workbook (pledges and instalments sheets), or to two .csv files: ``path`` and
    ``instalments``. Returns the paths written. Raises ``ValueError`` for a wrong suffix or
    instalments argument, :class:`InvalidAmount` for an amount a spreadsheet number cannot
    hold exactly (XLSX), and ``OSError`` if a file cannot be written.
    """
    names = {p.id: p.short_name for p in uow.partners.all()}
    rows: list[PledgeRow] = []
    next_instalment = 2
    for p in uow.pledges.all():
        if p.status is PledgeStatus.CANCELLED:
            continue
        record = _pledge_row(len(rows) + 2, p, names[p.partner_id], next_instalment)
        next_instalment += len(record.instalments)
        rows.append(record)
    return write_pledges(rows, Path(path), None if instalments is None else Path(instalments))
